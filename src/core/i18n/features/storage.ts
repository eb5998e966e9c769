// Strings for deletions that Microsoft 365 kept in the recycle bin (the storage errors themselves
// are with the other errors in en.ts / fr.ts). Same keys in both languages.
export const en = {
  "storage.recycled":
    "Microsoft 365 did not allow SEPT to delete {count} file(s) for good, so they are in your OneDrive recycle bin: still restorable, and counted in your storage, for up to {days} days unless you empty the recycle bin. To delete them now, empty the recycle bin in OneDrive. Ask your administrator to allow permanent deletion for SEPT.",
} as const;

export const fr: { readonly [K in keyof typeof en]: string } = {
  "storage.recycled":
    "Microsoft 365 n’a pas permis à SEPT de supprimer définitivement {count} fichier(s) : ils sont dans la corbeille de votre OneDrive, encore restaurables et comptés dans votre espace, pendant {days} jours au plus, sauf si vous videz la corbeille. Pour les supprimer maintenant, videz la corbeille de OneDrive. Demandez à votre administrateur d’autoriser la suppression définitive pour SEPT.",
};
