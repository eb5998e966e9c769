// Reads the organisation's org-policy.json. A missing file, or one that cannot be used, means the
// most protective settings that still work (core/org-policy.ts restrictiveOrgPolicy); both say why.
// The build ships no org-policy.json (only org-policy.example.json), so a redeploy never replaces
// an admin's file, and a host without one protects users rather than allowing content.
import type { Language } from "../../core/i18n/index.js";
import {
  describeOrgPolicyProblem,
  restrictiveOrgPolicy,
  validateOrgPolicy,
  type OrgPolicy,
  type OrgPolicyProblem,
} from "../../core/org-policy.js";

export type FetchLike = (
  url: string,
  init?: { cache?: RequestCache; credentials?: RequestCredentials; headers?: HeadersInit },
) => Promise<Pick<Response, "ok" | "status" | "text">>;

export interface LoadedOrgPolicy {
  policy: OrgPolicy;
  /** Translated, one line per problem; empty when the file was used as is. */
  problems: string[];
  /** The same problems with their paths, for tests and diagnostics. */
  issues: OrgPolicyProblem[];
  /** "file": the admin's file applies. "defaults": it is missing or unusable. */
  source: "file" | "defaults";
  /**
   * Why the admin's file does not apply: "missing" when there is none (404), "restrictive" when
   * one exists but is invalid, unreadable or unreachable. Either way the policy is the most
   * protective reading (metadata only): nobody has said that content may leave the mailbox.
   */
  fallback: "none" | "missing" | "restrictive";
}

export interface LoadOrgPolicyOptions {
  /** The standard defaults (see defaultOrgPolicy, built from the build configuration). */
  defaults: OrgPolicy;
  language?: Language;
}

function result(
  policy: OrgPolicy,
  issues: OrgPolicyProblem[],
  fallback: LoadedOrgPolicy["fallback"],
  language: Language,
): LoadedOrgPolicy {
  return {
    policy,
    issues,
    problems: issues.map((issue) => describeOrgPolicyProblem(language, issue)),
    source: fallback === "none" ? "file" : "defaults",
    fallback,
  };
}

const problem = (
  key: OrgPolicyProblem["key"],
  params: OrgPolicyProblem["params"] = {},
): OrgPolicyProblem => ({ path: "", key, params: { path: "", ...params } });

/**
 * Fetches and validates the policy. Never throws: whatever happens, the pane gets a policy to
 * run with and the reasons it is not the admin's file. `cache: "no-store"` so that an admin's
 * edit applies the next time the pane opens.
 */
export async function loadOrgPolicy(
  fetchImpl: FetchLike,
  url: string,
  options: LoadOrgPolicyOptions,
): Promise<LoadedOrgPolicy> {
  const { defaults } = options;
  const language = options.language ?? "en";
  const restrictive = restrictiveOrgPolicy(defaults);
  let body: string;
  try {
    const response = await fetchImpl(url, { cache: "no-store", credentials: "same-origin" });
    if (response.status === 404) {
      return result(restrictive, [problem("orgPolicy.problem.missing")], "missing", language);
    }
    if (!response.ok) {
      return result(
        restrictive,
        [problem("orgPolicy.problem.http", { status: response.status })],
        "restrictive",
        language,
      );
    }
    body = await response.text();
  } catch {
    return result(restrictive, [problem("orgPolicy.problem.network")], "restrictive", language);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return result(restrictive, [problem("orgPolicy.problem.notJson")], "restrictive", language);
  }
  const validation = validateOrgPolicy(parsed, defaults);
  return validation.problems.length === 0
    ? result(validation.policy, [], "none", language)
    : result(restrictive, validation.problems, "restrictive", language);
}
