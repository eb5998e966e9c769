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
export const POLICY_HISTORY: readonly PolicyVersion[] = [
  { version: "2024-02-14", changes: [] },
  {
    version: "2026-12-01",
    changes: [
      {
        en: "A withdrawal you send to the privacy office by email is recorded with your consent history and stops saving, as one made in the add-in does.",
        fr: "Un retrait envoyé par courriel au bureau de la protection de la vie privée est inscrit dans votre historique de consentement et arrête l’enregistrement, comme un retrait fait dans le complément.",
      },
      {
        en: "Consent receipts name the data controller, any processor acting for it, and the jurisdiction your organisation has set.",
        fr: "Les reçus de consentement nomment le responsable du traitement, tout sous-traitant agissant pour lui et le ressort juridique définis par votre organisation.",
      },
      {
        en: "Where your organisation allows only email details, SEPT never saves message content, whatever the add-in is asked.",
        fr: "Lorsque votre organisation n’autorise que les détails des courriels, SEPT n’enregistre jamais leur contenu, quoi qu’on demande au complément.",
      },
    ],
  },
];

/**
 * Policy versions are dates (YYYY-MM-DD): the later of the two. When either is not a date there
 * is no telling which is newer, and the build's (the policy it ships) stands.
 */
export function newerPolicyVersion(build: string, other: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!date.test(other) || !date.test(build)) return build;
  return other > build ? other : build;
}

/** The policy in force, from configuration; an unknown version still works, with no change list. */
export function currentPolicy(
  version: string,
  url: string,
  history: readonly PolicyVersion[] = POLICY_HISTORY,
): PrivacyPolicy {
  const known = history.find((p) => p.version === version);
  return { version, url, changes: known?.changes ?? [] };
}
