// Strings for the Activity view and the activity log (issue: save). Same keys in both languages: the type makes a gap a compile error.
export const en = {
  "projects.nameInvalid": "A project name needs 1 to {max} characters, on one line.",
  "projects.nameTaken": "A project named “{name}” already exists.",
  "activity.checkLimits":
    "This check finds accidental corruption, lost files, edits by other apps and partial deletes. It cannot find a complete rewrite of your SEPT storage by someone who can write all of it, you included.",
  "activity.legacyChecked":
    "{count} older event(s), written before the log became one chain, were checked session by session only: an older session removed whole would not show.",
  "activity.legacyConsent":
    "{count} consent record(s) from before the log became one chain are not covered by the check.",
  "activity.pending":
    "{count} event(s) not written to the log yet: kept on this device and sent again at the next change or the next start.",
} as const;

export const fr: { readonly [K in keyof typeof en]: string } = {
  "projects.nameInvalid": "Un nom de projet compte de 1 à {max} caractères, sur une ligne.",
  "projects.nameTaken": "Un projet nommé « {name} » existe déjà.",
  "activity.checkLimits":
    "Cette vérification détecte une corruption accidentelle, des fichiers perdus, des modifications par d’autres applications et des suppressions partielles. Elle ne peut pas détecter une réécriture complète de votre stockage SEPT par quelqu’un qui peut tout y écrire, vous compris.",
  "activity.legacyChecked":
    "{count} événement(s) plus ancien(s), écrit(s) avant que le journal ne forme une seule chaîne, n’ont été vérifiés que session par session : une ancienne session supprimée en entier ne serait pas détectée.",
  "activity.legacyConsent":
    "{count} enregistrement(s) de consentement antérieur(s) à la chaîne unique ne sont pas couverts par la vérification.",
  "activity.pending":
    "{count} événement(s) pas encore écrit(s) dans le journal : conservé(s) sur cet appareil et renvoyé(s) au prochain changement ou au prochain démarrage.",
};
