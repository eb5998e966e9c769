// The add-in's name and its first loading line.
import type { Messages } from "../message-format.js";

export const en = {
  "app.title": "SEPT for Outlook",
  "app.loading": "Loading…",
} as const;

export const fr: Messages<typeof en> = {
  "app.title": "SEPT pour Outlook",
  "app.loading": "Chargement…",
};
