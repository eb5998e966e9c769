// What the pane says when this Outlook lacks a feature SEPT needs.
import type { Messages } from "../message-format.js";

export const en = {
  "host.unsupported": "This version of Outlook lacks a feature SEPT needs ({feature}).",
} as const;

export const fr: Messages<typeof en> = {
  "host.unsupported":
    "Cette version d’Outlook n’offre pas une fonction requise par SEPT ({feature}).",
};
