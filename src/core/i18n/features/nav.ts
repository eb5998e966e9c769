// The tab bar: the sections of the pane and its accessible name.
import type { Messages } from "../message-format.js";

export const en = {
  "nav.label": "SEPT sections",
  "nav.message": "Message",
  "nav.privacy": "Privacy",
  "nav.activity": "Activity",
  "nav.stored": "Stored",
  "nav.more": "{count, plural, one {# more section} other {# more sections}}",
} as const;

export const fr: Messages<typeof en> = {
  "nav.label": "Sections de SEPT",
  "nav.message": "Message",
  "nav.privacy": "Confidentialité",
  "nav.activity": "Activité",
  "nav.stored": "Enregistrés",
  "nav.more":
    "{count, plural, one {# autre section} many {# d’autres sections} other {# autres sections}}",
};
