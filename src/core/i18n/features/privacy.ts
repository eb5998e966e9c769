// The Privacy view: current permission, withdrawal dialog, consent history, the organisation's policy.
import type { Messages } from "../message-format.js";

export const en = {
  "privacy.title": "Privacy",
  "privacy.current.granted":
    "You allowed SEPT to save {purposes} on {date} (privacy policy {version}).",
  "privacy.current.none": "You have not allowed SEPT to save emails.",
  "privacy.current.outdated":
    "Your permission was given under an earlier privacy policy ({version}); saving is paused until you choose again.",
  "privacy.current.withdrawn": "You withdrew your permission on {date}.",
  "privacy.withdraw": "Withdraw permission",
  "privacy.review": "Review permissions",
  "privacy.policyLink": "Privacy policy (version {version})",
  "privacy.dialog.title": "Withdraw your permission?",
  "privacy.dialog.stop": "Saving stops at once, including a save in progress or waiting.",
  "privacy.dialog.keep":
    "Emails already saved stay until their retention period ends, unless you delete them now.",
  "privacy.dialog.deleteNow": "Also delete every email I saved, now",
  "privacy.dialog.signin":
    "SEPT's Microsoft sign-in permission stays until it is removed: remove it at My Apps (myapps.microsoft.com), or ask your administrator.",
  "privacy.dialog.signout":
    "SEPT forgets the sign-in it holds in this pane. You stay signed in to Outlook and Microsoft 365: where Outlook signs you in to SEPT (nested app authentication), only Outlook can sign you out, and it can give SEPT a new sign-in when the pane next reads your privacy choices.",
  "privacy.dialog.confirm": "Withdraw",
  "privacy.dialog.cancel": "Cancel",
  "privacy.withdrawing": "Withdrawing…",
  "privacy.withdrawn.done": "Permission withdrawn. Saving has stopped.",
  "privacy.withdrawn.deleted":
    "{count, plural, one {# saved email deleted.} other {# saved emails deleted.}}",
  "privacy.history.title": "Consent history",
  "privacy.history.empty": "No consent recorded yet.",
  "privacy.history.grant": "Allowed {purposes}",
  "privacy.history.withdrawal": "Withdrawn",
  "privacy.history.policy": "policy {version}",
  "privacy.receipt.download": "Download receipt",
  "privacy.receipt.label": "Download receipt ({date})",
  "privacy.current.withdrawing":
    "You withdrew your permission and saving has stopped, but the withdrawal is not recorded yet.",
  "privacy.history.byPrivacyOffice": "Withdrawn through the privacy office",
  "privacy.org.title": "Your organisation's policy",
  "privacy.org.file": "Your administrator's policy file applies.",
  "privacy.org.missing":
    "No organisation policy file was found, so SEPT uses its most protective settings.",
  "privacy.org.restrictive":
    "Your organisation's policy file could not be used, so SEPT uses its most protective settings.",
  "privacy.org.content.allowed": "Email content may be saved, if you allow it.",
  "privacy.org.content.forbidden": "Only email details may be saved; email content never is.",
  "privacy.org.controller": "Data controller: {name} ({email}), jurisdiction {jurisdiction}.",
  "privacy.org.processor": "Processing on its behalf: {name}.",
  "privacy.org.policyVersion": "Privacy policy in force: version {version}.",
} as const;

export const fr: Messages<typeof en> = {
  "privacy.title": "Confidentialité",
  "privacy.current.granted":
    "Vous avez autorisé SEPT à enregistrer {purposes} le {date} (politique de confidentialité {version}).",
  "privacy.current.none": "Vous n’avez pas autorisé SEPT à enregistrer des courriels.",
  "privacy.current.outdated":
    "Votre autorisation a été donnée sous une politique antérieure ({version}) ; l’enregistrement est suspendu jusqu’à votre nouveau choix.",
  "privacy.current.withdrawn": "Vous avez retiré votre autorisation le {date}.",
  "privacy.withdraw": "Retirer l’autorisation",
  "privacy.review": "Revoir les autorisations",
  "privacy.policyLink": "Politique de confidentialité (version {version})",
  "privacy.dialog.title": "Retirer votre autorisation ?",
  "privacy.dialog.stop":
    "L’enregistrement s’arrête immédiatement, y compris un enregistrement en cours ou en attente.",
  "privacy.dialog.keep":
    "Les courriels déjà enregistrés restent jusqu’à la fin de leur durée de conservation, sauf si vous les supprimez maintenant.",
  "privacy.dialog.deleteNow": "Supprimer aussi maintenant tous les courriels que j’ai enregistrés",
  "privacy.dialog.signin":
    "L’autorisation de connexion Microsoft de SEPT reste en place jusqu’à son retrait : retirez-la dans Mes applications (myapps.microsoft.com) ou demandez-le à votre administrateur.",
  "privacy.dialog.signout":
    "SEPT oublie la connexion qu’il détient dans ce volet. Vous restez connecté à Outlook et à Microsoft 365 : lorsqu’Outlook vous connecte à SEPT (authentification d’application imbriquée), seul Outlook peut vous déconnecter, et il peut redonner une connexion à SEPT quand le volet relit vos choix de confidentialité.",
  "privacy.dialog.confirm": "Retirer",
  "privacy.dialog.cancel": "Annuler",
  "privacy.withdrawing": "Retrait en cours…",
  "privacy.withdrawn.done": "Autorisation retirée. L’enregistrement est arrêté.",
  "privacy.withdrawn.deleted":
    "{count, plural, one {# courriel enregistré supprimé.} many {# de courriels enregistrés supprimés.} other {# courriels enregistrés supprimés.}}",
  "privacy.history.title": "Historique des consentements",
  "privacy.history.empty": "Aucun consentement enregistré pour l’instant.",
  "privacy.history.grant": "Autorisé : {purposes}",
  "privacy.history.withdrawal": "Retiré",
  "privacy.history.policy": "politique {version}",
  "privacy.receipt.download": "Télécharger le reçu",
  "privacy.receipt.label": "Télécharger le reçu ({date})",
  "privacy.current.withdrawing":
    "Vous avez retiré votre autorisation et l’enregistrement est arrêté, mais le retrait n’est pas encore inscrit.",
  "privacy.history.byPrivacyOffice": "Retrait par le bureau de la protection de la vie privée",
  "privacy.org.title": "La politique de votre organisation",
  "privacy.org.file": "Le fichier de politique de votre administrateur s’applique.",
  "privacy.org.missing":
    "Aucun fichier de politique de l’organisation n’a été trouvé : SEPT applique ses paramètres les plus protecteurs.",
  "privacy.org.restrictive":
    "Le fichier de politique de votre organisation n’a pas pu être utilisé : SEPT applique ses paramètres les plus protecteurs.",
  "privacy.org.content.allowed":
    "Le contenu des courriels peut être enregistré, si vous l’autorisez.",
  "privacy.org.content.forbidden":
    "Seuls les détails des courriels peuvent être enregistrés ; leur contenu ne l’est jamais.",
  "privacy.org.controller":
    "Responsable du traitement : {name} ({email}), ressort juridique {jurisdiction}.",
  "privacy.org.processor": "Traitement pour son compte : {name}.",
  "privacy.org.policyVersion": "Politique de confidentialité en vigueur : version {version}.",
};
