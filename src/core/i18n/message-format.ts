// Messages in a small subset of ICU MessageFormat, enough for real plurals without a library:
//   "{name}"                                   an argument (a number is formatted for the locale)
//   "{count, plural, one {# email} other {# emails}}"
//                                              a plural: the form is chosen by Intl.PluralRules
//                                              (=N for an exact number first), "#" is the number
// A "{" that does not open an argument ("{ … }" in a sentence) is plain text. No apostrophe
// quoting, no select or offset: the dictionaries need neither.

/** One language's messages, key for key with the English file of the same feature. */
export type Messages<T> = { readonly [K in keyof T]: string };

export type MessageParams = Readonly<Record<string, string | number>>;

export type MessagePart =
  | { kind: "text"; text: string }
  | { kind: "argument"; name: string; source: string }
  | { kind: "plural"; name: string; source: string; forms: Record<string, MessagePart[]> };

/** The plural categories CLDR defines; `=N` selectors are exact matches. */
const CATEGORIES = new Set(["zero", "one", "two", "few", "many", "other"]);

export class MessageSyntaxError extends Error {}

/** Parses a template; throws MessageSyntaxError on a plural it cannot read. */
export function parseMessage(template: string): MessagePart[] {
  const [parts, end] = parseParts(template, 0, false);
  if (end !== template.length) throw new MessageSyntaxError(`unexpected "}" at ${end}`);
  return parts;
}

function parseParts(source: string, start: number, nested: boolean): [MessagePart[], number] {
  const parts: MessagePart[] = [];
  let text = "";
  let i = start;
  const flush = () => {
    if (text) parts.push({ kind: "text", text });
    text = "";
  };
  while (i < source.length) {
    const char = source[i]!;
    if (char === "}" && nested) break;
    if (char === "#" && nested) {
      flush();
      parts.push({ kind: "argument", name: "#", source: "#" });
      i++;
      continue;
    }
    const opening = char === "{" ? /^\{([A-Za-z_]\w*)\s*(\}|,)/.exec(source.slice(i)) : null;
    if (!opening) {
      text += char;
      i++;
      continue;
    }
    flush();
    const name = opening[1]!;
    if (opening[2] === "}") {
      parts.push({ kind: "argument", name, source: opening[0] });
      i += opening[0].length;
      continue;
    }
    const [plural, next] = parsePlural(source, i, i + opening[0].length, name);
    parts.push(plural);
    i = next;
  }
  flush();
  return [parts, i];
}

function parsePlural(
  source: string,
  start: number,
  afterComma: number,
  name: string,
): [MessagePart, number] {
  const type = /^\s*plural\s*,/.exec(source.slice(afterComma));
  if (!type) throw new MessageSyntaxError(`{${name}, …} must be a plural`);
  let i = afterComma + type[0].length;
  const forms: Record<string, MessagePart[]> = {};
  for (;;) {
    const selector = /^\s*(=\d+|[a-z]+)\s*\{/.exec(source.slice(i));
    if (!selector) break;
    const key = selector[1]!;
    if (!key.startsWith("=") && !CATEGORIES.has(key)) {
      throw new MessageSyntaxError(`{${name}}: "${key}" is not a plural category`);
    }
    if (key in forms) throw new MessageSyntaxError(`{${name}}: "${key}" given twice`);
    const [parts, end] = parseParts(source, i + selector[0].length, true);
    if (source[end] !== "}") throw new MessageSyntaxError(`{${name}}: "${key}" is not closed`);
    forms[key] = parts;
    i = end + 1;
  }
  const close = /^\s*\}/.exec(source.slice(i));
  if (!close) throw new MessageSyntaxError(`{${name}, plural, …} is not closed`);
  if (!forms.other) throw new MessageSyntaxError(`{${name}}: a plural needs an "other" form`);
  const end = i + close[0].length;
  return [{ kind: "plural", name, source: source.slice(start, end), forms }, end];
}

/** What a language needs to write numbers and choose plural forms. */
export interface LocaleFormat {
  plural: Intl.PluralRules;
  number: Intl.NumberFormat;
}

export function localeFormat(locale: string): LocaleFormat {
  return { plural: new Intl.PluralRules(locale), number: new Intl.NumberFormat(locale) };
}

/**
 * Fills a template. Numbers are written the locale's way (1,000 / 1 000); an argument with no
 * value is left visible as written, so a missing parameter shows instead of vanishing.
 */
export function formatMessage(
  parts: readonly MessagePart[],
  params: MessageParams,
  format: LocaleFormat,
  hash?: number,
): string {
  let out = "";
  for (const part of parts) {
    if (part.kind === "text") {
      out += part.text;
    } else if (part.kind === "argument") {
      const value = part.name === "#" ? hash : params[part.name];
      if (value === undefined) out += part.source;
      else out += typeof value === "number" ? format.number.format(value) : value;
    } else {
      const value = params[part.name];
      const count = typeof value === "number" ? value : Number(value);
      if (value === undefined || !Number.isFinite(count)) {
        out += part.source;
        continue;
      }
      const form = part.forms[`=${count}`] ?? part.forms[format.plural.select(count)];
      out += formatMessage(form ?? part.forms.other!, params, format, count);
    }
  }
  return out;
}

/** Every argument a template uses ("#" excluded), plural or plain, in order of appearance. */
export function argumentNames(parts: readonly MessagePart[]): string[] {
  const names: string[] = [];
  for (const part of parts) {
    if (part.kind === "argument" && part.name !== "#") names.push(part.name);
    if (part.kind === "plural") {
      names.push(part.name);
      for (const form of Object.values(part.forms)) names.push(...argumentNames(form));
    }
  }
  return [...new Set(names)];
}

/** The plural arguments of a template with the categories each one writes out. */
export function pluralForms(
  parts: readonly MessagePart[],
): Array<{ name: string; forms: string[] }> {
  return parts.flatMap((part) =>
    part.kind === "plural"
      ? [
          { name: part.name, forms: Object.keys(part.forms) },
          ...Object.values(part.forms).flatMap(pluralForms),
        ]
      : [],
  );
}
