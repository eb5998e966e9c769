// What the Stored view shows of the loaded emails: search, project filter and sort, kept cheap
// enough at 100,000 entries to run inside a deferred render (stored-view.tsx) without holding up
// typing. Each entry's search text and sort keys are computed once and cached by the entry
// object, sorting compares precomputed strings (no localeCompare per comparison) and is skipped
// when the order is already right (pages arrive newest save first), and the search is a plain
// substring test per entry.
import type { ProjectOption } from "../../shared/projects.js";
import type { StoredEmail } from "./facade.js";

export type SortKey = "savedAt" | "receivedAt" | "subject" | "expiresAt";
export const SORT_KEYS: SortKey[] = ["savedAt", "receivedAt", "subject", "expiresAt"];
/** The project filter's value for "every project". */
export const ALL = "all";

export interface Filter {
  query: string;
  project: string;
  sort: SortKey;
}

const haystacks = new WeakMap<StoredEmail, string>();
const subjectKeys = new WeakMap<StoredEmail, string>();

/** Lower case without accents, so "ecole" finds "École" and sorts it among the e's. */
function folded(text: string): string {
  // Most subjects and addresses are plain ASCII: no accent to strip, a tenth of the work.
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** The text a search looks in: subject, sender name and address (the project comes apart). */
function haystackOf(e: StoredEmail): string {
  let text = haystacks.get(e);
  if (text === undefined) {
    text = folded(`${e.subject}\n${e.from?.name ?? ""}\n${e.from?.address ?? ""}`);
    haystacks.set(e, text);
  }
  return text;
}

/** Computes the search text of entries [from, to) ahead of the first keystroke that needs it. */
export function prepareSearch(entries: StoredEmail[], from: number, to: number): void {
  for (let i = from; i < Math.min(to, entries.length); i++) haystackOf(entries[i]!);
}

function subjectKeyOf(e: StoredEmail): string {
  let key = subjectKeys.get(e);
  if (key === undefined) {
    key = folded(e.subject);
    subjectKeys.set(e, key);
  }
  return key;
}

/** The sort's key of an entry and its direction; ISO times compare as strings. */
function sortKey(key: SortKey): { of(e: StoredEmail): string; descending: boolean } {
  switch (key) {
    case "savedAt":
      return { of: (e) => e.savedAt, descending: true };
    case "receivedAt":
      return { of: (e) => e.receivedDateTime ?? "", descending: true };
    case "expiresAt":
      // Never deleted sorts last.
      return { of: (e) => e.expiresAt ?? "9999", descending: false };
    case "subject":
      return { of: subjectKeyOf, descending: false };
  }
}

/**
 * The entries in the order `key` asks for: the same array when it is in that order already (one
 * pass), else a sorted copy. Ties keep their loaded order (newest save first).
 */
export function sortedBy(entries: StoredEmail[], key: SortKey): StoredEmail[] {
  const { of, descending } = sortKey(key);
  const keys = entries.map(of);
  const inOrder = (a: string, b: string) => (descending ? a >= b : a <= b);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = inOrder(keys[i - 1]!, keys[i]!);
  if (sorted) return entries;
  const order = keys.map((_, i) => i);
  order.sort((i, j) => {
    const a = keys[i]!;
    const b = keys[j]!;
    if (a === b) return i - j;
    return a < b !== descending ? -1 : 1;
  });
  return order.map((i) => entries[i]!);
}

/**
 * `entries` sorted by `key`, given `before` (an earlier, shorter `entries` that these extend by
 * appending pages) and its sorted form: sorts only the new tail and merges it in one pass, so a
 * page that lands at 100,000 entries costs its own size, not a whole sort.
 */
export function sortedAfterAppend(
  entries: StoredEmail[],
  key: SortKey,
  before: { entries: StoredEmail[]; sorted: StoredEmail[] } | null,
): StoredEmail[] {
  const n = before?.entries.length ?? 0;
  const appended =
    before !== null &&
    n > 0 &&
    entries.length >= n &&
    entries[0] === before.entries[0] &&
    entries[n - 1] === before.entries[n - 1];
  if (!appended) return sortedBy(entries, key);
  if (entries.length === n) return before.sorted;
  const tail = sortedBy(entries.slice(n), key);
  const { of, descending } = sortKey(key);
  const head = before.sorted;
  const merged: StoredEmail[] = new Array<StoredEmail>(head.length + tail.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < head.length && j < tail.length) {
    const a = of(head[i]!);
    const b = of(tail[j]!);
    // On a tie the earlier page's entry stays first, as a stable sort of the whole would keep it.
    const tailFirst = descending ? b > a : b < a;
    merged[k++] = tailFirst ? tail[j++]! : head[i++]!;
  }
  while (i < head.length) merged[k++] = head[i++]!;
  while (j < tail.length) merged[k++] = tail[j++]!;
  return merged;
}

/**
 * Whether every entry `next` keeps is among those `previous` kept, so the search can start from
 * the previous result: typing forward narrows the query.
 */
export function narrows(
  previous: Pick<Filter, "query" | "project">,
  next: Pick<Filter, "query" | "project">,
): boolean {
  return (
    previous.project === next.project &&
    folded(next.query.trim()).includes(folded(previous.query.trim()))
  );
}

/** The sorted entries that the search and the project filter leave, in order. */
export function filtered(
  sorted: StoredEmail[],
  projects: readonly ProjectOption[],
  filter: Pick<Filter, "query" | "project">,
): StoredEmail[] {
  const q = folded(filter.query.trim());
  if (!q && filter.project === ALL) return sorted;
  // A project matches by its name, or by its id when the catalogue no longer has it.
  const names = new Map(projects.map((p) => [p.id, folded(p.name)]));
  const projectMatches = new Map<string, boolean>();
  const projectHit = (id: string) => {
    let hit = projectMatches.get(id);
    if (hit === undefined) {
      hit = (names.get(id) ?? folded(id)).includes(q);
      projectMatches.set(id, hit);
    }
    return hit;
  };
  return sorted.filter(
    (e) =>
      (filter.project === ALL || e.projectId === filter.project) &&
      (!q || haystackOf(e).includes(q) || projectHit(e.projectId)),
  );
}
