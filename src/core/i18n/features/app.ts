// The add-in's name, its first loading line, and what the pane says when its view's script did not
// arrive (written without React, src/taskpane/index.tsx).
import type { Messages } from "../message-format.js";

export const en = {
  "app.title": "SEPT for Outlook",
  "app.loading": "Loading…",
  "app.loadFailed": "SEPT for Outlook could not load. Close the pane and open it again.",
} as const;

export const fr: Messages<typeof en> = {
  "app.title": "SEPT pour Outlook",
  "app.loading": "Chargement…",
  "app.loadFailed": "SEPT pour Outlook n’a pas pu se charger. Fermez le volet et rouvrez-le.",
};
