import { createContext, useContext, useMemo, type ReactNode } from "react";
import { locales, translate, type Language, type MessageKey } from "../../core/i18n/index.js";
import type { SeptError } from "../../core/errors.js";
import { projectErrorKey } from "../../core/projects.js";

export interface I18n {
  language: Language;
  t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string;
  /** The translated, user-facing text of an error. */
  errorText(error: SeptError): string;
  formatDate(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function makeI18n(language: Language): I18n {
  const dateFormat = new Intl.DateTimeFormat(locales[language], {
    dateStyle: "medium",
    timeStyle: "short",
  });
  return {
    language,
    t: (key, params) => translate(language, key, params),
    // A refusal with a more precise reason than its code (e.g. a project name taken) says so.
    errorText: (error) =>
      translate(language, projectErrorKey(error) ?? error.messageKey, error.params),
    formatDate: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? "" : dateFormat.format(date);
    },
  };
}

export function I18nProvider(props: { language: Language; children: ReactNode }) {
  const value = useMemo(() => makeI18n(props.language), [props.language]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
