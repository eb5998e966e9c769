// The tenant job's settings, from the environment: the same names in a shell, a container, a
// cron entry and the Functions app's application settings. Secrets come from the environment
// (or a certificate file) only, never from the command line, where other users could read them.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AppCredentials } from "../adapters/auth/app-token-provider.js";
import { resolveLanguage, type Language } from "../core/i18n/index.js";

export interface TenantConfig {
  credentials: AppCredentials;
  /** Default https://graph.microsoft.com/v1.0. */
  graphBaseUrl: string;
  /** The group the add-in is deployed to (Integrated Apps), when users come from it. */
  groupId?: string;
  /** The org policy the pane reads: an https URL (…/org-policy.json) or a local file. */
  orgPolicy?: string;
  privacyPolicyUrl: string;
  privacyPolicyVersion: string;
  /** Users at once (default 8); each has its own 4 requests at a time. */
  concurrency: number;
  language: Language;
}

export type Env = Record<string, string | undefined>;

export class TenantConfigError extends Error {
  override name = "TenantConfigError";
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new TenantConfigError(`${name} is not set.`);
  return value;
}

/** Splits a PEM bundle into its private key and its certificate (either order, one file). */
export function certificateFromPem(pem: string): AppCredentials["certificate"] {
  const key =
    /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(
      pem,
    );
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!key || !cert) {
    throw new TenantConfigError(
      "The certificate file must hold the PEM private key and the PEM certificate.",
    );
  }
  const thumbprintSha256 = new X509Certificate(cert[0]).fingerprint256.replace(/:/g, "");
  return { privateKeyPem: key[0], certificatePem: cert[0], thumbprintSha256 };
}

export function readTenantConfig(env: Env = process.env): TenantConfig {
  const tenantId = required(env, "SEPT_TENANT");
  const clientId = required(env, "SEPT_CLIENT_ID");
  if (!GUID.test(clientId)) throw new TenantConfigError("SEPT_CLIENT_ID must be a GUID.");
  const secret = env.SEPT_CLIENT_SECRET?.trim();
  const pem =
    env.SEPT_CLIENT_CERTIFICATE_PEM?.trim() ||
    (env.SEPT_CLIENT_CERTIFICATE?.trim()
      ? readFileSync(env.SEPT_CLIENT_CERTIFICATE.trim(), "utf8")
      : "");
  if (!secret === !pem) {
    throw new TenantConfigError(
      "Set exactly one credential: SEPT_CLIENT_CERTIFICATE (a PEM file), SEPT_CLIENT_CERTIFICATE_PEM, or SEPT_CLIENT_SECRET.",
    );
  }
  const concurrency = Number(env.SEPT_TENANT_CONCURRENCY ?? "8");
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new TenantConfigError("SEPT_TENANT_CONCURRENCY must be a whole number from 1 to 64.");
  }
  const groupId = env.SEPT_DEPLOYMENT_GROUP?.trim();
  const addinBase = env.ADDIN_BASE_URL?.trim().replace(/\/+$/, "");
  const orgPolicy =
    env.SEPT_ORG_POLICY?.trim() || (addinBase ? `${addinBase}/org-policy.json` : undefined);
  return {
    credentials: {
      tenantId,
      clientId,
      ...(pem ? { certificate: certificateFromPem(pem) } : { clientSecret: secret }),
      ...(env.SEPT_AUTHORITY_HOST?.trim() ? { authorityHost: env.SEPT_AUTHORITY_HOST.trim() } : {}),
    },
    graphBaseUrl: (env.GRAPH_BASE_URL?.trim() || "https://graph.microsoft.com/v1.0").replace(
      /\/+$/,
      "",
    ),
    ...(groupId ? { groupId } : {}),
    ...(orgPolicy ? { orgPolicy } : {}),
    privacyPolicyUrl: env.PRIVACY_POLICY_URL?.trim() || "https://septsoftware.com/privacy-policy",
    privacyPolicyVersion: env.PRIVACY_POLICY_VERSION?.trim() || "2024-02-14",
    concurrency,
    language: resolveLanguage(env.SEPT_TENANT_LANGUAGE ?? "en"),
  };
}
