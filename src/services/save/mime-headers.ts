// What a save takes from the MIME it downloads anyway, so that no Graph metadata read is needed:
// the origination date (Graph's sentDateTime) and whether an attachment is declared. Every header
// is hostile: missing, folded, commented, obsolete or nonsense values give null, never a throw.

/** The top-level header block, unfolded, as `name: value` lines (latin1: headers are ASCII). */
export function topHeaderLines(mime: Uint8Array, scanBytes = 64 * 1024): string[] {
  const head = new TextDecoder("latin1").decode(mime.subarray(0, scanBytes));
  const end = head.search(/\r?\n\r?\n/);
  return (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/);
}

/** The first top-level header of that name (case-insensitive), unfolded; null when absent. */
export function topHeader(mime: Uint8Array, name: string): string | null {
  return headerIn(topHeaderLines(mime), name);
}

function headerIn(lines: string[], name: string): string | null {
  const wanted = name.toLowerCase();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) {
      return line.slice(colon + 1).trim();
    }
  }
  return null;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/** RFC 5322 §4.3 obsolete zones; military letters mean nothing certain, so -0000 (§4.3). */
const NAMED_ZONES: Record<string, number> = {
  ut: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

/** Removes RFC 5322 comments (nested parentheses allowed), which may sit anywhere in a date. */
function withoutComments(value: string): string {
  let depth = 0;
  let out = "";
  for (const ch of value) {
    if (ch === "(") depth += 1;
    else if (ch === ")" && depth > 0) depth -= 1;
    else if (depth === 0) out += ch;
  }
  return out;
}

/** Minutes east of UTC for a zone token, or null when it is not one. */
function zoneMinutes(token: string | undefined): number | null {
  if (token === undefined) return 0;
  const numeric = /^([+-])(\d{2})(\d{2})$/.exec(token);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
    if (Number(numeric[3]) > 59) return null;
    return numeric[1] === "-" ? -minutes : minutes;
  }
  const named = NAMED_ZONES[token.toLowerCase()];
  if (named !== undefined) return named;
  return /^[a-ik-z]$/i.test(token) ? 0 : null;
}

/**
 * An RFC 5322 date-time (§3.3, with §4.3's obsolete forms: two- and three-digit years, named
 * zones, comments, no seconds) as Graph writes dates: ISO-8601 UTC to the second, `Z`. Null when
 * the value is not such a date (no guessing: `Date.parse` differs between browsers).
 */
export function rfc5322DateToIso(value: string): string | null {
  const cleaned = withoutComments(value).replace(/\s+/g, " ").trim();
  const match =
    /^(?:[a-z]{3} ?, ?)?(\d{1,2}) ([a-z]{3}) (\d{2,4}) (\d{1,2}) ?: ?(\d{2})(?: ?: ?(\d{2}))?(?: (\S+))?$/i.exec(
      cleaned,
    );
  if (!match) return null;
  const [, dayText, monthText, yearText, hourText, minuteText, secondText, zoneText] = match;
  const month = MONTHS.indexOf((monthText ?? "").toLowerCase());
  let year = Number(yearText);
  if (yearText?.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yearText?.length === 3) year += 1900;
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = secondText === undefined ? 0 : Number(secondText);
  const zone = zoneMinutes(zoneText);
  if (month < 0 || zone === null || hour > 23 || minute > 59 || second > 60) return null;
  const utc = Date.UTC(year, month, day, hour, minute, Math.min(second, 59)) - zone * 60_000;
  const date = new Date(utc);
  // 31 Feb and the like roll over in Date.UTC: such a date is not a date.
  if (Number.isNaN(utc) || new Date(Date.UTC(year, month, day)).getUTCDate() !== day) return null;
  return isoSeconds(date);
}

/** Graph's date format: ISO-8601 UTC to the second, ending in `Z` (no milliseconds). */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** What the record takes from the MIME (see readContent). */
export interface MimeFacts {
  /** The Date header (RFC 5322 origination date) in Graph's format; null when absent or bad. */
  date: string | null;
  /** The To and Cc headers' recipients, for when Office.js may have cut its lists. */
  to: Array<{ name: string; address: string }>;
  cc: Array<{ name: string; address: string }>;
}

export function mimeFacts(mime: Uint8Array): MimeFacts {
  const lines = topHeaderLines(mime);
  const header = (name: string) => headerIn(lines, name);
  const date = header("date");
  return {
    date: date === null ? null : rfc5322DateToIso(date),
    to: parseAddressList(header("to")),
    cc: parseAddressList(header("cc")),
  };
}

/** Decodes RFC 2047 encoded-words (`=?charset?B|Q?text?=`); whitespace between two is dropped. */
export function decodeEncodedWords(value: string): string {
  const word = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;
  return value
    .replace(/(=\?[^?\s]+\?[bq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bq]\?[^?\s]*\?=)/gi, "$1")
    .replace(word, (whole, charset: string, encoding: string, text: string) => {
      let bytes: Uint8Array;
      try {
        if (encoding.toLowerCase() === "b") {
          const binary = atob(text);
          bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
        } else {
          const raw = text
            .replace(/_/g, " ")
            .replace(/=([0-9a-f]{2})/gi, (_, hex: string) =>
              String.fromCharCode(parseInt(hex, 16)),
            );
          bytes = Uint8Array.from(raw, (c) => c.charCodeAt(0));
        }
        // RFC 2231 adds a language after `*`: `utf-8*en`.
        return new TextDecoder(charset.split("*")[0]).decode(bytes);
      } catch {
        return whole;
      }
    });
}

/** Splits at top-level occurrences of `separators`, outside quotes, comments and `<…>`. */
function splitTopLevel(value: string, separators: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let angle = false;
  let current = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted) {
      if (ch === "\\" && i + 1 < value.length) current += ch + value[++i];
      else {
        if (ch === '"') quoted = false;
        current += ch;
      }
      continue;
    }
    if (ch === '"' && depth === 0) quoted = true;
    else if (ch === "(") depth += 1;
    else if (ch === ")" && depth > 0) depth -= 1;
    else if (ch === "<" && depth === 0) angle = true;
    else if (ch === ">" && depth === 0) angle = false;
    else if (depth === 0 && !angle && separators.includes(ch)) {
      parts.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

/** One mailbox (`Name <addr>`, `addr`, `addr (Name)`), or null when it holds no address. */
function parseMailbox(text: string): { name: string; address: string } | null {
  const angle = /<([^<>]*)>/.exec(text);
  let address: string;
  let name: string;
  if (angle) {
    address = angle[1]!.trim();
    name = text.slice(0, angle.index).trim();
  } else {
    const comment = /\(([^()]*)\)/.exec(text);
    address = withoutComments(text).trim();
    name = comment ? comment[1]!.trim() : "";
  }
  if (!address.includes("@")) return null;
  name = withoutComments(name).trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) {
    name = name.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  name = decodeEncodedWords(name).trim();
  return { name: name || address, address };
}

/**
 * An address-list header (To, Cc; RFC 5322 §3.4) as Graph lists recipients: groups flattened,
 * display names decoded (RFC 2047), a recipient without one named by its address.
 */
export function parseAddressList(value: string | null): Array<{ name: string; address: string }> {
  if (value === null) return [];
  const out: Array<{ name: string; address: string }> = [];
  for (const part of splitTopLevel(value, ",;")) {
    // A group's name ends at its colon: `Crew: a@x, b@y;`.
    const colon = splitTopLevel(part, ":");
    const member = colon.length > 1 ? colon.slice(1).join(":") : part;
    const mailbox = parseMailbox(member);
    if (mailbox) out.push(mailbox);
  }
  return out;
}
