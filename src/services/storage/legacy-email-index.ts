// The email index of earlier versions (`index/`): one file listing every stored email, beside one
// record file per email (`emails/{savedId}.json`). Kept so that emails saved by those versions stay
// readable until migrate-records.ts has moved them into the record shards (email-index.ts).
// Over 300 lines on purpose: createLegacyEmailIndex is one closure over the copy it holds
// (inspect, rebuild from the records, update under If-Match, seal the old file); moving its parts
// apart would only pass that copy between files.
import { SeptError } from "../../core/errors.js";
import type { StoragePort } from "../../core/ports/storage.js";
import { indexEntryFor, type EmailIndexFile, type IndexEntry } from "../../core/stored-email.js";
import {
  EMAILS_DIR,
  FIRST_INDEX_NAME,
  INDEX_DIR,
  indexFilePath,
  indexGeneration,
  indexGenerationName,
} from "./layout.js";
import { delay } from "../../core/delay.js";
import { jitterMs, lostRace, retryLostRaces } from "./optimistic-write.js";
import { readStoredRecords } from "./read-records.js";

/** Optimistic-concurrency rounds before an update gives up (two panes rarely need more than 2). */
const MAX_ROUNDS = 8;

export interface IndexChange {
  /** Entries added, or replacing the entry with the same savedId. */
  upsert?: IndexEntry[];
  /** savedIds removed. */
  remove?: string[];
}

export interface EntriesOptions {
  /** Re-read the index even when this pane holds a copy (another pane may have written it). */
  fresh?: boolean;
  signal?: AbortSignal;
}

/** What the index file holds right now, as read (no repair); `name` is its file in `index/`. */
export type IndexInspection =
  | { status: "ok"; entries: IndexEntry[]; eTag: string; name: string }
  | { status: "missing" }
  | { status: "corrupt"; eTag: string; name: string };

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

interface QueuedChange {
  change: IndexChange;
  signal: AbortSignal | undefined;
  resolve: (entries: IndexEntry[]) => void;
  reject: (error: unknown) => void;
}

interface Held {
  entries: IndexEntry[];
  /** null: no index file exists yet, so the first write must create it (conflict "fail"). */
  eTag: string | null;
  /** The index file's name in `index/` (meaningless while eTag is null). */
  name: string;
}

