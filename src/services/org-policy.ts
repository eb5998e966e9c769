// Reads the organisation's org-policy.json. A missing file means "use the standard defaults"; a
// file that exists but cannot be used means "the most restrictive settings"; both say why.
import type { Language } from "../core/i18n/index.js";
import {
  describeOrgPolicyProblem,
  restrictiveOrgPolicy,
  validateOrgPolicy,
  type OrgPolicy,
  type OrgPolicyProblem,
} from "../core/org-policy.js";

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
   * Which defaults: "standard" when there is no file (404), "restrictive" when a file exists but
   * is invalid, unreadable or unreachable (we cannot tell what the admin meant, so we take the
   * reading that saves the least).
   */
  fallback: "none" | "standard" | "restrictive";
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
      return result(defaults, [problem("orgPolicy.problem.missing")], "standard", language);
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
