// The Activity view and the activity log's integrity check.
import type { Messages } from "../message-format.js";

export const en = {
  "activity.heading": "Activity",
  "activity.empty": "No activity yet.",
  "activity.filterKind": "Kind",
  "activity.filterProject": "Project",
  "activity.all": "All",
  "activity.kind.consent_granted": "Permission given",
  "activity.kind.consent_withdrawn": "Permission withdrawn",
  "activity.kind.email_saved": "Email saved",
  "activity.kind.email_deleted": "Email deleted",
  "activity.kind.email_purged": "Email purged (retention)",
  "activity.kind.email_corrected": "Email corrected",
  "activity.kind.data_exported": "Data exported",
  "activity.kind.settings_changed": "Settings changed",
  "activity.kind.all_data_deleted": "All data deleted",
  "activity.outcome.failure": "failed",
  "activity.outcome.cancelled": "cancelled",
  "activity.verified":
    "Integrity check passed: the activity log and your consent records are complete and unaltered, within the limits below.",
  "activity.tampered":
    "The integrity check found {count, plural, one {# problem} other {# problems}}: events or consent records were changed, lost, cut off or added outside SEPT.",
  "activity.size": "{size}",
  "activity.refresh": "Refresh",
  "activity.checkLimits":
    "This check finds accidental corruption, lost files, edits by other apps and partial deletes. It cannot find a complete rewrite of your SEPT storage by someone who can write all of it, you included.",
  "activity.legacyChecked":
    "{count, plural, one {# older event, written before the log became one chain, was} other {# older events, written before the log became one chain, were}} checked session by session only: an older session removed whole would not show.",
  "activity.legacyConsent":
    "{count, plural, one {# consent record from before the log became one chain is} other {# consent records from before the log became one chain are}} not covered by the check.",
  "activity.pending":
    "{count, plural, one {# event not written to the log yet: kept on this device and sent} other {# events not written to the log yet: kept on this device and sent}} again at the next change or the next start.",
} as const;

export const fr: Messages<typeof en> = {
  "activity.heading": "Activité",
  "activity.empty": "Aucune activité pour l’instant.",
  "activity.filterKind": "Type",
  "activity.filterProject": "Projet",
  "activity.all": "Tous",
  "activity.kind.consent_granted": "Autorisation donnée",
  "activity.kind.consent_withdrawn": "Autorisation retirée",
  "activity.kind.email_saved": "Courriel enregistré",
  "activity.kind.email_deleted": "Courriel supprimé",
  "activity.kind.email_purged": "Courriel purgé (conservation)",
  "activity.kind.email_corrected": "Courriel corrigé",
  "activity.kind.data_exported": "Données exportées",
  "activity.kind.settings_changed": "Paramètres modifiés",
  "activity.kind.all_data_deleted": "Toutes les données supprimées",
  "activity.outcome.failure": "échec",
  "activity.outcome.cancelled": "annulé",
  "activity.verified":
    "Vérification réussie : le journal d’activité et vos enregistrements de consentement sont complets et inaltérés, dans les limites ci-dessous.",
  "activity.tampered":
    "La vérification a trouvé {count, plural, one {# problème} many {# de problèmes} other {# problèmes}} : des événements ou des enregistrements de consentement ont été modifiés, perdus, tronqués ou ajoutés hors de SEPT.",
  "activity.size": "{size}",
  "activity.refresh": "Actualiser",
  "activity.checkLimits":
    "Cette vérification détecte une corruption accidentelle, des fichiers perdus, des modifications par d’autres applications et des suppressions partielles. Elle ne peut pas détecter une réécriture complète de votre stockage SEPT par quelqu’un qui peut tout y écrire, vous compris.",
  "activity.legacyChecked":
    "{count, plural, one {# événement plus ancien, écrit avant que le journal ne forme une seule chaîne, n’a été vérifié} many {# d’événements plus anciens, écrits avant que le journal ne forme une seule chaîne, n’ont été vérifiés} other {# événements plus anciens, écrits avant que le journal ne forme une seule chaîne, n’ont été vérifiés}} que session par session : une ancienne session supprimée en entier ne serait pas détectée.",
  "activity.legacyConsent":
    "{count, plural, one {# enregistrement de consentement antérieur à la chaîne unique n’est pas couvert} many {# d’enregistrements de consentement antérieurs à la chaîne unique ne sont pas couverts} other {# enregistrements de consentement antérieurs à la chaîne unique ne sont pas couverts}} par la vérification.",
  "activity.pending":
    "{count, plural, one {# événement pas encore écrit dans le journal : conservé sur cet appareil et renvoyé} many {# d’événements pas encore écrits dans le journal : conservés sur cet appareil et renvoyés} other {# événements pas encore écrits dans le journal : conservés sur cet appareil et renvoyés}} au prochain changement ou au prochain démarrage.",
};
