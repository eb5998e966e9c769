// Saving several messages at once: selection, progress and per-message outcome.
import type { Messages } from "../message-format.js";

export const en = {
  "bulk.heading": "{count} messages selected",
  "bulk.button": "Save {count} messages",
  "bulk.progress": "{done} of {total} done",
  "bulk.result.saved": "Saved",
  "bulk.result.already_saved": "Already saved",
  "bulk.result.failed": "Not saved: {reason}",
  "bulk.summary": "{saved} saved, {already} already saved, {failed} not saved.",
} as const;

export const fr: Messages<typeof en> = {
  "bulk.heading": "{count} messages sélectionnés",
  "bulk.button": "Enregistrer {count} messages",
  "bulk.progress": "{done} sur {total} traités",
  "bulk.result.saved": "Enregistré",
  "bulk.result.already_saved": "Déjà enregistré",
  "bulk.result.failed": "Non enregistré : {reason}",
  "bulk.summary":
    "{saved} enregistré(s), {already} déjà enregistré(s), {failed} non enregistré(s).",
};
