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
  const wanted = name.toLowerCase();
  for (const line of topHeaderLines(mime)) {
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
}

export function mimeFacts(mime: Uint8Array): MimeFacts {
  const date = topHeader(mime, "date");
  return { date: date === null ? null : rfc5322DateToIso(date) };
}
