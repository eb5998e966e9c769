import type { BaseDictionary } from "./index.js";

/** French strings. The type makes a missing or extra key a compile error. */
export const fr: BaseDictionary = {
  "app.title": "SEPT pour Outlook",
  "app.loading": "Chargement…",
  "nav.label": "Sections de SEPT",
  "nav.message": "Message",
  "message.heading": "Message actuel",
  "message.subject": "Objet",
  "message.from": "De",
  "message.date": "Date",
  "message.attachments": "{count} pièce(s) jointe(s)",
  "message.noSubject": "(sans objet)",
  "message.none": "Sélectionnez un message dans Outlook pour l’enregistrer dans SEPT.",
  "message.compose":
    "SEPT enregistre les messages reçus ou envoyés. Un brouillon en cours de rédaction ne peut pas être enregistré.",
  "message.pinnedHint":
    "Épinglez ce volet pour le garder ouvert pendant que vous passez d’un message à l’autre.",
  "host.unsupported":
    "Cette version d’Outlook n’offre pas une fonction requise par SEPT ({feature}).",
  "errors.consent_required":
    "SEPT a besoin de votre autorisation avant de pouvoir enregistrer ceci.",
  "errors.no_item": "Aucun message n’est sélectionné.",
  "errors.compose_mode":
    "Ce message est encore un brouillon. Envoyez-le ou enregistrez-le d’abord.",
  "errors.unsupported_host": "Cette version d’Outlook ne prend pas en charge cette action.",
  "errors.office_call_failed": "Outlook n’a pas pu traiter la demande. Réessayez.",
  "errors.auth_required": "Votre session a expiré. Reconnectez-vous pour continuer.",
  "errors.access_denied":
    "Microsoft 365 a refusé l’accès au stockage SEPT. Adressez-vous à votre administrateur.",
  "errors.not_found": "L’élément est introuvable. Il a peut-être été déplacé ou supprimé.",
  "errors.conflict": "L’élément a été modifié ailleurs au même moment. Réessayez.",
  "errors.precondition_failed": "L’élément a été modifié ailleurs au même moment. Réessayez.",
  "errors.throttled": "Microsoft 365 est occupé. SEPT réessaiera dans {seconds} s.",
  "errors.service_unavailable":
    "Microsoft 365 est momentanément indisponible. Réessayez dans un instant.",
  "errors.timeout": "Microsoft 365 a mis trop de temps à répondre. Réessayez.",
  "errors.quota_full": "Votre espace OneDrive est plein. Libérez de l’espace et réessayez.",
  "errors.too_large": "Ce message est trop volumineux pour être enregistré.",
  "errors.protected_message":
    "Ce message est chiffré ou protégé par des droits : SEPT ne peut pas l’enregistrer.",
  "errors.bad_request": "La demande a été refusée car mal formée.",
  "errors.network": "Pas de connexion à Microsoft 365. Vérifiez votre réseau et réessayez.",
  "errors.unknown": "Une erreur s’est produite. Rien n’a été perdu ; réessayez.",
  "errors.retention_out_of_bounds":
    "Choisissez un nombre entier de jours entre {min} et {max} : les limites de votre organisation.",
  "errors.retention_forever_not_allowed":
    "Votre organisation ne permet pas de conserver les courriels jusqu’à leur suppression. Choisissez au plus {max} jours.",
  "nav.privacy": "Confidentialité",
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
  "privacy.withdrawn.deleted": "{count} courriel(s) enregistré(s) supprimé(s).",
  "privacy.history.title": "Historique des consentements",
  "privacy.history.empty": "Aucun consentement enregistré pour l’instant.",
  "privacy.history.grant": "Autorisé : {purposes}",
  "privacy.history.withdrawal": "Retiré",
  "privacy.history.policy": "politique {version}",
  "privacy.receipt.download": "Télécharger le reçu",
  "privacy.receipt.label": "Télécharger le reçu ({date})",
  "errors.cancelled": "L’action a été annulée.",
};
