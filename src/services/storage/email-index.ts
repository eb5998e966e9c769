// The stored emails' records and their index, kept together in shards (`records/`): a save's
// record and its index entry are one write, "already saved" is one small read, and listing reads
// only the months it shows. The files are described in record-shards.ts, the write protocol in
// shard-writes.ts, the design in docs/architecture.md ("Stored emails in shards"). Emails saved
// by earlier versions (`emails/{id}.json` + `index/`) are merged in until migrate-records.ts has
// moved them. createEmailIndex wires functions over one state (email-index-state.ts): reads by
// month in email-index-read.ts, changes in email-index-write.ts, the full read with its rebuild
// and repair in email-index-rebuild.ts.
import type { StoragePort } from "../../core/ports/storage.js";
import type { IndexEntry, StoredEmailRecord } from "../../core/stored-email.js";
import type { LegacyEmailIndex } from "./legacy-email-index.js";
import type { RepairOptions, ShardRepair } from "./shard-repair.js";
import { createIndexState, legacy } from "./email-index-state.js";
import {
  anySavedBefore,
  find,
  inMonth,
  pages,
  records,
  recordsModifiedSince,
  savedBefore,
} from "./email-index-read.js";
import { importRecords, load, repair } from "./email-index-rebuild.js";
import { commit, markMigrated, record, remove, update } from "./email-index-write.js";

export interface EntriesOptions {
  /** Re-read what changed since this pane's copy (one listing of `records/`, then those files). */
  fresh?: boolean;
  signal?: AbortSignal;
}

/** Stored emails of one month (all of it, or a few of its shards), as `pages()` yields them. */
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
  /** Month by month, newest message month first, a few shards a page, each read when asked for. */
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
   * `firstAttempt`: nothing of this save was sent before, so a record found is never its own
   * (two saves of one pane can share a millisecond, and so a time).
   */
  commit(
    record: StoredEmailRecord,
    signal?: AbortSignal,
    options?: { firstAttempt?: boolean },
  ): Promise<Committed>;
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
  /** Whether any email was saved at or before `time`: the catalogue says, no shard is read. */
  anySavedBefore(time: string, signal?: AbortSignal): Promise<boolean>;
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
  /**
   * At least every record written at or after `since` (ISO, storage's clock): the records of
   * the shards whose file changed since then (the pane's reconcile at start-up).
   */
  recordsModifiedSince(since: string, signal?: AbortSignal): Promise<StoredEmailRecord[]>;
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

export function createEmailIndex(storage: StoragePort): EmailIndex {
  const state = createIndexState(storage);
  return {
    async entries(options) {
      const { fresh, signal } = signalOf(options);
      if (state.everything && !fresh) return state.everything;
      return load(state, fresh === true, signal);
    },
    cached: () => state.everything,
    pages: (options) => pages(state, options),
    find: (receivedDateTime, savedIds, signal, fresh) =>
      find(state, receivedDateTime, savedIds, signal, fresh),
    commit: (emailRecord, signal, options) => commit(state, emailRecord, signal, options),
    record: (savedId, signal) => record(state, savedId, signal),
    update: (savedId, change, signal) => update(state, savedId, change, signal),
    remove: (emails, signal) => remove(state, emails, signal),
    savedBefore: (time, signal) => savedBefore(state, time, signal),
    anySavedBefore: (time, signal) => anySavedBefore(state, time, signal),
    inMonth: (receivedDateTime, signal) => inMonth(state, receivedDateTime, signal),
    records: (signal) => records(state, signal),
    recordsModifiedSince: (since, signal) => recordsModifiedSince(state, since, signal),
    importRecords: (imported, signal) => importRecords(state, imported, signal),
    repair: (options = {}) => repair(state, options),
    legacy: async (signal) => (await legacy(state, signal))?.index ?? null,
    markMigrated: (signal) => markMigrated(state, signal),
    forget() {
      state.store.forgetAll();
      state.everything = null;
      state.legacyState = null;
    },
  };
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
