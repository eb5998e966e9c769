// The email index's reads by month (email-index.ts): month by month for the Stored view, one
// month for the save panel, "already saved" in one shard, the months purge must look at. Functions
// over the index's state (email-index-state.ts), wired by createEmailIndex.
import { indexEntryFor, type IndexEntry, type StoredEmailRecord } from "../../core/stored-email.js";
import { RECORDS_DIR } from "./layout.js";
import { leafFor, monthOf, newestFirst, shardName, type Catalogue } from "./record-shards.js";
import {
  allShards,
  legacy,
  monthsOf,
  opt,
  readLegacyRecord,
  shardsOfMonth,
  SHARD_READS_AT_ONCE,
  SHARDS_PER_ROUND,
  type IndexState,
} from "./email-index-state.js";
import type { HeldShard } from "./shard-store.js";
import type { EntriesOptions, EntriesPage } from "./email-index.js";

/** Shards of the first page of `pages()`: two rounds of SHARD_READS_AT_ONCE. */
export const SHARDS_PER_PAGE = 2 * SHARD_READS_AT_ONCE;
/** Shards of a later page of a fresh listing: their metadata fits one $batch of 20. */
export const SHARDS_PER_LATER_PAGE = 18;

/** The next `size` shards to list, newest message month first, all of one month; null: none. */
function nextPart(
  catalogue: Catalogue,
  listed: ReadonlySet<string>,
  size: number,
): { month: string; bits: string[] } | null {
  for (const month of monthsOf(catalogue)) {
    const shards = catalogue.months[month]?.shards ?? {};
    const bits = Object.keys(shards).filter((b) => !listed.has(shardName(month, b, shards[b]!)));
    if (bits.length > 0) return { month, bits: bits.slice(0, size) };
  }
  return null;
}

/**
 * Month by month, newest message month first, a few shards a page (each read when asked for).
 * A month split into many shards (10,000 emails: about 200) comes a few shards a page, so the
 * first rows do not wait for the whole month; the view sorts what has arrived.
 *
 * `fresh`: every shard listed is current when it is read. The first page checks the catalogue
 * and its shards together and each later page checks its shards, each in one $batch of their
 * metadata, downloading only the files that changed since this pane read them
 * (shard-refresh.ts). A catalogue found changed on the first page is followed from then on.
 */
export async function* pages(
  state: IndexState,
  options: EntriesOptions = {},
): AsyncGenerator<EntriesPage> {
  const { signal } = options;
  const { store } = state;
  const fresh = options.fresh === true;
  const listed = new Set<string>();
  // A shard read early can be split by another pane later in a long listing: its successors then
  // repeat records already given.
  const given = new Set<string>();
  let checkCatalogue = fresh;
  for (;;) {
    const catalogue = (await store.loadCatalogue(signal)).value;
    const size = fresh && listed.size > 0 ? SHARDS_PER_LATER_PAGE : SHARDS_PER_PAGE;
    const part = nextPart(catalogue, listed, size);
    if (!part) break;
    const { month } = part;
    let shards: Array<HeldShard | null>;
    if (fresh) {
      const wanted = part.bits.map((bits) => ({ month, bits }));
      const round = await store.refresh(wanted, { catalogue: checkCatalogue, ...opt(signal) });
      checkCatalogue = false;
      shards = round.shards;
    } else {
      shards = await shardsOfMonth(state, month, false, signal, part.bits);
    }
    // Listed once, whether read or moved on (a moved shard's records are in its successors,
    // which a catalogue read after it names and a later page lists).
    for (const bits of part.bits) {
      listed.add(shardName(month, bits, catalogue.months[month]?.shards[bits] ?? ""));
    }
    const read = shards.filter((s): s is HeldShard => s !== null);
    const entries = read
      .flatMap((s) => s.shard.records)
      .filter((r) => !given.has(r.savedId))
      .map(indexEntryFor);
    for (const e of entries) given.add(e.savedId);
    if (read.length > 0) yield { month, entries: entries.sort(newestFirst) };
  }
  const old = await legacy(state, signal);
  if (old) yield { month: "legacy", entries: old.entries };
}

/** The records with these saved ids among the emails of one message month ("already saved"). */
export async function find(
  state: IndexState,
  receivedDateTime: string | null,
  savedIds: string[],
  signal?: AbortSignal,
  fresh?: boolean,
): Promise<StoredEmailRecord[]> {
  const { store } = state;
  const month = monthOf(receivedDateTime);
  const wanted = new Set(savedIds);
  if (fresh) {
    const catalogue = (await store.readCatalogue(signal)).value;
    for (const savedId of wanted) {
      const bits = leafFor(catalogue, month, savedId);
      if (bits !== null) store.forget(month, bits);
    }
  }
  const found: StoredEmailRecord[] = [];
  for (const savedId of wanted) {
    const { before } = await store.change(month, savedId, () => null, signal);
    found.push(...before.filter((r) => r.savedId === savedId));
  }
  const old = await legacy(state, signal);
  if (old && found.length === 0) {
    // Not moved yet: the old index holds the entry; its record file holds the rest.
    const entry = old.entries.find((e) => wanted.has(e.savedId));
    if (entry) {
      const record = await readLegacyRecord(state.storage, entry.savedId, signal);
      if (record) found.push(record);
    }
  }
  return found;
}

