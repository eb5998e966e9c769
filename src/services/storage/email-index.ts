// The stored emails' records and their index, kept together in shards (`records/`): a save's
// record and its index entry are one write, "already saved" is one small read, and listing reads
// only the months it shows. The files are described in record-shards.ts, the write protocol in
// shard-store.ts, the design in docs/architecture.md ("Stored emails in shards"). Emails saved
// by earlier versions (`emails/{id}.json` + `index/`) are merged in until migrate-records.ts has
// moved them.
import { SeptError } from "../../core/errors.js";
import type { StoragePort } from "../../core/ports/storage.js";
import { indexEntryFor, type IndexEntry, type StoredEmailRecord } from "../../core/stored-email.js";
import { CATALOGUE_PATH, INDEX_DIR, RECORDS_DIR } from "./layout.js";
import { createLegacyEmailIndex, type LegacyEmailIndex } from "./legacy-email-index.js";
import {
  emptyCatalogue,
  hashBits,
  leafFor,
  monthOf,
  newestFirst,
  newestMonthFirst,
  parseShard,
  parseShardName,
  shardName,
  shardPath,
  type Catalogue,
  type ShardFile,
} from "./record-shards.js";
import {
  createShardStore,
  heldKey,
  isUnreadableCatalogue,
  type Deferred,
  type HeldShard,
} from "./shard-store.js";
import { writeGuard } from "./optimistic-write.js";
import { repairShardFiles, type RepairOptions, type ShardRepair } from "./shard-repair.js";

export interface EntriesOptions {
  /** Re-read what changed since this pane's copy (one listing of `records/`, then those files). */
  fresh?: boolean;
  signal?: AbortSignal;
}

/** One month of stored emails, as `pages()` yields them. */
export interface EntriesPage {
  month: string;
  entries: IndexEntry[];
}

/** What a save's commit found: its own record now stored (`mine`), or the one already there. */
export interface Committed {
  record: StoredEmailRecord;
  mine: boolean;
}

export type { RepairOptions, ShardRepair } from "./shard-repair.js";

/**
 * A stored email to find: its saved id, and its message date when known (an index entry has it),
 * which names its month; without it the month is looked up in what this pane holds.
 */
export type EmailToLocate = Pick<IndexEntry, "savedId"> &
  Partial<Pick<IndexEntry, "receivedDateTime">>;

export interface EmailIndex {
  /** Every stored email, newest save first; this pane's copy unless `fresh` (or none is held). */
  entries(options?: EntriesOptions | AbortSignal): Promise<IndexEntry[]>;
  /** This pane's copy, without any request; null before the first full read. */
  cached(): IndexEntry[] | null;
  /** Month by month, newest message month first, each read when asked for. */
  pages(options?: EntriesOptions): AsyncGenerator<EntriesPage>;
  /**
   * The records with these saved ids among the emails of one message month ("already saved"):
   * one shard read, or none when this pane holds it.
   */
  find(
    receivedDateTime: string | null,
    savedIds: string[],
    signal?: AbortSignal,
    /** Read the catalogue and the shard afresh (another pane may have written them). */
    fresh?: boolean,
  ): Promise<StoredEmailRecord[]>;
  /**
   * A save's commit point: adds the record to its shard unless one with its saved id is there
   * already (then that one is returned, `mine` when it is this very save's, by time and grant).
   */
  commit(record: StoredEmailRecord, signal?: AbortSignal): Promise<Committed>;
  /** One stored record by saved id, or null. */
  record(savedId: string, signal?: AbortSignal): Promise<StoredEmailRecord | null>;
  /** Replaces one record (same saved id and month) by `change(it)`; null: unchanged. */
  update(
    savedId: string,
    change: (record: StoredEmailRecord) => StoredEmailRecord | null,
    signal?: AbortSignal,
  ): Promise<StoredEmailRecord | null>;
  /**
   * Removes these records: each touched shard is replaced by a new generation and the old file
   * deleted for good, so no version of a shard keeps a removed email. Resolves to those removed.
   */
  remove(emails: readonly EmailToLocate[], signal?: AbortSignal): Promise<string[]>;
  /**
   * The emails saved at or before `time` (ISO): only the months the catalogue says may hold one
   * are read (purge).
   */
  savedBefore(time: string, signal?: AbortSignal): Promise<IndexEntry[]>;
  /**
   * The records of one message month (every shard of it; the save panel's "stored already"),
   * and the old index's entries while emails of earlier versions are not all moved.
   */
  inMonth(
    receivedDateTime: string | null,
    signal?: AbortSignal,
  ): Promise<{ records: StoredEmailRecord[]; legacy: IndexEntry[] }>;
  /** Every stored record (export, reconcile, the tenant job). */
  records(signal?: AbortSignal): Promise<StoredEmailRecord[]>;
  /** Adds records in bulk, a month's worth in few writes (migration, seeding); existing kept. */
  importRecords(records: readonly StoredEmailRecord[], signal?: AbortSignal): Promise<void>;
  /** Finishes interrupted splits and removals, takes back files a crash left out of the catalogue. */
  repair(options?: RepairOptions): Promise<ShardRepair>;
  /** The index of earlier versions while it still holds emails not moved to shards; else null. */
  legacy(signal?: AbortSignal): Promise<LegacyEmailIndex | null>;
  /** Marks the earlier versions' layout as fully moved: readers stop looking for it. */
  markMigrated(signal?: AbortSignal): Promise<void>;
  /** Forgets everything held (after "delete all"). */
  forget(): void;
}

