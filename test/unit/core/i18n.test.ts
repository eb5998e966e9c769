import { describe, expect, it } from "vitest";
import { dictionary, resolveLanguage, translate } from "../../../src/core/i18n/index.js";

describe("i18n dictionary", () => {
  it("has the same keys in English and French, none empty", () => {
    const en = dictionary("en");
    const fr = dictionary("fr");
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(fr)) expect(value, key).not.toBe("");
  });

  it("keeps placeholders the same in both languages", () => {
    const en = dictionary("en");
    const fr = dictionary("fr");
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("fr", "errors.throttled", { seconds: 10 })).toContain("10 s");
    expect(translate("en", "errors.throttled")).toContain("{seconds}");
  });

  it("maps Office display languages to a supported language", () => {
    expect(resolveLanguage("fr-FR")).toBe("fr");
    expect(resolveLanguage("FR-ca")).toBe("fr");
    expect(resolveLanguage("en-GB")).toBe("en");
    expect(resolveLanguage(undefined)).toBe("en");
  });
});
