// Deletions that Microsoft 365 kept in the recycle bin. For work and school accounts, emptying the
// OneDrive recycle bin moves items to a second-stage recycle bin that only an admin can empty, and
// both together keep them 93 days from deletion by default (Microsoft Support, "Restore deleted
// files or folders in OneDrive"; Graph recycleBinSettings).
import type { Messages } from "../message-format.js";

export const en = {
  "storage.recycled":
    "Microsoft 365 did not allow SEPT to delete {count, plural, one {# file for good, so it is in your OneDrive recycle bin: still restorable, and counted in your storage. Microsoft 365 deletes it} other {# files for good, so they are in your OneDrive recycle bin: still restorable, and counted in your storage. Microsoft 365 deletes them}} for good at most {days, plural, one {# day} other {# days}} after the deletion; emptying your recycle bin moves {count, plural, one {it} other {them}} to a second-stage recycle bin that only your administrator can empty.",
} as const;

export const fr: Messages<typeof en> = {
  "storage.recycled":
    "Microsoft 365 n’a pas permis à SEPT de supprimer définitivement {count, plural, one {# fichier : il est dans la corbeille de votre OneDrive, encore restaurable et compté dans votre espace. Microsoft 365 le supprime} many {# de fichiers : ils sont dans la corbeille de votre OneDrive, encore restaurables et comptés dans votre espace. Microsoft 365 les supprime} other {# fichiers : ils sont dans la corbeille de votre OneDrive, encore restaurables et comptés dans votre espace. Microsoft 365 les supprime}} définitivement au plus {days, plural, one {# jour} many {# de jours} other {# jours}} après la suppression ; vider votre corbeille {count, plural, one {le fait} many {les fait} other {les fait}} passer dans une corbeille de second niveau que seul votre administrateur peut vider.",
};
