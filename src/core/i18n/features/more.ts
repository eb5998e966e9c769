// Other messages of the conversation or a search, saved together with the open one.
import type { Messages } from "../message-format.js";

export const en = {
  "more.heading": "Other messages",
  "more.conversation": "Show other messages in this conversation",
  "more.conversationHint":
    "SEPT then asks Microsoft 365 for permission to read your mail (Mail.Read), once.",
  "more.loading": "Looking…",
  "more.none": "No other message found.",
  "more.fromSender": "Recent mail from {sender}",
  "more.search": "Search your mail",
  "more.searchButton": "Search",
  "more.pick": "Save {subject} too",
  "more.alreadyListed": "Already in the list",
  "more.button": "Save {count, plural, one {# message} other {# messages}}",
  "more.selected":
    "{count, plural, one {# message ticked: this one} other {# messages ticked, this one included}}",
  "more.thisMessage": "(this message)",
} as const;

export const fr: Messages<typeof en> = {
  "more.heading": "Autres messages",
  "more.conversation": "Afficher les autres messages de cette conversation",
  "more.conversationHint":
    "SEPT demande alors à Microsoft 365, une fois, l’autorisation de lire vos courriels (Mail.Read).",
  "more.loading": "Recherche…",
  "more.none": "Aucun autre message trouvé.",
  "more.fromSender": "Courriels récents de {sender}",
  "more.search": "Rechercher dans vos courriels",
  "more.searchButton": "Rechercher",
  "more.pick": "Enregistrer aussi {subject}",
  "more.alreadyListed": "Déjà dans la liste",
  "more.button":
    "Enregistrer {count, plural, one {# message} many {# de messages} other {# messages}}",
  "more.selected":
    "{count, plural, one {# message coché : celui-ci} many {# de messages cochés, celui-ci compris} other {# messages cochés, celui-ci compris}}",
  "more.thisMessage": "(ce message)",
};
