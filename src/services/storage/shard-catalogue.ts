// The shard store's state and its catalogue (`records/catalogue.json`): what this pane holds, how
// the catalogue is read (callers asking at once share one read), replaced under If-Match, and
// given new months or a lower oldest savedAt. The write protocol over the shards themselves is
// in shard-writes.ts; createShardStore (shard-store.ts) wires both. Design: docs/architecture.md.
import { delay } from "../../core/delay.js";
import { SeptError } from "../../core/errors.js";
import type { StoragePort } from "../../core/ports/storage.js";
import type { StoredEmailRecord } from "../../core/stored-email.js";
import { CATALOGUE_PATH } from "./layout.js";
import { jitterMs, lostRace, writeGuard } from "./optimistic-write.js";
import {
  emptyCatalogue,
  newSuffix,
  oldestOf,
  parseCatalogue,
  partition,
  type Catalogue,
  type ShardFile,
} from "./record-shards.js";

/** Rounds of read-change-write before a change gives up to writers that keep winning. */
export const MAX_ROUNDS = 12;
export const pauseMs = jitterMs(40);

export interface HeldCatalogue {
  value: Catalogue;
  /** null: no catalogue file yet (created, conflict "fail", by the first change). */
  eTag: string | null;
}

export interface HeldShard {
  month: string;
  bits: string;
  suffix: string;
  /** null: the catalogue names the file but it does not exist (an empty shard). */
  eTag: string | null;
  shard: ShardFile;
}

/** What one shard store holds: this pane's copies and the work under way, shared by its parts. */
export interface ShardState {
  storage: StoragePort;
  catalogue: HeldCatalogue | null;
  shards: Map<string, HeldShard>;
  /** Shard reads under way, shared by callers asking at once. */
  reading: Map<string, { suffix: string; read: Promise<HeldShard> }>;
  /** A catalogue read under way, shared by callers asking at once. */
  loading: Promise<HeldCatalogue> | null;
  /** Per month, the last change of this pane queued (shard-writes.ts, `change`). */
  queues: Map<string, Promise<unknown>>;
  /**
   * This pane looked for the earlier versions' layout and found none: its next write of the
   * catalogue says so (`legacyMigrated`), at no cost of its own, and later readers stop looking.
   */
  noLegacy: boolean;
}

export const createShardState = (storage: StoragePort): ShardState => ({
  storage,
  catalogue: null,
  shards: new Map(),
  reading: new Map(),
  loading: null,
  queues: new Map(),
  noLegacy: false,
});

/** The shard moved on (frozen, or gone): look it up again in a fresh catalogue. */
export class Moved {}

export const isMissing = (error: unknown): boolean =>
  error instanceof SeptError && error.code === "not_found";

const unreadableCatalogue = (cause?: unknown) =>
  new SeptError("unknown", {
    message: `'${CATALOGUE_PATH}' is not a catalogue.`,
    params: { reason: "catalogue_unreadable" },
    ...(cause ? { cause } : {}),
  });

/** The catalogue cannot be read: rebuilt from the shard files (email-index-rebuild.ts). */
export const isUnreadableCatalogue = (error: unknown): boolean =>
  error instanceof SeptError && error.params?.reason === "catalogue_unreadable";

export const heldKey = (month: string, bits: string): string => `${month}~${bits}`;

export async function readCatalogue(
  state: ShardState,
  signal?: AbortSignal,
): Promise<HeldCatalogue> {
  let catalogue: HeldCatalogue;
  try {
    const { value, file } = await state.storage.readJson<unknown>(CATALOGUE_PATH, signal);
    catalogue = catalogueFrom(value, file.eTag);
  } catch (error) {
    if (!isMissing(error)) throw asCatalogueError(error);
    catalogue = { value: emptyCatalogue(), eTag: null };
  }
  return holdCatalogue(state, catalogue);
}

/** The catalogue in a file's JSON, or the error that makes it be rebuilt. */
export function catalogueFrom(value: unknown, eTag: string): HeldCatalogue {
  const parsed = parseCatalogue(value);
  if (!parsed) throw unreadableCatalogue();
  return { value: parsed, eTag };
}

