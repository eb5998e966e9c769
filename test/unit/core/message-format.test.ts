import { describe, expect, it } from "vitest";
import {
  formatMessage,
  localeFormat,
  parseMessage,
  MessageSyntaxError,
} from "../../../src/core/i18n/message-format.js";

const format = (template: string, params: Record<string, string | number>, locale = "en-CA") =>
  formatMessage(parseMessage(template), params, localeFormat(locale));

describe("message format", () => {
  it("chooses a plural form by the locale's rules and writes # as the number", () => {
    const template = "{n, plural, one {# file} other {# files}}";
    expect(format(template, { n: 1 })).toBe("1 file");
    expect(format(template, { n: 0 })).toBe("0 files");
    expect(format(template, { n: 0 }, "fr-CA")).toBe("0 file");
    expect(format(template, { n: 2500 })).toBe("2,500 files");
  });

  it("prefers an exact =N form over the category", () => {
    const template = "{n, plural, =0 {nothing} one {# item} other {# items}}";
    expect(format(template, { n: 0 })).toBe("nothing");
    expect(format(template, { n: 1 })).toBe("1 item");
  });

  it("fills other placeholders inside a form", () => {
    const template = "{n, plural, one {# email in {project}} other {# emails in {project}}}";
    expect(format(template, { n: 3, project: "Tower B" })).toBe("3 emails in Tower B");
  });

  it("accepts a count given as text", () => {
    expect(format("{n, plural, one {# day} other {# days}}", { n: "1" })).toBe("1 day");
  });

  it("refuses a plural without an other form, with an unknown category, or left open", () => {
    expect(() => parseMessage("{n, plural, one {# day}}")).toThrow(MessageSyntaxError);
    expect(() => parseMessage("{n, plural, single {# day} other {# days}}")).toThrow(
      MessageSyntaxError,
    );
    expect(() => parseMessage("{n, plural, one {# day} other {# days}")).toThrow(
      MessageSyntaxError,
    );
    expect(() => parseMessage("{n, select, a {x} other {y}}")).toThrow(MessageSyntaxError);
  });

  it("leaves text that only looks like a placeholder as it is", () => {
    expect(format("an object { … } and a # sign", {})).toBe("an object { … } and a # sign");
    expect(format("{ name }", { name: "x" })).toBe("{ name }");
  });
});
