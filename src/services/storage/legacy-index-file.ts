// The index file of earlier versions in storage (legacy-email-index.ts): found by listing
// `index/`, rebuilt from the record files, replaced in place or as a next generation, and changed
// by this pane's queued updates. Functions over the state createLegacyEmailIndex makes. Just over
// 300 lines on purpose: reading, rebuilding and writing the one file call one another.
import { SeptError } from "../../core/errors.js";
import type { StoragePort } from "../../core/ports/storage.js";
import { indexEntryFor, type EmailIndexFile, type IndexEntry } from "../../core/stored-email.js";
import { delay } from "../../core/delay.js";
import {
  EMAILS_DIR,
  FIRST_INDEX_NAME,
  INDEX_DIR,
  indexFilePath,
  indexGeneration,
  indexGenerationName,
} from "./layout.js";
import { jitterMs, lostRace, retryLostRaces } from "./optimistic-write.js";
import { readStoredRecords } from "./read-records.js";
import {
  applyIndexChange,
  newestFirst,
  parseEmailIndex,
  supersededBy,
  type IndexChange,
} from "./legacy-index-format.js";

/** Optimistic-concurrency rounds before an update gives up (two panes rarely need more than 2). */
const MAX_ROUNDS = 8;

/** What the index file holds right now, as read (no repair); `name` is its file in `index/`. */
export type IndexInspection =
  | { status: "ok"; entries: IndexEntry[]; eTag: string; name: string }
  | { status: "missing" }
  | { status: "corrupt"; eTag: string; name: string };

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

/** What one legacy index holds: this pane's copy, the read under way, the queued updates. */
export interface LegacyIndexState {
  storage: StoragePort;
  held: Held | null;
  /** Callers asking at once (the saves of a bulk save, the pane's first view) share one read. */
  loading: Promise<Held> | null;
  queue: QueuedChange[];
  writing: Promise<void> | null;
}

export const createLegacyIndexState = (storage: StoragePort): LegacyIndexState => ({
  storage,
  held: null,
  loading: null,
  queue: [],
  writing: null,
});

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

async function inspectOnce(
  storage: StoragePort,
  signal?: AbortSignal,
): Promise<IndexInspection | "raced"> {
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
}

/** Reads the index file as it is, without repairing it (for reconcile). */
export async function inspect(
  storage: StoragePort,
  signal?: AbortSignal,
): Promise<IndexInspection> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const found = await inspectOnce(storage, signal);
    if (found !== "raced") return found;
    await delay(pauseMs(round + 1), signal);
  }
  return { status: "missing" };
}

/** Every record in storage, as index entries; unreadable records are left out. */
async function fromRecords(storage: StoragePort, signal?: AbortSignal): Promise<IndexEntry[]> {
  const files = (await storage.list(EMAILS_DIR, signal)).filter((f) => f.name.endsWith(".json"));
  const paths = files.map((f) => `${EMAILS_DIR}/${f.name}`);
  // Removed since the listing, or not a record: neither belongs in the index.
  const records = await readStoredRecords(storage, paths, signal);
  return records.flatMap((r) => (r ? [indexEntryFor(r)] : [])).sort(newestFirst);
}

/** Removes every older or losing index file but `keep` (best effort: a reader skips them). */
async function sweep(storage: StoragePort, keep: string, signal?: AbortSignal): Promise<void> {
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
}

/**
 * Writes `entries` over `base`: in place when nothing is dropped, else as the next generation
 * (see createLegacyEmailIndex). Lost races reject with precondition_failed / conflict / not_found.
 */
