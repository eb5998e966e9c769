import { describe, expect, it } from "vitest";
import {
  dictionary,
  features,
  formatBytes,
  formatNumber,
  locales,
  resolveLanguage,
  translate,
  type Language,
  type MessageKey,
} from "../../../src/core/i18n/index.js";
import { argumentNames, parseMessage, pluralForms } from "../../../src/core/i18n/message-format.js";

const languages: Language[] = ["en", "fr"];
const keys = Object.keys(dictionary("en")) as MessageKey[];
const rules = (language: Language) => new Intl.PluralRules(locales[language]);
const number = (language: Language, n: number) =>
  new Intl.NumberFormat(locales[language]).format(n);

describe("i18n dictionary", () => {
  it("has the same keys in English and French, none empty", () => {
    const en = dictionary("en");
    const fr = dictionary("fr");
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(fr)) expect(value, key).not.toBe("");
  });

  it("keeps one file per feature, every key in it starting with the file's name", () => {
    for (const [file, messages] of Object.entries(features)) {
      const prefix = file.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
      for (const language of languages) {
        for (const key of Object.keys(messages[language])) {
          expect(key.startsWith(`${prefix}.`), `${key} in features/${file}.ts`).toBe(true);
        }
      }
    }
  });

  it("reads every message in both languages", () => {
    for (const language of languages) {
      for (const key of keys) {
        expect(() => parseMessage(dictionary(language)[key]), `${language} ${key}`).not.toThrow();
      }
    }
  });

  it("keeps placeholders the same in both languages", () => {
    const names = (language: Language, key: MessageKey) =>
      argumentNames(parseMessage(dictionary(language)[key])).sort();
    for (const key of keys) expect(names("fr", key), key).toEqual(names("en", key));
  });

  it("gives every plural exactly the forms its language's plural rules use", () => {
    for (const language of languages) {
      const needed = [...rules(language).resolvedOptions().pluralCategories].sort();
      for (const key of keys) {
        for (const plural of pluralForms(parseMessage(dictionary(language)[key]))) {
          const categories = plural.forms.filter((form) => !form.startsWith("=")).sort();
          expect(categories, `${language} ${key} {${plural.name}}`).toEqual(needed);
        }
      }
    }
  });

  it("writes no pseudo-plural such as email(s) or enregistré(e)(s)", () => {
    for (const language of languages) {
      for (const key of keys) {
        expect(dictionary(language)[key], `${language} ${key}`).not.toMatch(
          /\p{L}\((s|e|es|x|nt)\)/u,
        );
      }
    }
  });

  it("counts with the forms the language's rules choose: 0, 1, 2, 1,000 and 1,000,000", () => {
    // The expected noun for each plural category; the rules pick the category for each count.
    const stored: Record<Language, Record<string, string>> = {
      en: { one: "stored email", other: "stored emails" },
      fr: {
        one: "courriel enregistré",
        many: "de courriels enregistrés",
        other: "courriels enregistrés",
      },
    };
    for (const language of languages) {
      for (const n of [0, 1, 2, 1000, 1_000_000]) {
        const category = rules(language).select(n);
        expect(translate(language, "stored.count", { count: n })).toBe(
          `${number(language, n)} ${stored[language][category]}`,
        );
      }
    }
  });

  it("fills every plural message for 0, 1, 2, 1,000 and 1,000,000 with the number written out", () => {
    for (const language of languages) {
      for (const key of keys) {
        const parts = parseMessage(dictionary(language)[key]);
        if (pluralForms(parts).length === 0) continue;
        for (const n of [0, 1, 2, 1000, 1_000_000]) {
          const params = Object.fromEntries(argumentNames(parts).map((name) => [name, n]));
          const text = translate(language, key, params);
          expect(text, `${language} ${key} ${n}`).toContain(number(language, n));
          expect(text, `${language} ${key} ${n}`).not.toMatch(/\{\w+[},]|#/);
        }
      }
    }
  });

  it("treats zero as singular in French and plural in English", () => {
    expect(translate("fr", "stored.expires.in", { days: 0 })).toBe("Supprimé dans 0 jour");
    expect(translate("en", "stored.expires.in", { days: 0 })).toBe("Deleted in 0 days");
    expect(translate("fr", "retention.days", { days: 1 })).toBe("1 jour");
    expect(translate("en", "retention.days", { days: 1 })).toBe("1 day");
  });

  it("writes numbers the language's way, inside plurals and out", () => {
    for (const language of languages) {
      expect(translate(language, "bulk.button", { count: 1234 })).toContain(number(language, 1234));
      expect(translate(language, "export.progress", { done: 1500, total: 20000 })).toContain(
        number(language, 20000),
      );
    }
    expect(number("fr", 1234)).not.toBe(number("en", 1234));
  });

  it("chooses each count's form on its own when a message has several", () => {
    const summary = translate("fr", "bulk.summary", { saved: 1, already: 2, failed: 0 });
    expect(summary).toBe("1 enregistré, 2 déjà enregistrés, 0 non enregistré.");
    const recycled = translate("en", "storage.recycled", { count: 1, days: 93 });
    expect(recycled).toMatch(
      /^Microsoft 365 did not allow SEPT to delete 1 file for good, so it is/,
    );
    expect(recycled).toMatch(
      /at most 93 days after the deletion; emptying your recycle bin moves it /,
    );
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("fr", "errors.throttled", { seconds: 10 })).toContain("10 s");
    expect(translate("en", "errors.throttled")).toContain("{seconds}");
    expect(translate("en", "stored.count")).toBe(
      "{count, plural, one {# stored email} other {# stored emails}}",
    );
  });

  it("keeps literal braces that open no placeholder", () => {
    expect(translate("en", "orgPolicy.problem.object", { path: "retention" })).toBe(
      "retention must be an object { … }.",
    );
  });

  it("writes sizes in the language's units", () => {
    for (const language of languages) {
      const unit = (value: number, name: string) =>
        new Intl.NumberFormat(locales[language], {
          style: "unit",
          unit: name,
          unitDisplay: "short",
          maximumFractionDigits: 1,
        }).format(value);
      expect(formatBytes(language, 512)).toBe(unit(512, "byte"));
      expect(formatBytes(language, 1536)).toBe(unit(1.5, "kilobyte"));
      expect(formatBytes(language, 5 * 1024 * 1024)).toBe(unit(5, "megabyte"));
      expect(formatNumber(language, 1000)).toBe(number(language, 1000));
    }
    expect(formatBytes("fr", 1536)).toMatch(/^1,5\s?ko$/);
    expect(formatBytes("en", 1536)).toBe("1.5 kB");
  });

  it("maps Office display languages to a supported language", () => {
    expect(resolveLanguage("fr-FR")).toBe("fr");
    expect(resolveLanguage("FR-ca")).toBe("fr");
    expect(resolveLanguage("en-GB")).toBe("en");
    expect(resolveLanguage(undefined)).toBe("en");
  });
});
