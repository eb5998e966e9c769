// Projects: naming rules, rename and archive.
import type { Messages } from "../message-format.js";

export const en = {
  "projects.heading": "Projects",
  "projects.empty": "No project yet: create one when you save an email.",
  "projects.rename": "Rename",
  "projects.renameLabel": "New name for {name}",
  "projects.renameSave": "Save name",
  "projects.archive": "Archive",
  "projects.unarchive": "Restore",
  "projects.archived": "archived",
  "projects.cancel": "Cancel",
  "projects.nameInvalid":
    "A project name needs 1 to {max, plural, one {# character} other {# characters}}, on one line.",
  "projects.nameTaken": "A project named “{name}” already exists.",
} as const;

export const fr: Messages<typeof en> = {
  "projects.heading": "Projets",
  "projects.empty": "Aucun projet : créez-en un en enregistrant un courriel.",
  "projects.rename": "Renommer",
  "projects.renameLabel": "Nouveau nom pour {name}",
  "projects.renameSave": "Enregistrer le nom",
  "projects.archive": "Archiver",
  "projects.unarchive": "Restaurer",
  "projects.archived": "archivé",
  "projects.cancel": "Annuler",
  "projects.nameInvalid":
    "Un nom de projet compte de 1 à {max, plural, one {# caractère} many {# de caractères} other {# caractères}}, sur une ligne.",
  "projects.nameTaken": "Un projet nommé « {name} » existe déjà.",
};