async function write(
  state: LegacyIndexState,
  entries: IndexEntry[],
  base: Held | { eTag: string | null; name: string; entries: IndexEntry[] | null },
  signal?: AbortSignal,
) {
  const { storage } = state;
  const body: EmailIndexFile = { schema: 1, entries };
  if (base.eTag === null) {
    const file = await storage.writeJson(indexFilePath(FIRST_INDEX_NAME), body, {
      conflict: "fail",
      signal,
    });
    state.held = { entries, eTag: file.eTag, name: FIRST_INDEX_NAME };
    return entries;
  }
  const keptIds = new Set(entries.map((e) => e.savedId));
  const drops = base.entries === null || base.entries.some((e) => !keptIds.has(e.savedId));
  if (!drops) {
    const file = await storage.writeJson(indexFilePath(base.name), body, {
      ifMatch: base.eTag,
      signal,
    });
    state.held = { entries, eTag: file.eTag, name: base.name };
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
  state.held = { entries, eTag: file.eTag, name };
  // The old file goes for good, with every version that still lists the dropped emails.
  await sweep(storage, name, signal);
  return entries;
}

/**
 * Rebuilds the index from the records (`emails/*.json`): the index is derived data.
 * `first`: an inspection just made, so the first round does not list the folder again.
 */
export const rebuild = (
  state: LegacyIndexState,
  signal?: AbortSignal,
  first?: IndexInspection,
): Promise<IndexEntry[]> =>
  retryLostRaces(
    async (guarded, attempt) => {
      const now = (attempt === 1 ? first : undefined) ?? (await inspect(state.storage, signal));
      const entries = await fromRecords(state.storage, signal);
      if (now.status === "ok" && JSON.stringify(now.entries) === JSON.stringify(entries)) {
        state.held = { entries: now.entries, eTag: now.eTag, name: now.name };
        return now.entries;
      }
      // No records and no index: nothing to write until the first save creates it.
      if (now.status === "missing" && entries.length === 0) {
        state.held = { entries, eTag: null, name: FIRST_INDEX_NAME };
        return entries;
      }
      const base =
        now.status === "missing"
          ? { eTag: null, name: FIRST_INDEX_NAME, entries: [] }
          : // A corrupt file may hold anything: it is replaced, never overwritten.
            { eTag: now.eTag, name: now.name, entries: now.status === "ok" ? now.entries : null };
      return await guarded(write(state, entries, base, signal));
    },
    raceRetries(isLostRace, signal),
  );

async function readOrRebuild(state: LegacyIndexState, signal?: AbortSignal): Promise<Held> {
  const now = await inspect(state.storage, signal);
  if (now.status === "ok") {
    const held = { entries: now.entries, eTag: now.eTag, name: now.name };
    state.held = held;
    return held;
  }
  await rebuild(state, signal, now);
  if (!state.held)
    throw new SeptError("unknown", { message: "The email index could not be read." });
  return state.held;
}

/** The index as read now (or rebuilt); callers asking at once share one read. */
export function load(state: LegacyIndexState, signal?: AbortSignal): Promise<Held> {
  state.loading ??= readOrRebuild(state, signal).finally(() => {
    state.loading = null;
  });
  return state.loading;
}

// Another pane wrote first (412), or created the file first (409): read theirs, redo ours.
// A dropped connection may also have landed: the re-read finds the change already there.
const applyRetries = (error: unknown): boolean =>
  isLostRace(error) || (error instanceof SeptError && error.retryable);

/** Applies changes in order as one write, re-reading and redoing them after a lost race. */
const applyAll = (state: LegacyIndexState, changes: IndexChange[], signal?: AbortSignal) =>
  retryLostRaces(
    async (guarded) => {
      const base = state.held ?? (await load(state, signal));
      let next: IndexEntry[] | null = null;
      for (const change of changes) next = applyIndexChange(next ?? base.entries, change) ?? next;
      if (next === null) return base.entries;
      const written = write(state, next, base, signal).catch((error: unknown) => {
        if (applyRetries(error)) state.held = null;
        throw error;
      });
      return await guarded(written);
    },
    raceRetries(applyRetries, signal),
  );

// Updates from this pane (several saves of a bulk save finish together) are queued and written
// together: one PUT for all of them, and no pane ever races itself for the eTag.
async function drain(state: LegacyIndexState): Promise<void> {
  const { queue } = state;
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
        state,
        round.map((q) => q.change),
        only,
      );
      for (const q of round) q.resolve(entries);
    } catch (error) {
      for (const q of round) q.reject(error);
    }
  }
  state.writing = null;
}

/** Queues a change; it is written with the others queued meanwhile (see drain). */
export function apply(
  state: LegacyIndexState,
  change: IndexChange,
  signal?: AbortSignal,
): Promise<IndexEntry[]> {
  return new Promise<IndexEntry[]>((resolve, reject) => {
    state.queue.push({ change, signal, resolve, reject });
    state.writing ??= drain(state);
  });
}
