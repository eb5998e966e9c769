// The organisation's policy file (org-policy.json) and every problem found in it.
import type { Messages } from "../message-format.js";

export const en = {
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
  "orgPolicy.problem.text":
    "{path} must be text of 1 to {max, plural, one {# character} other {# characters}}.",
  "orgPolicy.problem.httpsUrl": "{path} must be an https:// address.",
  "orgPolicy.problem.storageKind": '{path} must be "appFolder" or "sharePoint".',
  "orgPolicy.problem.driveId":
    "{path} must be a SharePoint drive id (letters, digits, !, _ and -), as Graph returns it.",
  "orgPolicy.problem.list":
    "{path} must be a list of at most {max, plural, one {# entry} other {# entries}}.",
  "orgPolicy.problem.projectId":
    "{path} must be 1 to 64 letters, digits, dots, dashes or underscores.",
  "orgPolicy.problem.duplicateProject": '{path}: the project id "{id}" is used twice.',
  "orgPolicy.problem.email": "{path} must be an email address.",
  "orgPolicy.problem.country": "{path} must be a two-letter country code (ISO 3166), such as CA.",
} as const;

export const fr: Messages<typeof en> = {
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
  "orgPolicy.problem.text":
    "{path} doit être un texte de 1 à {max, plural, one {# caractère} many {# de caractères} other {# caractères}}.",
  "orgPolicy.problem.httpsUrl": "{path} doit être une adresse https://.",
  "orgPolicy.problem.storageKind": "{path} doit valoir « appFolder » ou « sharePoint ».",
  "orgPolicy.problem.driveId":
    "{path} doit être un identifiant de bibliothèque SharePoint (lettres, chiffres, !, _ et -), tel que Graph le renvoie.",
  "orgPolicy.problem.list":
    "{path} doit être une liste d’au plus {max, plural, one {# élément} many {# d’éléments} other {# éléments}}.",
  "orgPolicy.problem.projectId":
    "{path} doit comporter de 1 à 64 lettres, chiffres, points, tirets ou traits de soulignement.",
  "orgPolicy.problem.duplicateProject":
    "{path} : l’identifiant de projet « {id} » est utilisé deux fois.",
  "orgPolicy.problem.email": "{path} doit être une adresse de courriel.",
  "orgPolicy.problem.country":
    "{path} doit être un code de pays à deux lettres (ISO 3166), comme CA.",
};
