// What one email index holds (email-index.ts), and the reads its parts share: the shards of a
// month or of all months, the index of earlier versions while it still lists emails not moved,
// and where a held record lives. Functions over an explicit state that createEmailIndex makes.
import { SeptError } from "../../core/errors.js";
import type { StoragePort } from "../../core/ports/storage.js";
import type { IndexEntry, StoredEmailRecord } from "../../core/stored-email.js";
import { INDEX_DIR } from "./layout.js";
import { createLegacyEmailIndex, type LegacyEmailIndex } from "./legacy-email-index.js";
import { newestMonthFirst, type Catalogue } from "./record-shards.js";
import { createShardStore, heldKey, type HeldShard, type ShardStore } from "./shard-store.js";

/** The index of earlier versions and its entries; "none": known to hold nothing; null: unread. */
export type LegacyState = { index: LegacyEmailIndex; entries: IndexEntry[] } | "none" | null;

export interface IndexState {
  storage: StoragePort;
  store: ShardStore;
  /** Every stored email as last read in full (`cached()`); null after a change. */
  everything: IndexEntry[] | null;
  legacyState: LegacyState;
  /** One look at the earlier layout at a time: callers that ask together share it. */
  legacyLoading: Promise<void> | null;
}

export const createIndexState = (storage: StoragePort): IndexState => ({
  storage,
  store: createShardStore(storage),
  everything: null,
  legacyState: null,
  legacyLoading: null,
});

export const opt = (signal?: AbortSignal) => (signal ? { signal } : {});

/** Months of a catalogue, newest first. */
export const monthsOf = (catalogue: Catalogue): string[] =>
  Object.keys(catalogue.months).sort(newestMonthFirst);

/** Drops changed records from the full copy, so `cached()` never shows a stale one. */
export const touched = (state: IndexState): void => {
  state.everything = null;
};

/**
 * Shard reads one index runs at once for a listing. Fewer than the mailbox's 4 concurrent
 * requests (request-limiter.ts): a full read in the background (reconcile at 100,000 emails reads
 * over 2,000 shards) then keeps at most this many requests queued at any time, so a read the user
 * is waiting for (the Stored view's first page, a save) takes the next free slot instead of
 * queueing behind thousands.
 */
export const SHARD_READS_AT_ONCE = 3;

/** The shards of one month; null for one that moved on while reading. */
export async function shardsOfMonth(
  state: IndexState,
  month: string,
  fresh: boolean,
  signal?: AbortSignal,
  /** Only these of the month's shards (hash-bit prefixes); default all. */
  only?: readonly string[],
): Promise<Array<HeldShard | null>> {
  const { store } = state;
  const catalogue = (await store.loadCatalogue(signal)).value;
  const bits = only ? [...only] : Object.keys(catalogue.months[month]?.shards ?? {});
  const read: Array<HeldShard | null> = new Array<HeldShard | null>(bits.length).fill(null);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < bits.length; i = next++) {
      read[i] = await store
        .shard(month, bits[i]!, { fresh, ...opt(signal) })
        .catch((error: unknown) => {
          if (store.isMoved(error)) return null;
          throw error;
        });
    }
  };
  await Promise.all(Array.from({ length: Math.min(SHARD_READS_AT_ONCE, bits.length) }, worker));
  return read;
}

/** Shards one round of a full read asks about: one JSON $batch of their metadata (20 at most). */
export const SHARDS_PER_ROUND = 20;

/**
 * Every live shard. Held copies are used as they are, or (`fresh`) checked first: the catalogue
 * and the shards go by SHARDS_PER_ROUND in one $batch of metadata (store.refresh), and only the
 * files whose eTag moved, or that this pane does not hold, are downloaded, SHARD_READS_AT_ONCE at
 * a time. A full read at 1,000 emails (some 23 shards) costs two $batch and the downloads, not
 * two requests a shard.
 */
export async function allShards(
  state: IndexState,
  fresh: boolean,
  signal?: AbortSignal,
): Promise<HeldShard[]> {
  const { store } = state;
  let checkCatalogue = fresh;
  for (let attempt = 0; attempt < 4; attempt++) {
    const catalogue = (await store.loadCatalogue(signal)).value;
    const held = new Map(store.heldShards().map((h) => [heldKey(h.month, h.bits), h]));
    const out: HeldShard[] = [];
    const toRead: Array<{ month: string; bits: string }> = [];
    for (const month of monthsOf(catalogue)) {
      for (const [bits, suffix] of Object.entries(catalogue.months[month]?.shards ?? {})) {
        const copy = held.get(heldKey(month, bits));
        if (!fresh && copy?.suffix === suffix) out.push(copy);
        else toRead.push({ month, bits });
      }
    }
    let moved = false;
    for (let i = 0; (i < toRead.length || checkCatalogue) && !moved; i += SHARDS_PER_ROUND) {
      const round = await store.refresh(toRead.slice(i, i + SHARDS_PER_ROUND), {
        catalogue: checkCatalogue,
        downloadsAtOnce: SHARD_READS_AT_ONCE,
        ...opt(signal),
      });
      checkCatalogue = false;
      // Another pane changed the catalogue: plan again from the one just read.
      if (round.catalogueChanged) moved = true;
      for (const s of round.shards) {
        if (s === null) moved = true;
        else out.push(s);
      }
    }
    if (!moved) return out;
  }
  throw new SeptError("conflict", { message: "The record shards kept changing." });
}

/** The index of earlier versions while it still lists emails not moved to shards; else null. */
export async function legacy(
  state: IndexState,
  signal?: AbortSignal,
): Promise<{ index: LegacyEmailIndex; entries: IndexEntry[] } | null> {
  if (state.legacyState === null) {
    state.legacyLoading ??= lookForLegacy(state, signal).finally(() => {
      state.legacyLoading = null;
    });
    await state.legacyLoading;
  }
  const found = state.legacyState;
  return found === "none" || found === null ? null : found;
}

async function lookForLegacy(state: IndexState, signal?: AbortSignal): Promise<void> {
  const catalogue = (await state.store.loadCatalogue(signal)).value;
  if (catalogue.legacyMigrated) {
    state.legacyState = "none";
    return;
  }
  const old = await state.storage.list(INDEX_DIR, signal);
  if (old.length === 0) state.store.noteNoLegacy();
  const index = createLegacyEmailIndex(state.storage);
  const found = old.length > 0 ? await index.inspect(signal) : null;
  state.legacyState =
    found?.status === "ok" && found.entries.length > 0 ? { index, entries: found.entries } : "none";
}

/** The month a held record lives in, from this pane's copies; else null. */
export function heldMonthOf(state: IndexState, savedId: string): string | null {
  for (const h of state.store.heldShards()) {
    if (h.shard.records.some((r) => r.savedId === savedId)) return h.month;
  }
  return null;
}

/** A record file of the earlier layout, or null when absent or not a record. */
export async function readLegacyRecord(
  storage: StoragePort,
  savedId: string,
  signal?: AbortSignal,
): Promise<StoredEmailRecord | null> {
  const { readStoredRecords } = await import("./read-records.js");
  const { recordPath } = await import("./layout.js");
  const [record] = await readStoredRecords(storage, [recordPath(savedId)], signal);
  return record?.savedId === savedId ? record : null;
}
