// Strings for stored emails: review, correct, delete, export, retention (issue: rights). Same keys in both languages: the type makes a gap a compile error.
export const en = {} as const;

export const fr: { readonly [K in keyof typeof en]: string } = {};
