// The email index's full read and what it may have to do first: rebuild a lost or unreadable
// catalogue from the shard files, or repair the shards (shard-repair.ts); both put records back
// with `importRecords` (also migration's and seeding's bulk add). Functions over the index's
// state (email-index-state.ts), wired by createEmailIndex (email-index.ts).
import { SeptError } from "../../core/errors.js";
import { indexEntryFor, type IndexEntry, type StoredEmailRecord } from "../../core/stored-email.js";
import { CATALOGUE_PATH, RECORDS_DIR } from "./layout.js";
import { writeGuard } from "./optimistic-write.js";
import {
  emptyCatalogue,
  hashBits,
  monthOf,
  newestFirst,
  parseShard,
  parseShardName,
  shardPath,
  type Catalogue,
  type ShardFile,
} from "./record-shards.js";
import { repairShardFiles, type RepairOptions, type ShardRepair } from "./shard-repair.js";
import { isUnreadableCatalogue } from "./shard-store.js";
import {
  allShards,
  heldMonthOf,
  legacy,
  opt,
  touched,
  type IndexState,
} from "./email-index-state.js";

/** Adds records in bulk, a month's worth in few writes (migration, seeding); existing kept. */
export async function importRecords(
  state: IndexState,
  records: readonly StoredEmailRecord[],
  signal?: AbortSignal,
): Promise<void> {
  const byMonth = new Map<string, StoredEmailRecord[]>();
  for (const r of records) {
    const month = monthOf(r.message.receivedDateTime);
    byMonth.set(month, [...(byMonth.get(month) ?? []), r]);
  }
  const catalogue = (await state.store.loadCatalogue(signal)).value;
  const fresh = new Map([...byMonth].filter(([m]) => !catalogue.months[m]));
  if (fresh.size > 0) await createWhole(state, fresh, byMonth, signal);
  for (const [month, monthRecords] of byMonth) {
    // Records land shard by shard: those of one shard in one change.
    const pending = new Map(monthRecords.map((r) => [r.savedId, r]));
    while (pending.size > 0) {
      const [first] = pending.keys();
      if (first === undefined) break;
      const under = (bits: string) =>
        [...pending.values()].filter((r) => hashBits(r.savedId).startsWith(bits));
      const { bits } = await state.store.change(
        month,
        first,
        (held, bits) => {
          const have = new Set(held.map((r) => r.savedId));
          const add = under(bits).filter((r) => !have.has(r.savedId));
          return add.length === 0 ? null : [...held, ...add];
        },
        signal,
      );
      for (const r of under(bits)) pending.delete(r.savedId);
    }
  }
  touched(state);
}

/**
 * New months: the catalogue names their leaves first, then each leaf's file is created whole
 * (create-only; one created meanwhile by a save takes the slow path, record by record). The
 * records placed are taken out of `byMonth`.
 */
async function createWhole(
  state: IndexState,
  fresh: Map<string, StoredEmailRecord[]>,
  byMonth: Map<string, StoredEmailRecord[]>,
  signal?: AbortSignal,
): Promise<void> {
  const { store } = state;
  await store.createMonths(fresh, signal);
  const months = (await store.loadCatalogue(signal)).value.months;
  const writes: Array<{ path: string; value: ShardFile; conflict: "fail" }> = [];
  for (const [month, monthRecords] of fresh) {
    for (const [bits, suffix] of Object.entries(months[month]?.shards ?? {})) {
      const part = monthRecords.filter((r) => hashBits(r.savedId).startsWith(bits));
      if (part.length === 0) continue;
      const value: ShardFile = { schema: 1, month, bits, records: part };
      writes.push({ path: shardPath(month, bits, suffix), value, conflict: "fail" });
    }
  }
  const results = await state.storage.writeMany(writes, opt(signal));
  results.forEach((result, i) => {
    const write = writes[i];
    if (!result.file || !write) return;
    const { month, bits, records: placed } = write.value;
    const suffix = parseShardName(write.path.slice(RECORDS_DIR.length + 1))?.suffix ?? "";
    store.hold({ month, bits, suffix, eTag: result.file.eTag, shard: write.value });
    const placedIds = new Set(placed.map((r) => r.savedId));
    byMonth.set(
      month,
      (byMonth.get(month) ?? []).filter((r) => !placedIds.has(r.savedId)),
    );
  });
}

