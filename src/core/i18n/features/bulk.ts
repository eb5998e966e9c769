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
};
