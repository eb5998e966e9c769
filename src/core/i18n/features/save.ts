// Strings for saving emails, projects, bulk save, already saved (issue: save). Same keys in both languages: the type makes a gap a compile error.
export const en = {} as const;

export const fr: { readonly [K in keyof typeof en]: string } = {};
