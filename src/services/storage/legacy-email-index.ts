// The email index of earlier versions (`index/`): one file listing every stored email, beside one
// record file per email (`emails/{savedId}.json`). Kept so that emails saved by those versions stay
// readable until migrate-records.ts has moved them into the record shards (email-index.ts).
// createLegacyEmailIndex wires functions over one state: the file's format in
// legacy-index-format.ts, its reads, writes and queued updates in legacy-index-file.ts.
import type { StoragePort } from "../../core/ports/storage.js";
import type { IndexEntry } from "../../core/stored-email.js";
import type { IndexChange } from "./legacy-index-format.js";
import {
  apply,
  createLegacyIndexState,
  inspect,
  load,
  rebuild,
  type IndexInspection,
} from "./legacy-index-file.js";

export { applyIndexChange, parseEmailIndex, type IndexChange } from "./legacy-index-format.js";
export type { IndexInspection } from "./legacy-index-file.js";

export interface EntriesOptions {
  /** Re-read the index even when this pane holds a copy (another pane may have written it). */
  fresh?: boolean;
  signal?: AbortSignal;
}

export interface LegacyEmailIndex {
  /** The entries, newest save first; from this pane's copy unless `fresh` (or none is held). */
  entries(options?: EntriesOptions | AbortSignal): Promise<IndexEntry[]>;
  /** This pane's copy, without any request; null before the first read. */
  cached(): IndexEntry[] | null;
  /**
   * Applies a change with If-Match on the eTag this pane holds; on 412/409 re-reads, re-applies
   * and tries again (a few rounds, with jitter), so two panes never lose each other's update.
   */
  apply(change: IndexChange, signal?: AbortSignal): Promise<IndexEntry[]>;
  /** Rebuilds the index from the records (`emails/*.json`): the index is derived data. */
  rebuild(signal?: AbortSignal): Promise<IndexEntry[]>;
  /** Reads the index file as it is, without repairing it (for reconcile). */
  inspect(signal?: AbortSignal): Promise<IndexInspection>;
}

function signalOf(options: EntriesOptions | AbortSignal | undefined): EntriesOptions {
  if (options === undefined) return {};
  return options instanceof AbortSignal ? { signal: options } : options;
}

/**
 * The index lives in `index/` as one file `{schema: 1, entries}`: `emails.json` at first, then
 * `emails-{generation}-{random}.json`. An update that only adds or changes entries replaces the
 * file in place under If-Match (one PUT). An update that drops emails writes the next generation
 * under a new name, seals the old file (If-Match, so of two panes exactly one wins) and deletes it
 * for good: OneDrive keeps every overwritten version of a file, and a dropped email's subject and
 * sender must not live on in those versions. A reader lists `index/` and takes the oldest file not
 * sealed (list + read: three requests, once per pane). A missing, unreadable or broken chain of
 * files is rebuilt from the records.
 */
export function createLegacyEmailIndex(storage: StoragePort): LegacyEmailIndex {
  const state = createLegacyIndexState(storage);
  return {
    async entries(options) {
      const { fresh, signal } = signalOf(options);
      if (state.held && !fresh) return state.held.entries;
      return (await load(state, signal)).entries;
    },

    cached() {
      return state.held?.entries ?? null;
    },

    apply: (change, signal) => apply(state, change, signal),
    rebuild: (signal) => rebuild(state, signal),
    inspect: (signal) => inspect(storage, signal),
  };
}
