// The message of every typed SeptError, by code (core/errors.ts maps codes to these keys).
import type { Messages } from "../message-format.js";

export const en = {
  "errors.consent_required": "SEPT needs your permission before it can save this.",
  "errors.no_item": "No message is selected.",
  "errors.compose_mode": "This message is still a draft. Send it or save it first.",
  "errors.unsupported_host": "This version of Outlook does not support this action.",
  "errors.office_call_failed": "Outlook could not complete the request. Try again.",
  "errors.auth_required": "Your sign-in has expired. Sign in again to continue.",
  "errors.access_denied": "Microsoft 365 refused access to SEPT storage. Ask your administrator.",
  "errors.not_found": "The item was not found. It may have been moved or deleted.",
  "errors.conflict": "The item changed at the same time elsewhere. Try again.",
  "errors.precondition_failed": "The item changed at the same time elsewhere. Try again.",
  "errors.throttled": "Microsoft 365 is busy. SEPT will retry in {seconds} s.",
  "errors.service_unavailable": "Microsoft 365 is temporarily unavailable. Try again in a moment.",
  "errors.timeout": "Microsoft 365 took too long to answer. Try again.",
  "errors.quota_full": "Your OneDrive storage is full. Free up space and try again.",
  "errors.too_large": "This message is too large to save.",
  "errors.protected_message":
    "This message is encrypted or rights-protected, so SEPT cannot save it.",
  "errors.bad_request": "The request was refused as malformed.",
  "errors.network": "No connection to Microsoft 365. Check your network and try again.",
  "errors.unknown": "Something went wrong. Nothing was lost; try again.",
  "errors.drive_not_provisioned":
    "Your OneDrive is not set up yet, so SEPT has nowhere to save. Open OneDrive once (office.com) to create it. If that is not possible, an administrator must assign you a OneDrive licence and provision your OneDrive. Nothing was lost.",
  "errors.app_folder_refused":
    "Microsoft 365 refused SEPT its app folder in your OneDrive. An administrator must grant SEPT for Outlook the Files.ReadWrite.AppFolder permission (admin consent in Microsoft Entra ID) and allow apps to use OneDrive. Nothing was lost.",
  "errors.library_access_required":
    "Your organisation keeps SEPT data in a SharePoint library that SEPT cannot reach. An administrator must grant SEPT for Outlook access to that site (Sites.Selected with a site permission, or Files.ReadWrite.All), or switch storage back to OneDrive. Nothing was lost.",
  "errors.retention_out_of_bounds":
    "Choose a whole number of days between {min} and {max}: your organisation’s limits.",
  "errors.retention_forever_not_allowed":
    "Your organisation does not allow keeping emails until you delete them. Choose up to {max, plural, one {# day} other {# days}}.",
  "errors.cancelled": "The action was cancelled.",
  "errors.consent_denied_by_tenant":
    "Your organisation has not allowed SEPT to access Microsoft 365 for you. Ask your administrator to approve SEPT for Outlook.",
  "errors.popup_blocked":
    "The sign-in window was blocked. Allow pop-ups for Outlook, then try again.",
  "errors.third_party_cookies":
    "Your browser blocks the cookies Microsoft sign-in needs inside Outlook. Allow cookies for login.microsoftonline.com, or use the Outlook app, then try again.",
  "errors.sign_in_cancelled":
    "Sign-in was cancelled. SEPT can reach your Microsoft 365 storage only after you sign in.",
  "errors.sign_in_failed":
    "Sign-in failed. Try again; if it keeps failing, give your administrator this code: {detail}.",
  "errors.content_not_allowed":
    "Your organisation allows SEPT to save email details only, never email content.",
  "errors.encrypted_message":
    "This message is encrypted (S/MIME or PGP), so SEPT cannot read it and saves nothing of it. Signed messages are saved.",
  "errors.rights_protected":
    "This message is protected by your organisation's rights management (IRM), so SEPT does not save it.",
} as const;

export const fr: Messages<typeof en> = {
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
  "errors.drive_not_provisioned":
    "Votre OneDrive n’est pas encore configuré : SEPT n’a nulle part où enregistrer. Ouvrez OneDrive une fois (office.com) pour le créer. Si ce n’est pas possible, un administrateur doit vous attribuer une licence OneDrive et provisionner votre OneDrive. Rien n’a été perdu.",
  "errors.app_folder_refused":
    "Microsoft 365 a refusé à SEPT son dossier d’application dans votre OneDrive. Un administrateur doit accorder à SEPT for Outlook l’autorisation Files.ReadWrite.AppFolder (consentement administrateur dans Microsoft Entra ID) et permettre aux applications d’utiliser OneDrive. Rien n’a été perdu.",
  "errors.library_access_required":
    "Votre organisation conserve les données SEPT dans une bibliothèque SharePoint que SEPT ne peut pas atteindre. Un administrateur doit accorder à SEPT for Outlook l’accès à ce site (Sites.Selected avec une autorisation de site, ou Files.ReadWrite.All), ou revenir au stockage OneDrive. Rien n’a été perdu.",
  "errors.retention_out_of_bounds":
    "Choisissez un nombre entier de jours entre {min} et {max} : les limites de votre organisation.",
  "errors.retention_forever_not_allowed":
    "Votre organisation ne permet pas de conserver les courriels jusqu’à leur suppression. Choisissez au plus {max, plural, one {# jour} many {# de jours} other {# jours}}.",
  "errors.cancelled": "L’action a été annulée.",
  "errors.consent_denied_by_tenant":
    "Votre organisation n’a pas autorisé SEPT à accéder à Microsoft 365 pour vous. Demandez à votre administrateur d’approuver SEPT pour Outlook.",
  "errors.popup_blocked":
    "La fenêtre de connexion a été bloquée. Autorisez les fenêtres contextuelles pour Outlook, puis réessayez.",
  "errors.third_party_cookies":
    "Votre navigateur bloque les cookies dont la connexion Microsoft a besoin dans Outlook. Autorisez les cookies pour login.microsoftonline.com, ou utilisez l’application Outlook, puis réessayez.",
  "errors.sign_in_cancelled":
    "La connexion a été annulée. SEPT n’accède à votre stockage Microsoft 365 qu’une fois que vous êtes connecté.",
  "errors.sign_in_failed":
    "La connexion a échoué. Réessayez ; si l’échec persiste, donnez ce code à votre administrateur : {detail}.",
  "errors.content_not_allowed":
    "Votre organisation permet à SEPT d’enregistrer seulement les détails des courriels, jamais leur contenu.",
  "errors.encrypted_message":
    "Ce message est chiffré (S/MIME ou PGP) : SEPT ne peut pas le lire et n’en enregistre rien. Les messages signés sont enregistrés.",
  "errors.rights_protected":
    "Ce message est protégé par la gestion des droits de votre organisation (IRM) : SEPT ne l’enregistre pas.",
};
