import { describe, expect, it } from "vitest";
import { EXPORT_README } from "../../../src/services/rights/export-readme.js";
import { EXPORT_FORMAT, exportReadme } from "../../../src/services/rights/export.js";

/** The left column of the README: file names and JSON field names, which stay in English. */
const documentedNames = (text: string) =>
  text
    .split("\n")
    .map((line) => /^([A-Za-z][\w./{}, -]*?)\s{2,}\S/.exec(line)?.[1]?.trim())
    .filter((name): name is string => Boolean(name));

describe("the export README", () => {
  it("documents the same files and fields in English and French", () => {
    const en = documentedNames(EXPORT_README.en);
    expect(en).toEqual(
      expect.arrayContaining([
        "emails/{savedId}.eml",
        "records/{savedId}.json",
        "consent/receipts/{id}.json",
        "content.sha256",
        "prevHash",
      ]),
    );
    expect(documentedNames(EXPORT_README.fr)).toEqual(en);
  });

  it("keeps the same placeholders in both languages", () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    expect(placeholders(EXPORT_README.fr)).toEqual(placeholders(EXPORT_README.en));
  });

  it("is written in the user's language with the format filled in", () => {
    expect(exportReadme("fr-CA")).toMatch(/^SEPT pour Outlook/);
    expect(exportReadme("en-GB")).toMatch(/^SEPT for Outlook/);
    expect(exportReadme("de-DE")).toMatch(/^SEPT for Outlook/);
    expect(exportReadme("en")).toContain(`"${EXPORT_FORMAT}"`);
    expect(exportReadme("en")).not.toContain("{format}");
  });
});