/**
 * The shards of these months: this pane's copies, and the others read 20 at a time (their
 * metadata in one $batch, then one download each; shard-refresh.ts) rather than two requests
 * each. The tenant job holds none: 22 shards cost 24 requests, not 44.
 */
async function shardsToPurge(
  state: IndexState,
  catalogue: Catalogue,
  months: readonly string[],
  signal?: AbortSignal,
): Promise<Array<HeldShard | null>> {
  const { store } = state;
  const held = new Map(store.heldShards().map((h) => [`${h.month}~${h.bits}`, h]));
  const out: Array<HeldShard | null> = [];
  const unread: Array<{ month: string; bits: string }> = [];
  for (const month of months) {
    for (const [bits, suffix] of Object.entries(catalogue.months[month]?.shards ?? {})) {
      const copy = held.get(`${month}~${bits}`);
      if (copy?.suffix === suffix) out.push(copy);
      else unread.push({ month, bits });
    }
  }
  for (let i = 0; i < unread.length; i += SHARDS_PER_ROUND) {
    const round = await store.refresh(unread.slice(i, i + SHARDS_PER_ROUND), opt(signal));
    out.push(...round.shards);
  }
  return out;
}

/** The months whose oldest save is at or before `time`, by the catalogue. */
function monthsSavedBefore(catalogue: Catalogue, time: string): string[] {
  return monthsOf(catalogue).filter((m) => {
    const oldest = catalogue.months[m]?.oldestSavedAt;
    return oldest !== undefined && oldest <= time;
  });
}

/** The emails saved at or before `time` (ISO), from the months that may hold one (purge). */
export async function savedBefore(
  state: IndexState,
  time: string,
  signal?: AbortSignal,
): Promise<IndexEntry[]> {
  const catalogue = (await state.store.loadCatalogue(signal)).value;
  const months = monthsSavedBefore(catalogue, time);
  const shards = await shardsToPurge(state, catalogue, months, signal);
  const entries = shards.flatMap((s) => (s ? s.shard.records.map(indexEntryFor) : []));
  const old = await legacy(state, signal);
  return [...entries, ...(old?.entries ?? [])].filter((e) => e.savedAt <= time).sort(newestFirst);
}

/**
 * Whether any stored email was saved at or before `time`, from the catalogue's oldest save of
 * each month (and the old index's entries while not all are moved): no shard is read.
 */
export async function anySavedBefore(
  state: IndexState,
  time: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const catalogue = (await state.store.loadCatalogue(signal)).value;
  if (monthsSavedBefore(catalogue, time).length > 0) return true;
  return ((await legacy(state, signal))?.entries ?? []).some((e) => e.savedAt <= time);
}

/** The records of one message month, and the old index's entries while not all are moved. */
export async function inMonth(
  state: IndexState,
  receivedDateTime: string | null,
  signal?: AbortSignal,
): Promise<{ records: StoredEmailRecord[]; legacy: IndexEntry[] }> {
  const shards = await shardsOfMonth(state, monthOf(receivedDateTime), false, signal);
  const records = shards.flatMap((s) => (s ? s.shard.records : []));
  const old = await legacy(state, signal);
  return { records, legacy: old?.entries ?? [] };
}

/**
 * The records of the shards whose file changed at or after `since` (ISO, storage's clock): every
 * record written since then is among them (a write makes its shard's file newer, and a
 * generation's successors are newer still). One listing of `records/`, then only those shards.
 */
export async function recordsModifiedSince(
  state: IndexState,
  since: string,
  signal?: AbortSignal,
): Promise<StoredEmailRecord[]> {
  const { store } = state;
  const files = await state.storage.list(RECORDS_DIR, signal);
  const from = Date.parse(since);
  // Unparsable times count as changed: read rather than miss.
  const changed = new Set(
    files.filter((f) => !(Date.parse(f.lastModified) < from)).map((f) => f.name),
  );
  const catalogue = (await store.loadCatalogue(signal)).value;
  const months = monthsOf(catalogue).filter((month) =>
    Object.entries(catalogue.months[month]?.shards ?? {}).some(([bits, suffix]) =>
      changed.has(shardName(month, bits, suffix)),
    ),
  );
  const out: StoredEmailRecord[] = [];
  for (const month of months) {
    const bits = Object.entries(catalogue.months[month]?.shards ?? {})
      .filter(([b, suffix]) => changed.has(shardName(month, b, suffix)))
      .map(([b]) => b);
    for (const shard of await shardsOfMonth(state, month, false, signal, bits)) {
      if (shard) out.push(...shard.shard.records);
    }
  }
  return out;
}

/** Every stored record (export, reconcile, the tenant job). */
export async function records(
  state: IndexState,
  signal?: AbortSignal,
): Promise<StoredEmailRecord[]> {
  const shards = await allShards(state, false, signal);
  return shards.flatMap((s) => s.shard.records);
}