/** A file handed over to a newer generation: `{schema: 1, supersededBy, entries: []}`. */
function supersededBy(value: unknown): string | null {
  return isObject(value) && typeof value.supersededBy === "string" ? value.supersededBy : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isEntry(value: unknown): value is IndexEntry {
  return (
    isObject(value) &&
    typeof value.savedId === "string" &&
    typeof value.projectId === "string" &&
    typeof value.savedAt === "string" &&
    typeof value.subject === "string" &&
    Array.isArray(value.to) &&
    typeof value.contentStored === "boolean" &&
    typeof value.sizeBytes === "number"
  );
}

/** The index file's entries, or null when it is not a schema-1 index (then it is rebuilt). */
export function parseEmailIndex(value: unknown): IndexEntry[] | null {
  if (!isObject(value) || value.schema !== 1 || !Array.isArray(value.entries)) return null;
  return value.entries.every(isEntry) ? value.entries : null;
}

const newestFirst = (a: IndexEntry, b: IndexEntry): number =>
  a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : a.savedId < b.savedId ? -1 : 1;

function sameEntry(a: IndexEntry | undefined, b: IndexEntry): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** The entries after `change`, or null when the change is already there (nothing to write). */
export function applyIndexChange(entries: IndexEntry[], change: IndexChange): IndexEntry[] | null {
  const bySavedId = new Map(entries.map((e) => [e.savedId, e]));
  let changed = false;
  for (const savedId of change.remove ?? []) changed = bySavedId.delete(savedId) || changed;
  for (const entry of change.upsert ?? []) {
    if (sameEntry(bySavedId.get(entry.savedId), entry)) continue;
    bySavedId.set(entry.savedId, entry);
    changed = true;
  }
  return changed ? [...bySavedId.values()].sort(newestFirst) : null;
}

function signalOf(options: EntriesOptions | AbortSignal | undefined): EntriesOptions {
  if (options === undefined) return {};
  return options instanceof AbortSignal ? { signal: options } : options;
}

// 404: the file this pane held was replaced by a newer generation and removed meanwhile.
const isLostRace = (error: unknown): boolean => lostRace(error, { removedCounts: true });

/** Small and random, so two panes that collided do not collide again in step. */
const pauseMs = jitterMs(40);

const raceRetries = (retryOn: (error: unknown) => boolean, signal?: AbortSignal) => ({
  attempts: MAX_ROUNDS,
  retryOn,
  pauseMs,
  ...(signal ? { signal } : {}),
});

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
  let held: Held | null = null;

  const inspectOnce = async (signal?: AbortSignal): Promise<IndexInspection | "raced"> => {
    const files = (await storage.list(INDEX_DIR, signal))
      .map((f) => ({ name: f.name, generation: indexGeneration(f.name) }))
      .filter((f): f is { name: string; generation: number } => f.generation !== null)
      .sort((a, b) => a.generation - b.generation || (a.name < b.name ? -1 : 1));
    for (const { name } of files) {
      let value: unknown;
      let eTag: string;
      try {
        const read = await storage.readJson<unknown>(indexFilePath(name), signal);
        value = read.value;
        eTag = read.file.eTag;
      } catch (error) {
        if (!(error instanceof SeptError)) throw error;
        // Removed since the listing: another pane moved on; look again.
        if (error.code === "not_found") return "raced";
        // Not JSON at all: readJson keeps no eTag, so ask for it; an overwrite stays guarded.
        if (error.code === "unknown") {
          const file = await storage.stat(indexFilePath(name), signal);
          return file ? { status: "corrupt", eTag: file.eTag, name } : "raced";
        }
        throw error;
      }
      if (supersededBy(value) !== null) continue;
      const entries = parseEmailIndex(value);
      return entries
        ? { status: "ok", entries: [...entries].sort(newestFirst), eTag, name }
        : { status: "corrupt", eTag, name };
    }
    return { status: "missing" };
  };

  const inspect = async (signal?: AbortSignal): Promise<IndexInspection> => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const found = await inspectOnce(signal);
      if (found !== "raced") return found;
      await delay(pauseMs(round + 1), signal);
    }
    return { status: "missing" };
  };

  /** Every record in storage, as index entries; unreadable records are left out. */
  const fromRecords = async (signal?: AbortSignal): Promise<IndexEntry[]> => {
    const files = (await storage.list(EMAILS_DIR, signal)).filter((f) => f.name.endsWith(".json"));
    const paths = files.map((f) => `${EMAILS_DIR}/${f.name}`);
    // Removed since the listing, or not a record: neither belongs in the index.
    const records = await readStoredRecords(storage, paths, signal);
    return records.flatMap((r) => (r ? [indexEntryFor(r)] : [])).sort(newestFirst);
  };

  /** Removes every older or losing index file but `keep` (best effort: a reader skips them). */
  const sweep = async (keep: string, signal?: AbortSignal): Promise<void> => {
    const keepGeneration = indexGeneration(keep) ?? 0;
    try {
      const stale = (await storage.list(INDEX_DIR, signal))
        .map((f) => f.name)
        .filter((name) => {
          const generation = indexGeneration(name);
          return name !== keep && generation !== null && generation <= keepGeneration;
        });
      if (stale.length > 0) await storage.removeMany(stale.map(indexFilePath), { signal });
    } catch (error) {
      if (error instanceof SeptError && error.code === "cancelled") throw error;
    }
  };

  /**
   * Writes `entries` over `base`: in place when nothing is dropped, else as the next generation
   * (see above). Lost races reject with precondition_failed / conflict / not_found.
   */
  const write = async (
    entries: IndexEntry[],
    base: Held | { eTag: string | null; name: string; entries: IndexEntry[] | null },
    signal?: AbortSignal,
  ) => {
    const body: EmailIndexFile = { schema: 1, entries };
    if (base.eTag === null) {
      const file = await storage.writeJson(indexFilePath(FIRST_INDEX_NAME), body, {
        conflict: "fail",
        signal,
      });
      held = { entries, eTag: file.eTag, name: FIRST_INDEX_NAME };
      return entries;
    }
    const keptIds = new Set(entries.map((e) => e.savedId));
    const drops = base.entries === null || base.entries.some((e) => !keptIds.has(e.savedId));
    if (!drops) {
      const file = await storage.writeJson(indexFilePath(base.name), body, {
        ifMatch: base.eTag,
        signal,
      });
      held = { entries, eTag: file.eTag, name: base.name };
      return entries;
    }
    const name = indexGenerationName((indexGeneration(base.name) ?? 0) + 1);
    const file = await storage.writeJson(indexFilePath(name), body, { conflict: "fail", signal });
    try {
      await storage.writeJson(
        indexFilePath(base.name),
        { schema: 1, supersededBy: name, entries: [] },
        { ifMatch: base.eTag, signal },
      );
    } catch (error) {
      // Another pane changed the index first: ours never became current.
      await storage.remove(indexFilePath(name)).catch(() => undefined);
      throw error;
    }
    held = { entries, eTag: file.eTag, name };
    // The old file goes for good, with every version that still lists the dropped emails.
    await sweep(name, signal);
    return entries;
  };

  /** `first`: an inspection just made, so the first round does not list the folder again. */
  const rebuild = (signal?: AbortSignal, first?: IndexInspection): Promise<IndexEntry[]> =>
    retryLostRaces(
      async (guarded, attempt) => {
        const now = (attempt === 1 ? first : undefined) ?? (await inspect(signal));
        const entries = await fromRecords(signal);
        if (now.status === "ok" && JSON.stringify(now.entries) === JSON.stringify(entries)) {
          held = { entries: now.entries, eTag: now.eTag, name: now.name };
          return now.entries;
        }
        // No records and no index: nothing to write until the first save creates it.
        if (now.status === "missing" && entries.length === 0) {
          held = { entries, eTag: null, name: FIRST_INDEX_NAME };
          return entries;
        }
        const base =
          now.status === "missing"
            ? { eTag: null, name: FIRST_INDEX_NAME, entries: [] }
            : // A corrupt file may hold anything: it is replaced, never overwritten.
              { eTag: now.eTag, name: now.name, entries: now.status === "ok" ? now.entries : null };
        return await guarded(write(entries, base, signal));
      },
      raceRetries(isLostRace, signal),
    );

  const readOrRebuild = async (signal?: AbortSignal): Promise<Held> => {
    const now = await inspect(signal);
    if (now.status === "ok") {
      held = { entries: now.entries, eTag: now.eTag, name: now.name };
      return held;
    }
    await rebuild(signal, now);
    if (!held) throw new SeptError("unknown", { message: "The email index could not be read." });
    return held;
  };

  // Callers asking at once (the saves of a bulk save, the pane's first view) share one read.
  let loading: Promise<Held> | null = null;
  const load = (signal?: AbortSignal): Promise<Held> => {
    loading ??= readOrRebuild(signal).finally(() => {
      loading = null;
    });
    return loading;
  };

  // Another pane wrote first (412), or created the file first (409): read theirs, redo ours.
  // A dropped connection may also have landed: the re-read finds the change already there.
  const applyRetries = (error: unknown): boolean =>
    isLostRace(error) || (error instanceof SeptError && error.retryable);

  /** Applies changes in order as one write, re-reading and redoing them after a lost race. */
  const applyAll = (changes: IndexChange[], signal?: AbortSignal) =>
    retryLostRaces(
      async (guarded) => {
        const base = held ?? (await load(signal));
        let next: IndexEntry[] | null = null;
        for (const change of changes) next = applyIndexChange(next ?? base.entries, change) ?? next;
        if (next === null) return base.entries;
        const written = write(next, base, signal).catch((error: unknown) => {
          if (applyRetries(error)) held = null;
          throw error;
        });
        return await guarded(written);
      },
      raceRetries(applyRetries, signal),
    );

  // Updates from this pane (several saves of a bulk save finish together) are queued and written
  // together: one PUT for all of them, and no pane ever races itself for the eTag.
  const queue: QueuedChange[] = [];
  let writing: Promise<void> | null = null;
  const drain = async (): Promise<void> => {
    // Yield first: `writing` must hold this promise before the loop can end and clear it.
    await Promise.resolve();
    while (queue.length > 0) {
      const round = queue.splice(0).filter((q) => {
        if (!q.signal?.aborted) return true;
        q.reject(new SeptError("cancelled", { cause: q.signal.reason }));
        return false;
      });
      if (round.length === 0) continue;
      // One caller's signal can cancel only a write that is its own alone.
      const only = round.length === 1 ? round[0]?.signal : undefined;
      try {
        const entries = await applyAll(
          round.map((q) => q.change),
          only,
        );
        for (const q of round) q.resolve(entries);
      } catch (error) {
        for (const q of round) q.reject(error);
      }
    }
    writing = null;
  };

  return {
    async entries(options) {
      const { fresh, signal } = signalOf(options);
      if (held && !fresh) return held.entries;
      return (await load(signal)).entries;
    },

    cached() {
      return held?.entries ?? null;
    },

    apply(change, signal) {
      return new Promise<IndexEntry[]>((resolve, reject) => {
        queue.push({ change, signal, resolve, reject });
        writing ??= drain();
      });
    },

    rebuild: (signal) => rebuild(signal),
    inspect,
  };
}
