// The card describing the message open in Outlook.
import type { Messages } from "../message-format.js";

export const en = {
  "message.heading": "Current message",
  "message.subject": "Subject",
  "message.from": "From",
  "message.date": "Date",
  "message.attachments": "{count, plural, one {# attachment} other {# attachments}}",
  "message.noSubject": "(no subject)",
  "message.none": "Select a message in Outlook to save it to SEPT.",
  "message.compose":
    "SEPT saves messages you have received or sent. Drafts being written cannot be saved.",
  "message.pinnedHint": "Pin this pane to keep it open as you move between messages.",
} as const;

export const fr: Messages<typeof en> = {
  "message.heading": "Message actuel",
  "message.subject": "Objet",
  "message.from": "De",
  "message.date": "Date",
  "message.attachments":
    "{count, plural, one {# pièce jointe} many {# de pièces jointes} other {# pièces jointes}}",
  "message.noSubject": "(sans objet)",
  "message.none": "Sélectionnez un message dans Outlook pour l’enregistrer dans SEPT.",
  "message.compose":
    "SEPT enregistre les messages reçus ou envoyés. Un brouillon en cours de rédaction ne peut pas être enregistré.",
  "message.pinnedHint":
    "Épinglez ce volet pour le garder ouvert pendant que vous passez d’un message à l’autre.",
};
