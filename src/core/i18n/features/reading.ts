// Strings for reading messages with least privilege: protected messages, saving other messages
// of the conversation, and the permissions in use. Same keys in both languages.
export const en = {
  "errors.encrypted_message":
    "This message is encrypted (S/MIME or PGP), so SEPT cannot read it and saves nothing of it. Signed messages are saved.",
  "errors.rights_protected":
    "This message is protected by your organisation's rights management (IRM), so SEPT does not save it.",
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
  "more.button": "Save {count} messages",
  "more.selected": "{count} message(s) ticked, this one included",
  "more.thisMessage": "(this message)",
  "permissions.heading": "Permissions in use",
  "permissions.intro": "What SEPT may do in Microsoft 365, and why.",
  "permissions.readItem":
    "Outlook add-in permission “read item”: read the message you have open, nothing else in your mailbox.",
  "permissions.userRead": "User.Read: sign you in and know who you are.",
  "permissions.files":
    "Files.ReadWrite.AppFolder: SEPT's own folder in your OneDrive, where your saved emails, consent and activity live. No other file.",
  "permissions.mailRead":
    "Mail.Read: read messages in your mailbox through Microsoft Graph. Asked only when needed: for other messages of a conversation or a search, or when this Outlook cannot hand over the open message itself.",
  "permissions.mailRead.used": "In use in this session.",
  "permissions.mailRead.unused": "Not used in this session.",
  "permissions.host.current":
    "This Outlook hands over the open message itself (Mailbox 1.14): saving it needs no Mail.Read.",
  "permissions.host.older":
    "This Outlook cannot hand over the open message (it lacks Mailbox 1.14): saving reads it through Microsoft Graph with Mail.Read.",
  "permissions.notAsked":
    "Never asked: writing or sending mail, or any permission over the whole mailbox (Outlook's own multi-select would need one).",
} as const;

export const fr: { readonly [K in keyof typeof en]: string } = {
  "errors.encrypted_message":
    "Ce message est chiffré (S/MIME ou PGP) : SEPT ne peut pas le lire et n’en enregistre rien. Les messages signés sont enregistrés.",
  "errors.rights_protected":
    "Ce message est protégé par la gestion des droits de votre organisation (IRM) : SEPT ne l’enregistre pas.",
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
  "more.button": "Enregistrer {count} messages",
  "more.selected": "{count} message(s) coché(s), celui-ci compris",
  "more.thisMessage": "(ce message)",
  "permissions.heading": "Autorisations utilisées",
  "permissions.intro": "Ce que SEPT peut faire dans Microsoft 365, et pourquoi.",
  "permissions.readItem":
    "Autorisation de complément Outlook « lire l’élément » : lire le message ouvert, rien d’autre de votre boîte aux lettres.",
  "permissions.userRead": "User.Read : vous connecter et savoir qui vous êtes.",
  "permissions.files":
    "Files.ReadWrite.AppFolder : le dossier de SEPT dans votre OneDrive, où se trouvent vos courriels enregistrés, vos consentements et l’activité. Aucun autre fichier.",
  "permissions.mailRead":
    "Mail.Read : lire des messages de votre boîte aux lettres par Microsoft Graph. Demandée seulement au besoin : pour les autres messages d’une conversation ou une recherche, ou quand cet Outlook ne peut pas remettre lui-même le message ouvert.",
  "permissions.mailRead.used": "Utilisée pendant cette session.",
  "permissions.mailRead.unused": "Pas utilisée pendant cette session.",
  "permissions.host.current":
    "Cet Outlook remet lui-même le message ouvert (Mailbox 1.14) : l’enregistrer ne demande pas Mail.Read.",
  "permissions.host.older":
    "Cet Outlook ne peut pas remettre le message ouvert (il n’a pas Mailbox 1.14) : l’enregistrer le lit par Microsoft Graph avec Mail.Read.",
  "permissions.notAsked":
    "Jamais demandé : écrire ou envoyer des courriels, ni aucune autorisation sur toute la boîte aux lettres (la sélection multiple d’Outlook en exigerait une).",
};
