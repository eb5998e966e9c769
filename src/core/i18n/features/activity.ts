// Strings for the Activity view and the activity log (issue: save). Same keys in both languages: the type makes a gap a compile error.
export const en = {
  "projects.nameInvalid": "A project name needs 1 to {max} characters, on one line.",
  "projects.nameTaken": "A project named “{name}” already exists.",
} as const;

export const fr: { readonly [K in keyof typeof en]: string } = {
  "projects.nameInvalid": "Un nom de projet compte de 1 à {max} caractères, sur une ligne.",
  "projects.nameTaken": "Un projet nommé « {name} » existe déjà.",
};
