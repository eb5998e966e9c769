export type Language = "en" | "fr";

/** The locale each language writes numbers, dates and plurals in (SEPT's users are Canadian). */
export const locales: Record<Language, string> = { en: "en-CA", fr: "fr-CA" };
