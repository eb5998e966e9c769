// Saving several messages at once: selection, progress and per-message outcome.
import type { Messages } from "../message-format.js";

export const en = {
  "bulk.heading": "{count, plural, one {# message selected} other {# messages selected}}",
  "bulk.button": "Save {count, plural, one {# message} other {# messages}}",
  "bulk.progress": "{done} of {total} done",
  "bulk.result.saved": "Saved",
  "bulk.result.already_saved": "Already saved",
  "bulk.result.failed": "Not saved: {reason}",
  "bulk.summary": "{saved} saved, {already} already saved, {failed} not saved.",
  "bulk.eventPending":
    "{count, plural, one {The activity log entry of # save could not be written yet: SEPT writes it when Microsoft Graph answers again.} other {The activity log entries of # saves could not be written yet: SEPT writes them when Microsoft Graph answers again.}}",
} as const;

export const fr: Messages<typeof en> = {
  "bulk.heading":
    "{count, plural, one {# message sélectionné} many {# de messages sélectionnés} other {# messages sélectionnés}}",
  "bulk.button":
    "Enregistrer {count, plural, one {# message} many {# de messages} other {# messages}}",
  "bulk.progress":
    "{done, plural, one {# sur {total} traité} many {# sur {total} traités} other {# sur {total} traités}}",
  "bulk.result.saved": "Enregistré",
  "bulk.result.already_saved": "Déjà enregistré",
  "bulk.result.failed": "Non enregistré : {reason}",
  "bulk.summary":
    "{saved, plural, one {# enregistré} many {# enregistrés} other {# enregistrés}}, {already, plural, one {# déjà enregistré} many {# déjà enregistrés} other {# déjà enregistrés}}, {failed, plural, one {# non enregistré} many {# non enregistrés} other {# non enregistrés}}.",
  "bulk.eventPending":
    "{count, plural, one {L’entrée du journal d’activité de # enregistrement n’a pas encore pu être écrite : SEPT l’écrit dès que Microsoft Graph répond de nouveau.} many {Les entrées du journal d’activité de # d’enregistrements n’ont pas encore pu être écrites : SEPT les écrit dès que Microsoft Graph répond de nouveau.} other {Les entrées du journal d’activité de # enregistrements n’ont pas encore pu être écrites : SEPT les écrit dès que Microsoft Graph répond de nouveau.}}",
};
