import type { Dictionary } from "./index.js";

/** French strings. The type makes a missing or extra key a compile error. */
export const fr: Dictionary = {
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
  "errors.bad_request": "La demande a été refusée car mal formée.",
  "errors.network": "Pas de connexion à Microsoft 365. Vérifiez votre réseau et réessayez.",
  "errors.unknown": "Une erreur s’est produite. Rien n’a été perdu ; réessayez.",
};
