// Strings for what the storage itself says: no OneDrive, the app folder or library refused, and
// deletions that Microsoft 365 kept in the recycle bin. Same keys in both languages.
export const en = {
  "errors.drive_not_provisioned":
    "Your OneDrive is not set up yet, so SEPT has nowhere to save. Open OneDrive once (office.com) to create it. If that is not possible, an administrator must assign you a OneDrive licence and provision your OneDrive. Nothing was lost.",
  "errors.app_folder_refused":
    "Microsoft 365 refused SEPT its app folder in your OneDrive. An administrator must grant SEPT for Outlook the Files.ReadWrite.AppFolder permission (admin consent in Microsoft Entra ID) and allow apps to use OneDrive. Nothing was lost.",
  "errors.library_access_required":
    "Your organisation keeps SEPT data in a SharePoint library that SEPT cannot reach. An administrator must grant SEPT for Outlook access to that site (Sites.Selected with a site permission, or Files.ReadWrite.All), or switch storage back to OneDrive. Nothing was lost.",
  "storage.recycled":
    "Microsoft 365 did not allow SEPT to delete {count} file(s) for good, so they are in your OneDrive recycle bin: still restorable, and counted in your storage, for up to {days} days unless you empty the recycle bin. To delete them now, empty the recycle bin in OneDrive. Ask your administrator to allow permanent deletion for SEPT.",
} as const;

export const fr: { readonly [K in keyof typeof en]: string } = {
  "errors.drive_not_provisioned":
    "Votre OneDrive n’est pas encore configuré : SEPT n’a nulle part où enregistrer. Ouvrez OneDrive une fois (office.com) pour le créer. Si ce n’est pas possible, un administrateur doit vous attribuer une licence OneDrive et provisionner votre OneDrive. Rien n’a été perdu.",
  "errors.app_folder_refused":
    "Microsoft 365 a refusé à SEPT son dossier d’application dans votre OneDrive. Un administrateur doit accorder à SEPT for Outlook l’autorisation Files.ReadWrite.AppFolder (consentement administrateur dans Microsoft Entra ID) et permettre aux applications d’utiliser OneDrive. Rien n’a été perdu.",
  "errors.library_access_required":
    "Votre organisation conserve les données SEPT dans une bibliothèque SharePoint que SEPT ne peut pas atteindre. Un administrateur doit accorder à SEPT for Outlook l’accès à ce site (Sites.Selected avec une autorisation de site, ou Files.ReadWrite.All), ou revenir au stockage OneDrive. Rien n’a été perdu.",
  "storage.recycled":
    "Microsoft 365 n’a pas permis à SEPT de supprimer définitivement {count} fichier(s) : ils sont dans la corbeille de votre OneDrive, encore restaurables et comptés dans votre espace, pendant {days} jours au plus, sauf si vous videz la corbeille. Pour les supprimer maintenant, videz la corbeille de OneDrive. Demandez à votre administrateur d’autoriser la suppression définitive pour SEPT.",
};
