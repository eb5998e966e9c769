// Strings for sign-in, org policy, deployment messages (issue: sign-in). Same keys in both languages: the type makes a gap a compile error.
export const en = {
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
  "signin.action": "Sign in",
  "signin.signOut": "Sign out",
  "signin.signedInAs": "Signed in as {name} ({username})",
  "signin.signedOut": "You are signed out of SEPT in this pane.",
  "signin.hostManaged":
    "Outlook signs you in to SEPT with your Outlook account. To sign out, sign out of Outlook.",
  "signin.dialog.title": "SEPT for Outlook: sign-in",
  "signin.dialog.working": "Signing you in to Microsoft 365…",
  "signin.dialog.signingOut": "Signing you out…",
  "signin.dialog.done": "Done. You can close this window.",
  "orgPolicy.fromDefaults":
    "No organisation policy applies, so SEPT uses its most protective settings (email details only, in your OneDrive app folder): {reason}",
  "orgPolicy.restrictive":
    "Your organisation's SEPT settings could not be used, so SEPT runs with its most restrictive settings (email details only, in your OneDrive app folder). Tell your administrator:",
  "orgPolicy.problem.missing": "no org-policy.json was found beside the add-in (HTTP 404).",
  "orgPolicy.problem.http": "org-policy.json could not be read (HTTP {status}).",
  "orgPolicy.problem.network": "org-policy.json could not be fetched (no connection).",
  "orgPolicy.problem.notJson": "org-policy.json is not valid JSON.",
  "orgPolicy.problem.notObject": "org-policy.json must hold one JSON object { … }.",
  "orgPolicy.problem.unknownField": "{path}: unknown setting; check its spelling.",
  "orgPolicy.problem.object": "{path} must be an object { … }.",
  "orgPolicy.problem.boolean": "{path} must be true or false.",
  "orgPolicy.problem.days": "{path} must be a whole number of days from {min} to {max}.",
  "orgPolicy.problem.retentionOrder":
    "retention: minDays ({min}) ≤ defaultDays ({default}) ≤ maxDays ({max}) must hold.",
  "orgPolicy.problem.text": "{path} must be text of 1 to {max} characters.",
  "orgPolicy.problem.httpsUrl": "{path} must be an https:// address.",
  "orgPolicy.problem.storageKind": '{path} must be "appFolder" or "sharePoint".',
  "orgPolicy.problem.driveId":
    "{path} must be a SharePoint drive id (letters, digits, !, _ and -), as Graph returns it.",
  "orgPolicy.problem.list": "{path} must be a list of at most {max} entries.",
  "orgPolicy.problem.projectId":
    "{path} must be 1 to 64 letters, digits, dots, dashes or underscores.",
  "orgPolicy.problem.duplicateProject": '{path}: the project id "{id}" is used twice.',
} as const;

export const fr: { readonly [K in keyof typeof en]: string } = {
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
  "signin.action": "Se connecter",
  "signin.signOut": "Se déconnecter",
  "signin.signedInAs": "Connecté en tant que {name} ({username})",
  "signin.signedOut": "Vous êtes déconnecté de SEPT dans ce volet.",
  "signin.hostManaged":
    "Outlook vous connecte à SEPT avec votre compte Outlook. Pour vous déconnecter, déconnectez-vous d’Outlook.",
  "signin.dialog.title": "SEPT pour Outlook : connexion",
  "signin.dialog.working": "Connexion à Microsoft 365 en cours…",
  "signin.dialog.signingOut": "Déconnexion en cours…",
  "signin.dialog.done": "Terminé. Vous pouvez fermer cette fenêtre.",
  "orgPolicy.fromDefaults":
    "Aucune politique de l’organisation ne s’applique : SEPT utilise ses paramètres les plus protecteurs (détails des courriels seulement, dans le dossier d’application de votre OneDrive) : {reason}",
  "orgPolicy.restrictive":
    "Les paramètres SEPT de votre organisation n’ont pas pu être utilisés : SEPT applique donc ses paramètres les plus restrictifs (détails des courriels seulement, dans le dossier d’application de votre OneDrive). Signalez-le à votre administrateur :",
  "orgPolicy.problem.missing":
    "aucun fichier org-policy.json n’a été trouvé à côté du complément (HTTP 404).",
  "orgPolicy.problem.http": "org-policy.json n’a pas pu être lu (HTTP {status}).",
  "orgPolicy.problem.network": "org-policy.json n’a pas pu être téléchargé (pas de connexion).",
  "orgPolicy.problem.notJson": "org-policy.json n’est pas un JSON valide.",
  "orgPolicy.problem.notObject": "org-policy.json doit contenir un seul objet JSON { … }.",
  "orgPolicy.problem.unknownField": "{path} : paramètre inconnu ; vérifiez son orthographe.",
  "orgPolicy.problem.object": "{path} doit être un objet { … }.",
  "orgPolicy.problem.boolean": "{path} doit valoir true ou false.",
  "orgPolicy.problem.days": "{path} doit être un nombre entier de jours entre {min} et {max}.",
  "orgPolicy.problem.retentionOrder":
    "retention : il faut minDays ({min}) ≤ defaultDays ({default}) ≤ maxDays ({max}).",
  "orgPolicy.problem.text": "{path} doit être un texte de 1 à {max} caractères.",
  "orgPolicy.problem.httpsUrl": "{path} doit être une adresse https://.",
  "orgPolicy.problem.storageKind": "{path} doit valoir « appFolder » ou « sharePoint ».",
  "orgPolicy.problem.driveId":
    "{path} doit être un identifiant de bibliothèque SharePoint (lettres, chiffres, !, _ et -), tel que Graph le renvoie.",
  "orgPolicy.problem.list": "{path} doit être une liste d’au plus {max} éléments.",
  "orgPolicy.problem.projectId":
    "{path} doit comporter de 1 à 64 lettres, chiffres, points, tirets ou traits de soulignement.",
  "orgPolicy.problem.duplicateProject":
    "{path} : l’identifiant de projet « {id} » est utilisé deux fois.",
};
