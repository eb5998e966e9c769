import * as activity from "./features/activity.js";
import * as app from "./features/app.js";
import * as bulk from "./features/bulk.js";
import * as consent from "./features/consent.js";
import * as errors from "./features/errors.js";
import * as exportCard from "./features/export.js";
import * as host from "./features/host.js";
import * as message from "./features/message.js";
import * as more from "./features/more.js";
import * as nav from "./features/nav.js";
import * as orgPolicy from "./features/org-policy.js";
import * as permissions from "./features/permissions.js";
import * as privacy from "./features/privacy.js";
import * as projects from "./features/projects.js";
import * as retention from "./features/retention.js";
import * as save from "./features/save.js";
import * as signin from "./features/signin.js";
import * as storage from "./features/storage.js";
import * as stored from "./features/stored.js";
import * as tenant from "./features/tenant.js";
import {
  formatMessage,
  localeFormat,
  parseMessage,
  type LocaleFormat,
  type MessageParams,
  type MessagePart,
} from "./message-format.js";
import { locales, type Language } from "./locale.js";

export { locales, type Language } from "./locale.js";
/**
 * One file per feature, named after the first segment of its keys ("org-policy.ts" holds
 * "orgPolicy.*"); each file keeps English and French side by side, and its type makes a key
 * missing in French a compile error. Plurals and numbers: see message-format.ts.
 */
export const features = {
  activity,
  app,
  bulk,
  consent,
  errors,
  export: exportCard,
  host,
  message,
  more,
  nav,
  "org-policy": orgPolicy,
  permissions,
  privacy,
  projects,
  retention,
  save,
  signin,
  storage,
  stored,
  tenant,
};

const en = {
  ...activity.en,
  ...app.en,
  ...bulk.en,
  ...consent.en,
  ...errors.en,
  ...exportCard.en,
  ...host.en,
  ...message.en,
  ...more.en,
  ...nav.en,
  ...orgPolicy.en,
  ...permissions.en,
  ...privacy.en,
  ...projects.en,
  ...retention.en,
  ...save.en,
  ...signin.en,
  ...storage.en,
  ...stored.en,
  ...tenant.en,
};

export type MessageKey = keyof typeof en;
export type Dictionary = { readonly [K in MessageKey]: string };

const fr: Dictionary = {
  ...activity.fr,
  ...app.fr,
  ...bulk.fr,
  ...consent.fr,
  ...errors.fr,
  ...exportCard.fr,
  ...host.fr,
  ...message.fr,
  ...more.fr,
  ...nav.fr,
  ...orgPolicy.fr,
  ...permissions.fr,
  ...privacy.fr,
  ...projects.fr,
  ...retention.fr,
  ...save.fr,
  ...signin.fr,
  ...storage.fr,
  ...stored.fr,
  ...tenant.fr,
};
const dictionaries: Record<Language, Dictionary> = { en, fr };

const formats: Partial<Record<Language, LocaleFormat>> = {};
const parsed = new Map<string, MessagePart[]>();

/** Office reports a display language such as "fr-FR" or "en-US"; anything not French reads English. */
export function resolveLanguage(displayLanguage: string | undefined | null): Language {
  return displayLanguage?.toLowerCase().startsWith("fr") ? "fr" : "en";
}

/**
 * Looks up a key and fills it: `{name}` placeholders, numbers in the language's own way, and
 * plural forms chosen by the language's plural rules. An unknown placeholder is left visible.
 */
export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
  const template = dictionaries[language][key];
  const cacheKey = `${language}\u0000${key}`;
  let parts = parsed.get(cacheKey);
  if (!parts) {
    parts = parseMessage(template);
    parsed.set(cacheKey, parts);
  }
  const format = (formats[language] ??= localeFormat(locales[language]));
  return formatMessage(parts, params, format);
}

export function dictionary(language: Language): Dictionary {
  return dictionaries[language];
}

export { formatBytes, formatNumber } from "./numbers.js";
