// The consent gate: what SEPT asks before saving, and the states of a withdrawal as it shows them.
import type { Messages } from "../message-format.js";

export const en = {
  "consent.title": "Before SEPT saves anything",
  "consent.intro":
    "SEPT for Outlook saves the emails you choose to SEPT storage in your Microsoft 365 account, linked to your projects. Nothing leaves Outlook until you allow it here.",
  "consent.choose": "What may SEPT save?",
  "consent.metadata.label": "Email details (metadata)",
  "consent.metadata.help":
    "Sender, recipients, subject, dates and message ids of each email you save. Needed to save any email and link it to a project.",
  "consent.content.label": "Email content",
  "consent.content.help":
    "The body and attachments of each email you save, kept as the original .eml file. Needs email details.",
  "consent.why": "Why: to keep the emails you choose, search them and link them to projects.",
  "consent.where":
    "Where: in your Microsoft 365 storage (the SEPT app folder of your OneDrive), read and written through Microsoft Graph.",
  "consent.howLong":
    "How long: until you delete them, or until your retention setting removes them.",
  "consent.who":
    "Who sees it: you, and whoever your organisation lets into your SEPT storage. SEPT does not sell your data.",
  "consent.withdrawInfo":
    "You can withdraw this permission at any time under Privacy, in one step.",
  "consent.policyLink": "Read the full privacy policy (version {version})",
  "consent.allow": "Allow",
  "consent.notNow": "Not now",
  "consent.allowHint": "Choose at least email details to allow saving.",
  "consent.saving": "Saving your choice…",
  "consent.outdated.title": "The privacy policy has changed",
  "consent.outdated.body":
    "SEPT's privacy policy is now version {version}. Saving is paused until you review what changed and choose again.",
  "consent.outdated.noSummary": "No summary of the changes is available: please read the policy.",
  "consent.withdrawn.body":
    "You withdrew your permission on {date}. SEPT saves nothing until you allow it again.",
  "consent.declined.title": "Saving is off",
  "consent.declined.body":
    "You chose not to allow saving for now. You can still read the privacy policy, and allow saving whenever you like.",
  "consent.declined.review": "Choose permissions",
  "consent.loading": "Checking your privacy choices…",
  "consent.loadFailed": "Your privacy choices could not be read, so saving is off. {reason}",
  "consent.retry": "Try again",
  "consent.granted.metadata": "email details",
  "consent.granted.content": "email content",
  "consent.content.orgForbids":
    "Your organisation allows SEPT to save email details only: email content is never saved.",
  "consent.withdrawing.title": "Your withdrawal is not recorded yet",
  "consent.withdrawing.body":
    "Saving has stopped in this pane. Your withdrawal is kept on this device and written to your SEPT storage as soon as it can be; other Outlook windows stop saving once it is recorded, after at most the message each one is already saving.",
  "consent.withdrawing.failed": "It could not be recorded: {reason}",
  "consent.withdrawing.retry": "Try again",
  "consent.withdrawn.elsewhere":
    "Your permission was withdrawn in another Outlook window on {date}, so saving stopped here too.",
  "consent.withdrawn.privacyOffice":
    "The privacy office recorded your withdrawal on {date} (your request of {requested}), so saving has stopped.",
} as const;

export const fr: Messages<typeof en> = {
  "consent.title": "Avant que SEPT n’enregistre quoi que ce soit",
  "consent.intro":
    "SEPT pour Outlook enregistre les courriels que vous choisissez dans le stockage SEPT de votre compte Microsoft 365, liés à vos projets. Rien ne quitte Outlook tant que vous ne l’autorisez pas ici.",
  "consent.choose": "Que peut enregistrer SEPT ?",
  "consent.metadata.label": "Détails des courriels (métadonnées)",
  "consent.metadata.help":
    "Expéditeur, destinataires, objet, dates et identifiants de chaque courriel enregistré. Nécessaire pour enregistrer un courriel et le lier à un projet.",
  "consent.content.label": "Contenu des courriels",
  "consent.content.help":
    "Le corps et les pièces jointes de chaque courriel enregistré, conservés dans le fichier .eml d’origine. Nécessite les détails des courriels.",
  "consent.why":
    "Pourquoi : pour conserver les courriels choisis, les retrouver et les lier à vos projets.",
  "consent.where":
    "Où : dans votre stockage Microsoft 365 (le dossier d’application SEPT de votre OneDrive), lu et écrit par Microsoft Graph.",
  "consent.howLong":
    "Combien de temps : jusqu’à ce que vous les supprimiez, ou que votre durée de conservation les efface.",
  "consent.who":
    "Qui les voit : vous, et les personnes à qui votre organisation donne accès à votre stockage SEPT. SEPT ne vend pas vos données.",
  "consent.withdrawInfo":
    "Vous pouvez retirer cette autorisation à tout moment, en une étape, sous Confidentialité.",
  "consent.policyLink": "Lire la politique de confidentialité complète (version {version})",
  "consent.allow": "Autoriser",
  "consent.notNow": "Pas maintenant",
  "consent.allowHint":
    "Choisissez au moins les détails des courriels pour autoriser l’enregistrement.",
  "consent.saving": "Enregistrement de votre choix…",
  "consent.outdated.title": "La politique de confidentialité a changé",
  "consent.outdated.body":
    "La politique de confidentialité de SEPT est maintenant la version {version}. L’enregistrement est suspendu jusqu’à ce que vous preniez connaissance des changements et choisissiez de nouveau.",
  "consent.outdated.noSummary":
    "Aucun résumé des changements n’est disponible : veuillez lire la politique.",
  "consent.withdrawn.body":
    "Vous avez retiré votre autorisation le {date}. SEPT n’enregistre rien tant que vous ne l’autorisez pas de nouveau.",
  "consent.declined.title": "L’enregistrement est désactivé",
  "consent.declined.body":
    "Vous avez choisi de ne pas autoriser l’enregistrement pour l’instant. Vous pouvez toujours lire la politique de confidentialité et autoriser l’enregistrement quand vous le voulez.",
  "consent.declined.review": "Choisir les autorisations",
  "consent.loading": "Vérification de vos choix de confidentialité…",
  "consent.loadFailed":
    "Vos choix de confidentialité n’ont pas pu être lus ; l’enregistrement est donc désactivé. {reason}",
  "consent.retry": "Réessayer",
  "consent.granted.metadata": "les détails des courriels",
  "consent.granted.content": "le contenu des courriels",
  "consent.content.orgForbids":
    "Votre organisation permet à SEPT d’enregistrer seulement les détails des courriels : leur contenu n’est jamais enregistré.",
  "consent.withdrawing.title": "Votre retrait n’est pas encore inscrit",
  "consent.withdrawing.body":
    "L’enregistrement est arrêté dans ce volet. Votre retrait est conservé sur cet appareil et inscrit dans votre stockage SEPT dès que possible ; les autres fenêtres d’Outlook cessent d’enregistrer une fois qu’il est inscrit, après au plus le message que chacune enregistre déjà.",
  "consent.withdrawing.failed": "Il n’a pas pu être inscrit : {reason}",
  "consent.withdrawing.retry": "Réessayer",
  "consent.withdrawn.elsewhere":
    "Votre autorisation a été retirée dans une autre fenêtre d’Outlook le {date} : l’enregistrement s’est donc arrêté ici aussi.",
  "consent.withdrawn.privacyOffice":
    "Le bureau de la protection de la vie privée a inscrit votre retrait le {date} (votre demande du {requested}) : l’enregistrement est arrêté.",
};
