// Deletions that Microsoft 365 kept in the recycle bin. For work and school accounts, emptying the
// OneDrive recycle bin moves items to a second-stage recycle bin that only an admin can empty, and
// both together keep them 93 days from deletion by default (Microsoft Support, "Restore deleted
// files or folders in OneDrive"; Graph recycleBinSettings).
import type { Messages } from "../message-format.js";

export const en = {
  "storage.recycled":
    "Microsoft 365 did not allow SEPT to delete {count} file(s) for good, so they are in your OneDrive recycle bin: still restorable, and counted in your storage. Microsoft 365 deletes them for good at most {days} days after the deletion; emptying your recycle bin moves them to a second-stage recycle bin that only your administrator can empty.",
} as const;

export const fr: Messages<typeof en> = {
  "storage.recycled":
    "Microsoft 365 n’a pas permis à SEPT de supprimer définitivement {count} fichier(s) : ils sont dans la corbeille de votre OneDrive, encore restaurables et comptés dans votre espace. Microsoft 365 les supprime définitivement au plus {days} jours après la suppression ; vider votre corbeille les fait passer dans une corbeille de second niveau que seul votre administrateur peut vider.",
};
