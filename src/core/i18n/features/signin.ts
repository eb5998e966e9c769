// Strings for sign-in, org policy, deployment messages (issue: sign-in). Same keys in both languages: the type makes a gap a compile error.
export const en = {} as const;

export const fr: { readonly [K in keyof typeof en]: string } = {};
