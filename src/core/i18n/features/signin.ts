// Sign-in and sign-out, in the pane and in the sign-in dialog.
import type { Messages } from "../message-format.js";

export const en = {
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
} as const;

export const fr: Messages<typeof en> = {
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
};