function signalOf(options: EntriesOptions | AbortSignal | undefined): EntriesOptions {
  if (options === undefined) return {};
  return options instanceof AbortSignal ? { signal: options } : options;
}

const opt = (signal?: AbortSignal) => (signal ? { signal } : {});

/** Months of a catalogue, newest first. */
const monthsOf = (catalogue: Catalogue): string[] =>
  Object.keys(catalogue.months).sort(newestMonthFirst);

export function createEmailIndex(storage: StoragePort): EmailIndex {
  const store = createShardStore(storage);
  /** Where each held saved id lives (month), from the shards read. */
  let everything: IndexEntry[] | null = null;
  let legacyState: { index: LegacyEmailIndex; entries: IndexEntry[] } | "none" | null = null;

  const shardsOfMonth = async (month: string, fresh: boolean, signal?: AbortSignal) => {
    const catalogue = (await store.loadCatalogue(signal)).value;
    const bits = Object.keys(catalogue.months[month]?.shards ?? {});
    const read = await Promise.all(
      bits.map((b) =>
        store.shard(month, b, { fresh, ...opt(signal) }).catch((error: unknown) => {
          if (store.isMoved(error)) return null;
          throw error;
        }),
      ),
    );
    return read;
  };

  /** Every live shard: held copies unless their file changed (`fresh`: one listing tells). */
  const allShards = async (fresh: boolean, signal?: AbortSignal): Promise<HeldShard[]> => {
    for (let round = 0; round < 4; round++) {
      if (fresh) {
        const files = new Map(
          (await storage.list(RECORDS_DIR, signal)).map((f) => [f.name, f.eTag]),
        );
        const held = store.heldCatalogue();
        if (!held || files.get("catalogue.json") !== held.eTag) await store.readCatalogue(signal);
        for (const h of store.heldShards()) {
          const eTag = files.get(shardName(h.month, h.bits, h.suffix));
          if (eTag !== (h.eTag ?? undefined)) store.forget(h.month, h.bits);
        }
      }
      const catalogue = (await store.loadCatalogue(signal)).value;
      const shards = (
        await Promise.all(monthsOf(catalogue).map((m) => shardsOfMonth(m, false, signal)))
      ).flat();
      if (shards.every((s) => s !== null)) return shards;
      // A shard moved on while reading: read the catalogue again.
      await store.readCatalogue(signal);
      fresh = false;
    }
    throw new SeptError("conflict", { message: "The record shards kept changing." });
  };

  // One look at the earlier layout at a time: callers that ask together share it.
  let legacyLoading: Promise<void> | null = null;
  const legacy = async (signal?: AbortSignal) => {
    if (legacyState === null) {
      legacyLoading ??= lookForLegacy(signal).finally(() => {
        legacyLoading = null;
      });
      await legacyLoading;
    }
    return legacyState === "none" || legacyState === null ? null : legacyState;
  };

  const lookForLegacy = async (signal?: AbortSignal): Promise<void> => {
    const catalogue = (await store.loadCatalogue(signal)).value;
    if (catalogue.legacyMigrated) {
      legacyState = "none";
      return;
    }
    const old = await storage.list(INDEX_DIR, signal);
    const index = createLegacyEmailIndex(storage);
    const found = old.length > 0 ? await index.inspect(signal) : null;
    legacyState =
      found?.status === "ok" && found.entries.length > 0
        ? { index, entries: found.entries }
        : "none";
  };

  /**
   * The catalogue is derived data: when it is unreadable, or absent while shard files exist (a
   * hand-made change, a crash of the first save), it is made again from the shard files. Their
   * records are written anew as whole shards, then the files read are deleted for good. (A save
   * into one of those files at that very moment would be lost: this runs only after damage.)
   */
  const rebuildCatalogue = async (signal?: AbortSignal): Promise<void> => {
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
    store.forgetAll();
    await index.importRecords([...byId.values()], signal);
    const outcome = await storage.removeMany(
      files.map((f) => `${RECORDS_DIR}/${f.name}`),
      opt(signal),
    );
    const failed = outcome.failed[0];
    if (failed) throw failed.error;
    await endRebuild(signal);
    touched();
  };

  const endRebuild = (signal?: AbortSignal) =>
    store.updateCatalogue((c) => {
      if (c.rebuilding === undefined) return null;
      const { rebuilding: _done, ...rest } = c;
      return rest;
    }, signal);

  /** Whether the catalogue is absent while shard files exist (it must be rebuilt). */
  const orphanedShards = async (signal?: AbortSignal): Promise<boolean> => {
    if ((await store.loadCatalogue(signal)).eTag !== null) return false;
    return (await storage.list(RECORDS_DIR, signal)).some((f) => parseShardName(f.name));
  };

  const load = async (fresh: boolean, signal?: AbortSignal): Promise<IndexEntry[]> => {
    if (fresh && legacyState !== "none") legacyState = null;
    try {
      if (await orphanedShards(signal)) await rebuildCatalogue(signal);
    } catch (error) {
      if (!isUnreadableCatalogue(error)) throw error;
      await rebuildCatalogue(signal);
    }
    const [shards, old] = await Promise.all([allShards(fresh, signal), legacy(signal)]);
    const byId = new Map<string, IndexEntry>();
    for (const entry of old?.entries ?? []) byId.set(entry.savedId, entry);
    for (const s of shards) for (const r of s.shard.records) byId.set(r.savedId, indexEntryFor(r));
    everything = [...byId.values()].sort(newestFirst);
    return everything;
  };

  /** The month a held record lives in, from this pane's copies; else null. */
  const heldMonthOf = (savedId: string): string | null => {
    for (const h of store.heldShards()) {
      if (h.shard.records.some((r) => r.savedId === savedId)) return h.month;
    }
    return null;
  };

  const locate = async (savedId: string, signal?: AbortSignal): Promise<string | null> => {
    const held = heldMonthOf(savedId);
    if (held !== null) return held;
    await load(false, signal);
    return heldMonthOf(savedId);
  };

  /** Drops changed records from the full copy, so `cached()` never shows a stale one. */
  const touched = () => {
    everything = null;
  };

  const index: EmailIndex = {
    async entries(options) {
      const { fresh, signal } = signalOf(options);
      if (everything && !fresh) return everything;
      return load(fresh === true, signal);
    },

    cached: () => everything,

    async *pages(options = {}) {
      const { signal } = options;
      const catalogue = options.fresh
        ? (await store.readCatalogue(signal)).value
        : (await store.loadCatalogue(signal)).value;
      for (const month of monthsOf(catalogue)) {
        const shards = await shardsOfMonth(month, options.fresh === true, signal);
        const entries = shards.flatMap((s) => (s ? s.shard.records.map(indexEntryFor) : []));
        yield { month, entries: entries.sort(newestFirst) };
      }
      const old = await legacy(signal);
      if (old) yield { month: "legacy", entries: old.entries };
    },

    async find(receivedDateTime, savedIds, signal, fresh) {
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
      const old = await legacy(signal);
      if (old && found.length === 0) {
        // Not moved yet: the old index holds the entry; its record file holds the rest.
        const entry = old.entries.find((e) => wanted.has(e.savedId));
        if (entry) {
          const record = await readLegacyRecord(storage, entry.savedId, signal);
          if (record) found.push(record);
        }
      }
      return found;
    },

    async commit(record, signal) {
      let existing: StoredEmailRecord | undefined;
      await store.change(
        monthOf(record.message.receivedDateTime),
        record.savedId,
        (records) => {
          existing = records.find((r) => r.savedId === record.savedId);
          return existing ? null : [...records, record];
        },
        signal,
      );
      touched();
      if (!existing) return { record, mine: true };
      const mine =
        existing.savedAt === record.savedAt && existing.consentGrantId === record.consentGrantId;
      return { record: existing, mine };
    },

    async record(savedId, signal) {
      const month = await locate(savedId, signal);
      if (month === null) return null;
      const { before } = await store.change(month, savedId, () => null, signal);
      return before.find((r) => r.savedId === savedId) ?? null;
    },

    async update(savedId, change, signal) {
      const month = await locate(savedId, signal);
      if (month === null) return null;
      let updated: StoredEmailRecord | null = null;
      await store.change(
        month,
        savedId,
        (records) => {
          const at = records.findIndex((r) => r.savedId === savedId);
          const current = records[at];
          updated = current ? change(current) : null;
          if (!updated) return null;
          const next = [...records];
          next[at] = updated;
          return next;
        },
        signal,
      );
      touched();
      return updated;
    },

    async remove(emails, signal) {
      const targets = new Set(emails.map((e) => e.savedId));
      // Where each lives: its message month when the caller knows it, else this pane's copies.
      const unknown = emails.filter((e) => !("receivedDateTime" in e));
      if (unknown.some((e) => heldMonthOf(e.savedId) === null)) await load(false, signal);
      let pending = new Map<string, string>();
      for (const e of emails) {
        const month =
          "receivedDateTime" in e ? monthOf(e.receivedDateTime) : heldMonthOf(e.savedId);
        if (month !== null) pending.set(e.savedId, month);
      }
      const removed = new Set<string>();
      // One generation per touched shard, written side by side, then one catalogue update and
      // batched deletes of the old files for all of them. A shard split meanwhile leaves ids
      // under a sibling: they are located again, until every id's shard has been looked at.
      const deferred: Deferred = { frozen: [] };
      for (let round = 0; pending.size > 0 && round < 8; round++) {
        const catalogue = (await store.loadCatalogue(signal)).value;
        const byShard = new Map<string, { month: string; first: string }>();
        for (const [savedId, month] of pending) {
          const bits = leafFor(catalogue, month, savedId);
          if (bits === null) {
            pending.delete(savedId);
            continue;
          }
          const key = heldKey(month, bits);
          if (!byShard.has(key)) byShard.set(key, { month, first: savedId });
        }
        const looked = new Set<string>();
        await Promise.all(
          [...byShard.values()].map(async ({ month, first }) => {
            const { before, after, bits } = await store.change(
              month,
              first,
              (records) => {
                const next = records.filter((r) => !targets.has(r.savedId));
                return next.length === records.length ? null : next;
              },
              signal,
              deferred,
            );
            const kept = new Set((after ?? before).map((r) => r.savedId));
            for (const r of before) {
              if (targets.has(r.savedId) && !kept.has(r.savedId)) removed.add(r.savedId);
            }
            for (const [savedId, m] of pending) {
              if (m === month && hashBits(savedId).startsWith(bits)) looked.add(savedId);
            }
          }),
        );
        pending = new Map([...pending].filter(([savedId]) => !looked.has(savedId)));
      }
      await store.finishAll(deferred.frozen, signal);
      const old = await legacy(signal);
      if (old) {
        const inOld = old.entries.filter((e) => targets.has(e.savedId)).map((e) => e.savedId);
        if (inOld.length > 0) {
          old.entries = await old.index.apply({ remove: inOld }, signal);
          for (const id of inOld) removed.add(id);
        }
      }
      touched();
      return [...removed];
    },

    async savedBefore(time, signal) {
      const catalogue = (await store.loadCatalogue(signal)).value;
      const months = monthsOf(catalogue).filter((m) => {
        const oldest = catalogue.months[m]?.oldestSavedAt;
        return oldest !== undefined && oldest <= time;
      });
      const shards = (await Promise.all(months.map((m) => shardsOfMonth(m, false, signal)))).flat();
      const entries = shards.flatMap((s) => (s ? s.shard.records.map(indexEntryFor) : []));
      const old = await legacy(signal);
      return [...entries, ...(old?.entries ?? [])]
        .filter((e) => e.savedAt <= time)
        .sort(newestFirst);
    },

    async inMonth(receivedDateTime, signal) {
      const shards = await shardsOfMonth(monthOf(receivedDateTime), false, signal);
      const records = shards.flatMap((s) => (s ? s.shard.records : []));
      const old = await legacy(signal);
      return { records, legacy: old?.entries ?? [] };
    },

    async records(signal) {
      const shards = await allShards(false, signal);
      return shards.flatMap((s) => s.shard.records);
    },

    async importRecords(records, signal) {
      const byMonth = new Map<string, StoredEmailRecord[]>();
      for (const r of records) {
        const month = monthOf(r.message.receivedDateTime);
        byMonth.set(month, [...(byMonth.get(month) ?? []), r]);
      }
      const catalogue = (await store.loadCatalogue(signal)).value;
      const fresh = new Map([...byMonth].filter(([m]) => !catalogue.months[m]));
      if (fresh.size > 0) {
        // New months: the catalogue names their leaves first, then each leaf's file is created
        // whole (create-only; one created meanwhile by a save takes the slow path below).
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
        const results = await storage.writeMany(writes, opt(signal));
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
      for (const [month, monthRecords] of byMonth) {
        // Records land shard by shard: those of one shard in one change.
        const pending = new Map(monthRecords.map((r) => [r.savedId, r]));
        while (pending.size > 0) {
          const [first] = pending.keys();
          if (first === undefined) break;
          const under = (bits: string) =>
            [...pending.values()].filter((r) => hashBits(r.savedId).startsWith(bits));
          const { bits } = await store.change(
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
      touched();
    },

    async repair(options = {}) {
      const { signal } = options;
      let broken: boolean;
      try {
        broken = await orphanedShards(signal);
      } catch (error) {
        if (!isUnreadableCatalogue(error)) throw error;
        broken = true;
      }
      if (broken) {
        if (!options.dryRun) await rebuildCatalogue(signal);
        return { finished: 0, adopted: 0, removedStale: 0, needed: true };
      }
      const report = await repairShardFiles(
        { storage, store, importRecords: (r, sig) => index.importRecords(r, sig), endRebuild },
        options,
      );
      if (report.needed) touched();
      return report;
    },

    legacy: async (signal) => (await legacy(signal))?.index ?? null,

    async markMigrated(signal) {
      await store.updateCatalogue(
        (current) =>
          current.legacyMigrated ? null : { ...current, legacyMigrated: new Date().toISOString() },
        signal,
      );
      legacyState = "none";
      touched();
    },

    forget() {
      store.forgetAll();
      everything = null;
      legacyState = null;
    },
  };
  return index;
}

/** A record file of the earlier layout, or null when absent or not a record. */
async function readLegacyRecord(
  storage: StoragePort,
  savedId: string,
  signal?: AbortSignal,
): Promise<StoredEmailRecord | null> {
  const { readStoredRecords } = await import("./read-records.js");
  const { recordPath } = await import("./layout.js");
  const [record] = await readStoredRecords(storage, [recordPath(savedId)], signal);
  return record?.savedId === savedId ? record : null;
}

/** One email index per storage, made on first use. */
export interface EmailIndexes {
  of(storage: StoragePort): EmailIndex;
}

export function createEmailIndexes(): EmailIndexes {
  const byStorage = new WeakMap<StoragePort, EmailIndex>();
  return {
    of(storage) {
      let index = byStorage.get(storage);
      if (!index) {
        index = createEmailIndex(storage);
        byStorage.set(storage, index);
      }
      return index;
    },
  };
}
