// Builds what every command needs once per process: the app-only token provider (MSAL for Node),
// the Graph JS client, the organisation's policy as the pane reads it, and the list of users.
import { readFile } from "node:fs/promises";
import type { Client } from "@microsoft/microsoft-graph-client";
import { createAppTokenProvider } from "../adapters/auth/app-token-provider.js";
import { listGroupUsers } from "../adapters/graph/directory.js";
import { createGraphClient } from "../adapters/graph/graph-client.js";
import { createRequestLimiter } from "../adapters/graph/request-limiter.js";
import { SeptError } from "../core/errors.js";
import { defaultOrgPolicy, restrictiveOrgPolicy, type OrgPolicy } from "../core/org-policy.js";
import type { AuthPort } from "../core/ports/auth.js";
import {
  loadOrgPolicy,
  type FetchLike,
  type LoadedOrgPolicy,
} from "../services/consent/org-policy.js";
import type { TenantConfig } from "./config.js";
import {
  createUserServices,
  isUserKey,
  type TenantEnvironment,
  type TenantUser,
  type UserServices,
} from "./user-services.js";

export interface TenantRuntime {
  config: TenantConfig;
  auth: AuthPort;
  client: Client;
  orgPolicy: OrgPolicy;
  /** Why the policy in force is not the admin's file, if it is not (one line each). */
  orgPolicyProblems: string[];
  servicesFor(user: TenantUser): UserServices;
  /** The explicit list when given, else the deployment group's user members. */
  users(explicit?: readonly string[], signal?: AbortSignal): Promise<TenantUser[]>;
}

export interface RuntimeOptions {
  /** Instead of MSAL (tests of the wiring only). */
  auth?: AuthPort;
  /** Storage and client retry tuning; production keeps the defaults. */
  tuning?: Pick<TenantEnvironment, "storage" | "perMailboxConcurrency"> & {
    graphRetry?: { delaySeconds?: number; maxRetries?: number };
  };
  fetch?: FetchLike;
}

/** A local path reads as a file; an https URL is fetched as the pane fetches it. */
function policyFetch(fetchImpl: FetchLike): FetchLike {
  return async (url, init) => {
    if (/^https:\/\//i.test(url)) return fetchImpl(url, init);
    try {
      const text = await readFile(url, "utf8");
      return { ok: true, status: 200, text: async () => text };
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      return { ok: false, status: missing ? 404 : 500, text: async () => "" };
    }
  };
}

export async function createTenantRuntime(
  config: TenantConfig,
  options: RuntimeOptions = {},
): Promise<TenantRuntime> {
  const auth = options.auth ?? createAppTokenProvider(config.credentials);
  const client = createGraphClient({
    graphBaseUrl: config.graphBaseUrl,
    auth,
    scopes: [".default"],
    // Throttling is expected at tenant scale: more patient than the pane, Retry-After honoured.
    retry: { delaySeconds: 3, maxRetries: 6, ...options.tuning?.graphRetry },
  });
  const defaults = defaultOrgPolicy({
    privacyPolicyUrl: config.privacyPolicyUrl,
    privacyPolicyVersion: config.privacyPolicyVersion,
  });
  let loaded: LoadedOrgPolicy;
  if (config.orgPolicy) {
    const fetchImpl: FetchLike =
      options.fetch ?? ((url, init) => fetch(url, { cache: init?.cache, headers: init?.headers }));
    loaded = await loadOrgPolicy(policyFetch(fetchImpl), config.orgPolicy, {
      defaults,
      language: config.language,
    });
  } else {
    // No policy file named: the pane's reading of a missing file (the most protective one).
    loaded = {
      policy: restrictiveOrgPolicy(defaults),
      problems: [],
      issues: [],
      source: "defaults",
      fallback: "missing",
    };
  }
  const env: TenantEnvironment = {
    client,
    orgPolicy: loaded.policy,
    ...options.tuning,
  };
  return {
    config,
    auth,
    client,
    orgPolicy: loaded.policy,
    orgPolicyProblems: loaded.problems,
    servicesFor: (user) => createUserServices(env, user),
    async users(explicit, signal) {
      if (explicit && explicit.length > 0) {
        const bad = explicit.find((u) => !isUserKey(u));
        if (bad !== undefined) {
          throw new SeptError("bad_request", { message: `'${bad}' is not a user id or name.` });
        }
        return explicit.map((id) => (id.includes("@") ? { id, userPrincipalName: id } : { id }));
      }
      if (!config.groupId) {
        throw new SeptError("bad_request", {
          message: "Name the users (--user, --users-file) or set SEPT_DEPLOYMENT_GROUP.",
        });
      }
      return listGroupUsers(client, config.groupId, {
        limiter: createRequestLimiter(4),
        ...(signal ? { signal } : {}),
      });
    },
  };
}
