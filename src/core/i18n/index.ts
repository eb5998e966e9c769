import { en } from "./en.js";
import { fr } from "./fr.js";

export type MessageKey = keyof typeof en;
export type Dictionary = { readonly [K in MessageKey]: string };
export type Language = "en" | "fr";

const dictionaries: Record<Language, Dictionary> = { en, fr };

/** Office reports a display language such as "fr-FR" or "en-US"; anything not French reads English. */
export function resolveLanguage(displayLanguage: string | undefined | null): Language {
  return displayLanguage?.toLowerCase().startsWith("fr") ? "fr" : "en";
}

/** Looks up a key and fills `{name}` placeholders; an unknown placeholder is left visible. */
export function translate(
  language: Language,
  key: MessageKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const template = dictionaries[language][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function dictionary(language: Language): Dictionary {
  return dictionaries[language];
}
