// The permissions in use, and why each is needed (least privilege).
import type { Messages } from "../message-format.js";

export const en = {
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

export const fr: Messages<typeof en> = {
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
