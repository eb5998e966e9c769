// App-only sign-in for the tenant job: MSAL for Node's confidential client, client-credentials
// flow, with the add-in's own Entra app registration (so Graph opens the same app folder). The
// token carries the application permissions an admin granted (`roles`), never a user's.
import { ConfidentialClientApplication, type Configuration } from "@azure/msal-node";
import { SeptError } from "../../core/errors.js";
import type { AuthPort, SignedInAccount } from "../../core/ports/auth.js";

/** The public cloud's sign-in host; other clouds (e.g. login.microsoftonline.us) are configured. */
export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
/** Graph's resource: client credentials ask for `{resource}/.default` (all granted app roles). */
export const DEFAULT_GRAPH_RESOURCE = "https://graph.microsoft.com";

/** A certificate credential: the PEM private key and the certificate's SHA-256 thumbprint (hex). */
export interface AppCertificate {
  privateKeyPem: string;
  thumbprintSha256: string;
  /** The public certificate chain (PEM), sent as `x5c` for subject-name/issuer authentication. */
  certificatePem?: string;
}

export interface AppCredentials {
  /** Directory (tenant) id or verified domain: app-only tokens need a tenant, never "common". */
  tenantId: string;
  /** The add-in's application (client) id. */
  clientId: string;
  /** Exactly one of a certificate (recommended) or a client secret. */
  certificate?: AppCertificate;
  clientSecret?: string;
  /** Default https://login.microsoftonline.com; a test stand-in or a national cloud otherwise. */
  authorityHost?: string;
  /** Default https://graph.microsoft.com. */
  graphResource?: string;
}

function credentialsOf(credentials: AppCredentials): Configuration["auth"] {
  const authorityHost = (credentials.authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, "");
  const host = new URL(authorityHost).host;
  const auth: Configuration["auth"] = {
    clientId: credentials.clientId,
    authority: `${authorityHost}/${encodeURIComponent(credentials.tenantId)}`,
    // A host MSAL does not know (a national cloud, a stand-in) is trusted as configured, without
    // asking Microsoft's instance discovery about it.
    ...(new URL(DEFAULT_AUTHORITY_HOST).host === host ? {} : { knownAuthorities: [host] }),
  };
  if (credentials.certificate) {
    auth.clientCertificate = {
      thumbprintSha256: credentials.certificate.thumbprintSha256,
      privateKey: credentials.certificate.privateKeyPem,
      ...(credentials.certificate.certificatePem
        ? { x5c: credentials.certificate.certificatePem }
        : {}),
    };
  } else if (credentials.clientSecret) {
    auth.clientSecret = credentials.clientSecret;
  }
  return auth;
}

/**
 * An AuthPort over MSAL's client-credentials flow. The scopes asked for are ignored: an app-only
 * token always carries every application permission granted to the app (`/.default`), which is
 * why the admin guide lists exactly which ones to grant. Tokens are cached by MSAL until shortly
 * before they expire; `forceRefresh` (Graph answered 401) skips the cache once.
 */
export function createAppTokenProvider(credentials: AppCredentials): AuthPort {
  if (!credentials.certificate === !credentials.clientSecret) {
    throw new SeptError("bad_request", {
      message: "The tenant job needs exactly one credential: a certificate or a client secret.",
    });
  }
  if (!credentials.tenantId || /^(common|organizations|consumers)$/i.test(credentials.tenantId)) {
    throw new SeptError("bad_request", {
      message: "App-only sign-in needs the tenant's id or domain, not a multi-tenant alias.",
    });
  }
  const resource = (credentials.graphResource ?? DEFAULT_GRAPH_RESOURCE).replace(/\/+$/, "");
  const scopes = [`${resource}/.default`];
  const client = new ConfidentialClientApplication({ auth: credentialsOf(credentials) });

  return {
    async getAccessToken(_scopes, options) {
      let result;
      try {
        result = await client.acquireTokenByClientCredential({
          scopes,
          ...(options?.forceRefresh ? { skipCache: true } : {}),
        });
      } catch (error) {
        throw new SeptError("auth_required", {
          message: `App-only sign-in failed: ${error instanceof Error ? error.message : String(error)}`,
          cause: error,
          // A network failure or a busy token endpoint is worth another try; a refusal is not.
          retryable: /network|timeout|ECONN|fetch failed/i.test(String(error)),
        });
      }
      if (!result?.accessToken) {
        throw new SeptError("auth_required", { message: "The token endpoint issued no token." });
      }
      return result.accessToken;
    },
    async clearCache() {
      client.clearCache();
    },
    async account(): Promise<SignedInAccount> {
      return { name: "SEPT tenant job", username: credentials.clientId };
    },
  };
}