/** Not JSON at all: as unreadable as JSON that is no catalogue (rebuilt from the shards). */
export const asCatalogueError = (error: unknown): unknown =>
  error instanceof SeptError && error.code === "unknown" && !isUnreadableCatalogue(error)
    ? unreadableCatalogue(error)
    : error;

/** Holds a catalogue just read; shards it no longer names are no longer this pane's to hold. */
export function holdCatalogue(state: ShardState, catalogue: HeldCatalogue): HeldCatalogue {
  state.catalogue = catalogue;
  for (const [key, held] of state.shards) {
    if (catalogue.value.months[held.month]?.shards[held.bits] !== held.suffix) {
      state.shards.delete(key);
    }
  }
  return catalogue;
}

/** The held catalogue, else read: callers asking at once (the save panel's look-ups) share one. */
export async function loadCatalogue(
  state: ShardState,
  signal?: AbortSignal,
): Promise<HeldCatalogue> {
  if (state.catalogue) return state.catalogue;
  state.loading ??= readCatalogue(state, signal).finally(() => {
    state.loading = null;
  });
  return state.loading;
}

/** Replaces the catalogue by `change(current)` under If-Match, re-reading after a lost race. */
export async function updateCatalogue(
  state: ShardState,
  change: (current: Catalogue) => Catalogue | null,
  signal?: AbortSignal,
): Promise<Catalogue> {
  for (let round = 1; ; round++) {
    const held = await loadCatalogue(state, signal);
    const changed = change(held.value);
    if (!changed) return held.value;
    const next =
      state.noLegacy && !changed.legacyMigrated
        ? { ...changed, legacyMigrated: new Date().toISOString() }
        : changed;
    try {
      const file = await state.storage.writeJson(CATALOGUE_PATH, next, {
        ...writeGuard(held.eTag),
        ...(signal ? { signal } : {}),
      });
      state.catalogue = { value: next, eTag: file.eTag };
      return next;
    } catch (error) {
      if (!lostRace(error, { removedCounts: true }) || round >= MAX_ROUNDS) throw error;
      state.catalogue = null;
      await delay(pauseMs(round), signal);
    }
  }
}

/**
 * Adds months to the catalogue, each with the leaves its first records need (files not yet
 * written: empty shards, created by the first write into each).
 */
export async function createMonths(
  state: ShardState,
  byMonth: Map<string, readonly StoredEmailRecord[]>,
  signal?: AbortSignal,
): Promise<void> {
  let added: string[] = [];
  const written = await updateCatalogue(
    state,
    (current) => {
      const months = { ...current.months };
      added = [];
      for (const [month, records] of byMonth) {
        if (months[month]) continue;
        const shards: Record<string, string> = {};
        for (const leaf of partition(month, "", records).keys()) shards[leaf] = newSuffix();
        months[month] = { oldestSavedAt: oldestOf(records, new Date().toISOString()), shards };
        added.push(month);
      }
      return added.length > 0 ? { ...current, months } : null;
    },
    signal,
  );
  // Files this pane has just named cannot exist yet: held as empty, no read needed (a writer
  // that creates one first makes this pane's create-only write fail, and it reads then).
  for (const month of added) {
    for (const [bits, suffix] of Object.entries(written.months[month]?.shards ?? {})) {
      const shard: ShardFile = { schema: 1, month, bits, records: [] };
      state.shards.set(heldKey(month, bits), { month, bits, suffix, eTag: null, shard });
    }
  }
}

/** Lowers a month's oldest savedAt before a record older than it lands (purge relies on it). */
export async function lowerOldest(
  state: ShardState,
  month: string,
  records: readonly StoredEmailRecord[],
  signal?: AbortSignal,
): Promise<void> {
  const known = state.catalogue?.value.months[month]?.oldestSavedAt;
  const oldest = oldestOf(records, known ?? "");
  if (known === undefined || oldest >= known) return;
  await updateCatalogue(
    state,
    (current) => {
      const entry = current.months[month];
      if (!entry || oldest >= entry.oldestSavedAt) return null;
      return {
        ...current,
        months: { ...current.months, [month]: { ...entry, oldestSavedAt: oldest } },
      };
    },
    signal,
  );
}