/**
 * The catalogue is derived data: when it is unreadable, or absent while shard files exist (a
 * hand-made change, a crash of the first save), it is made again from the shard files. Their
 * records are written anew as whole shards, then the files read are deleted for good. (A save
 * into one of those files at that very moment would be lost: this runs only after damage.)
 */
async function rebuildCatalogue(state: IndexState, signal?: AbortSignal): Promise<void> {
  const { storage } = state;
  const files = (await storage.list(RECORDS_DIR, signal)).filter((f) => parseShardName(f.name));
  const byId = new Map<string, StoredEmailRecord>();
  for (const file of files) {
    try {
      const shard = parseShard(
        (await storage.readJson<unknown>(`${RECORDS_DIR}/${file.name}`, signal)).value,
      );
      for (const r of shard?.records ?? []) byId.set(r.savedId, r);
    } catch (error) {
      if (!(error instanceof SeptError && ["not_found", "unknown"].includes(error.code))) {
        throw error;
      }
    }
  }
  const current = await storage.stat(CATALOGUE_PATH, signal);
  const rebuilding: Catalogue = { ...emptyCatalogue(), rebuilding: new Date().toISOString() };
  await storage.writeJson(CATALOGUE_PATH, rebuilding, {
    ...writeGuard(current?.eTag ?? null),
    ...opt(signal),
  });
  state.store.forgetAll();
  await importRecords(state, [...byId.values()], signal);
  const outcome = await storage.removeMany(
    files.map((f) => `${RECORDS_DIR}/${f.name}`),
    opt(signal),
  );
  const failed = outcome.failed[0];
  if (failed) throw failed.error;
  await endRebuild(state, signal);
  touched(state);
}

/** Clears the catalogue's `rebuilding` mark. */
const endRebuild = (state: IndexState, signal?: AbortSignal) =>
  state.store.updateCatalogue((c) => {
    if (c.rebuilding === undefined) return null;
    const { rebuilding: _done, ...rest } = c;
    return rest;
  }, signal);

/** Whether the catalogue is absent while shard files exist (it must be rebuilt). */
async function orphanedShards(state: IndexState, signal?: AbortSignal): Promise<boolean> {
  if ((await state.store.loadCatalogue(signal)).eTag !== null) return false;
  return (await state.storage.list(RECORDS_DIR, signal)).some((f) => parseShardName(f.name));
}

/** Reads every stored email (the shards and the old index), newest save first, and holds it. */
export async function load(
  state: IndexState,
  fresh: boolean,
  signal?: AbortSignal,
): Promise<IndexEntry[]> {
  if (fresh && state.legacyState !== "none") state.legacyState = null;
  try {
    if (await orphanedShards(state, signal)) await rebuildCatalogue(state, signal);
  } catch (error) {
    if (!isUnreadableCatalogue(error)) throw error;
    await rebuildCatalogue(state, signal);
  }
  const [shards, old] = await Promise.all([allShards(state, fresh, signal), legacy(state, signal)]);
  const byId = new Map<string, IndexEntry>();
  for (const entry of old?.entries ?? []) byId.set(entry.savedId, entry);
  for (const s of shards) for (const r of s.shard.records) byId.set(r.savedId, indexEntryFor(r));
  const everything = [...byId.values()].sort(newestFirst);
  state.everything = everything;
  return everything;
}

/** The month a record lives in: from this pane's copies, else after reading everything. */
export async function locate(
  state: IndexState,
  savedId: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const held = heldMonthOf(state, savedId);
  if (held !== null) return held;
  await load(state, false, signal);
  return heldMonthOf(state, savedId);
}

/** Finishes interrupted splits and removals, takes back files a crash left out of the catalogue. */
export async function repair(state: IndexState, options: RepairOptions): Promise<ShardRepair> {
  const { signal } = options;
  let broken: boolean;
  try {
    broken = await orphanedShards(state, signal);
  } catch (error) {
    if (!isUnreadableCatalogue(error)) throw error;
    broken = true;
  }
  if (broken) {
    if (!options.dryRun) await rebuildCatalogue(state, signal);
    return { finished: 0, adopted: 0, removedStale: 0, needed: true };
  }
  const report = await repairShardFiles(
    {
      storage: state.storage,
      store: state.store,
      importRecords: (r, sig) => importRecords(state, r, sig),
      endRebuild: (sig) => endRebuild(state, sig),
    },
    options,
  );
  if (report.needed) touched(state);
  return report;
}
