/** A version of SEPT's privacy policy, and what changed in it, in the pane's languages. */
export interface PolicyVersion {
  version: string;
  /** What changed from the previous version; empty for the first version consent was asked for. */
  changes: ReadonlyArray<{ en: string; fr: string }>;
}

export interface PrivacyPolicy {
  version: string;
  url: string;
  changes: ReadonlyArray<{ en: string; fr: string }>;
}

/**
 * Known policy versions, oldest first. A new version with material changes is added here (and
 * configured as current), which invalidates earlier consent and shows these changes.
 */
export const POLICY_HISTORY: readonly PolicyVersion[] = [{ version: "2024-02-14", changes: [] }];

/** The policy in force, from configuration; an unknown version still works, with no change list. */
export function currentPolicy(
  version: string,
  url: string,
  history: readonly PolicyVersion[] = POLICY_HISTORY,
): PrivacyPolicy {
  const known = history.find((p) => p.version === version);
  return { version, url, changes: known?.changes ?? [] };
}
