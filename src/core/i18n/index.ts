import { en as baseEn } from "./en.js";
import { fr as baseFr } from "./fr.js";
import * as activity from "./features/activity.js";
import * as consent from "./features/consent.js";
import * as panes from "./features/panes.js";
import * as storedView from "./features/stored-view.js";
import * as save from "./features/save.js";
import * as signin from "./features/signin.js";
import * as reading from "./features/reading.js";
import * as stored from "./features/stored.js";
import * as storage from "./features/storage.js";
import * as tenant from "./features/tenant.js";

// The dictionary is assembled from one file per feature, each keeping English and French in step.
const en = {
  ...baseEn,
  ...panes.en,
  ...storedView.en,
  ...save.en,
  ...activity.en,
  ...stored.en,
  ...signin.en,
  ...storage.en,
  ...tenant.en,
  ...consent.en,
  ...reading.en,
};

export type MessageKey = keyof typeof en;
export type Dictionary = { readonly [K in MessageKey]: string };
export type BaseDictionary = { readonly [K in keyof typeof baseEn]: string };
export type Language = "en" | "fr";

const fr: Dictionary = {
  ...baseFr,
  ...panes.fr,
  ...storedView.fr,
  ...save.fr,
  ...activity.fr,
  ...stored.fr,
  ...signin.fr,
  ...storage.fr,
  ...tenant.fr,
  ...consent.fr,
  ...reading.fr,
};
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
