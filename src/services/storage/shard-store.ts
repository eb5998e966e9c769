// The record shards' write protocol (see record-shards.ts for the files, docs/architecture.md for
// the design): every change is one guarded write, or a freeze-then-copy generation that a
// concurrent writer (or the next one, after a crash) finishes. Holds this pane's copies.
import { delay } from "../../core/delay.js";
import { SeptError } from "../../core/errors.js";
import type { StoragePort } from "../../core/ports/storage.js";
import type { StoredEmailRecord } from "../../core/stored-email.js";
import { CATALOGUE_PATH } from "./layout.js";
import { jitterMs, lostRace, writeGuard } from "./optimistic-write.js";
import {
  emptyCatalogue,
  leafFor,
  newSuffix,
  oldestOf,
  parseCatalogue,
  parseShard,
  partition,
  SHARD_CAP_BYTES,
  shardBytes,
  shardPath,
  successorRecords,
  withSuccessor,
  type Catalogue,
  type ShardFile,
} from "./record-shards.js";

/** Rounds of read-change-write before a change gives up to writers that keep winning. */
const MAX_ROUNDS = 12;
const pauseMs = jitterMs(40);

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

/** What a change does to one shard's records, computed from them as read. */
export type ShardChange = (
  records: readonly StoredEmailRecord[],
  /** The shard's hash-bit prefix: the saved ids it holds are those whose bits start with it. */
  bits: string,
) => StoredEmailRecord[] | null;

export interface ChangeOutcome {
  /** The records the shard held when the change ran, and what the change made of them. */
  before: readonly StoredEmailRecord[];
  after: StoredEmailRecord[] | null;
  /** The shard's prefix when the change ran (its records may have moved on to successors). */
  bits: string;
}

/** A successor file a pane created (create-only) while finishing a generation. */
export interface Created {
  month: string;
  bits: string;
  suffix: string;
}

/** Generations frozen by several changes, finished together by `finishAll`. */
export interface Deferred {
  frozen: Array<{ shard: ShardFile; suffix: string; created: Created[] }>;
}

/** The shard moved on (frozen, or gone): look it up again in a fresh catalogue. */
class Moved {}

const isMissing = (error: unknown): boolean =>
  error instanceof SeptError && error.code === "not_found";

const unreadableCatalogue = (cause?: unknown) =>
  new SeptError("unknown", {
    message: `'${CATALOGUE_PATH}' is not a catalogue.`,
    params: { reason: "catalogue_unreadable" },
    ...(cause ? { cause } : {}),
  });

/** The catalogue cannot be read: rebuilt from the shard files (email-index.ts, repair). */
export const isUnreadableCatalogue = (error: unknown): boolean =>
  error instanceof SeptError && error.params?.reason === "catalogue_unreadable";

export const heldKey = (month: string, bits: string): string => `${month}~${bits}`;

export function createShardStore(storage: StoragePort) {
  let catalogue: HeldCatalogue | null = null;
  const shards = new Map<string, HeldShard>();
  /** Shard reads under way, shared by callers asking at once. */
  const reading = new Map<string, { suffix: string; read: Promise<HeldShard> }>();

  const readCatalogue = async (signal?: AbortSignal): Promise<HeldCatalogue> => {
    try {
      const { value, file } = await storage.readJson<unknown>(CATALOGUE_PATH, signal);
      const parsed = parseCatalogue(value);
      if (!parsed) throw unreadableCatalogue();
      catalogue = { value: parsed, eTag: file.eTag };
    } catch (error) {
      // Not JSON at all: as unreadable as JSON that is no catalogue (rebuilt from the shards).
      if (error instanceof SeptError && error.code === "unknown") throw unreadableCatalogue(error);
      if (!isMissing(error)) throw error;
      catalogue = { value: emptyCatalogue(), eTag: null };
    }
    // Shards the catalogue no longer names are no longer this pane's to hold.
    for (const [key, held] of shards) {
      if (catalogue.value.months[held.month]?.shards[held.bits] !== held.suffix) shards.delete(key);
    }
    return catalogue;
  };

  // Callers asking at once (the save panel's two look-ups) share one read.
  let loading: Promise<HeldCatalogue> | null = null;
  const loadCatalogue = async (signal?: AbortSignal): Promise<HeldCatalogue> => {
    if (catalogue) return catalogue;
    loading ??= readCatalogue(signal).finally(() => {
      loading = null;
    });
    return loading;
  };

  /** Replaces the catalogue by `change(current)` under If-Match, re-reading after a lost race. */
  const updateCatalogue = async (
    change: (current: Catalogue) => Catalogue | null,
    signal?: AbortSignal,
  ): Promise<Catalogue> => {
    for (let round = 1; ; round++) {
      const held = await loadCatalogue(signal);
      const next = change(held.value);
      if (!next) return held.value;
      try {
        const file = await storage.writeJson(CATALOGUE_PATH, next, {
          ...writeGuard(held.eTag),
          ...(signal ? { signal } : {}),
        });
        catalogue = { value: next, eTag: file.eTag };
        return next;
      } catch (error) {
        if (!lostRace(error, { removedCounts: true }) || round >= MAX_ROUNDS) throw error;
        catalogue = null;
        await delay(pauseMs(round), signal);
      }
    }
  };

  /**
   * Writes a frozen shard's successors (create-only: one written already is never overwritten).
   * Resolves to those this call created (the others existed).
   */
  const writeSuccessors = async (frozen: ShardFile, signal?: AbortSignal): Promise<Created[]> => {
    const created: Created[] = [];
    await Promise.all(
      Object.entries(frozen.successor?.shards ?? {}).map(async ([bits, suffix]) => {
        const records = successorRecords(frozen, bits);
        if (records.length === 0) return;
        const body: ShardFile = { schema: 1, month: frozen.month, bits, records };
        try {
          await storage.writeJson(shardPath(frozen.month, bits, suffix), body, {
            conflict: "fail",
            ...(signal ? { signal } : {}),
          });
          created.push({ month: frozen.month, bits, suffix });
        } catch (error) {
          if (!(error instanceof SeptError && error.code === "conflict")) throw error;
        }
      }),
    );
    return created;
  };

  /**
   * Finishes frozen shards: writes their successors, points the catalogue at them (one update for
   * all), and deletes the frozen files for good with their versions (one $batch per 20).
   * Idempotent: any writer that meets a frozen shard, or reconcile, runs it.
   *
   * A successor this pane created that the catalogue does not name afterwards is a stale copy:
   * another writer finished the generation first, and a later change replaced that successor and
   * deleted it before this pane's create-only write landed (a slow request). It may hold emails
   * deleted since, so it goes too (with the frozen files); the catalogue never names it again,
   * as only a frozen shard it names hands over to a successor.
   */
  const finishAll = async (
    frozen: ReadonlyArray<{ shard: ShardFile; suffix: string; created?: readonly Created[] }>,
    signal?: AbortSignal,
  ): Promise<void> => {
    if (frozen.length === 0) return;
    const names = (c: Catalogue, f: { shard: ShardFile }) =>
      c.months[f.shard.month]?.shards[f.shard.bits];
    // Always a fresh copy: a held one may still name a frozen shard that another writer has
    // finished since, and writing its successors again would bring back what it removed.
    const held = await readCatalogue(signal);
    const live = frozen.filter((f) => names(held.value, f) === f.suffix);
    const created = frozen.flatMap((f) => f.created ?? []);
    for (const made of await Promise.all(live.map((f) => writeSuccessors(f.shard, signal)))) {
      created.push(...made);
    }
    let final = held.value;
    if (live.length > 0) {
      final = await updateCatalogue((current) => {
        let next: Catalogue | null = null;
        for (const f of live) next = withSuccessor(next ?? current, f.shard, f.suffix) ?? next;
        return next;
      }, signal);
    }
    for (const f of frozen) shards.delete(heldKey(f.shard.month, f.shard.bits));
    const stale = created.filter((c) => final.months[c.month]?.shards[c.bits] !== c.suffix);
    const paths = [
      ...frozen.map((f) => shardPath(f.shard.month, f.shard.bits, f.suffix)),
      ...stale.map((c) => shardPath(c.month, c.bits, c.suffix)),
    ];
    const outcome = await storage.removeMany(paths, { ...(signal ? { signal } : {}) });
    const failed = outcome.failed[0];
    if (failed) throw failed.error;
  };

  const finish = (frozen: ShardFile, suffix: string, signal?: AbortSignal): Promise<void> =>
    finishAll([{ shard: frozen, suffix }], signal);

  /** A live shard as read now; a frozen or vanished one is finished or re-looked-up (Moved). */
  const readShard = async (
    month: string,
    bits: string,
    suffix: string,
    signal?: AbortSignal,
  ): Promise<HeldShard> => {
    const path = shardPath(month, bits, suffix);
    let held: HeldShard;
    try {
      const { value, file } = await storage.readJson<unknown>(path, signal);
      const shard = parseShard(value);
      if (!shard) throw new SeptError("unknown", { message: `'${path}' is not a record shard.` });
      if (shard.successor) {
        await finish(shard, suffix, signal);
        throw new Moved();
      }
      held = { month, bits, suffix, eTag: file.eTag, shard };
    } catch (error) {
      if (!isMissing(error)) throw error;
      // Gone: replaced by a generation this pane has not seen, unless the catalogue still names
      // it (then it is an empty shard nobody has written yet).
      const fresh = await readCatalogue(signal);
      if (fresh.value.months[month]?.shards[bits] !== suffix) throw new Moved();
      held = { month, bits, suffix, eTag: null, shard: { schema: 1, month, bits, records: [] } };
    }
    shards.set(heldKey(month, bits), held);
    return held;
  };

  /** The shard `month`/`bits` of the held catalogue: this pane's copy, else read. */
  const shard = async (
    month: string,
    bits: string,
    options: { fresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<HeldShard> => {
    const suffix = (await loadCatalogue(options.signal)).value.months[month]?.shards[bits];
    if (suffix === undefined) throw new Moved();
    const key = heldKey(month, bits);
    const held = shards.get(key);
    if (held && held.suffix === suffix && !options.fresh) return held;
    const inFlight = reading.get(key);
    if (inFlight && inFlight.suffix === suffix) return inFlight.read;
    const read = readShard(month, bits, suffix, options.signal).finally(() => {
      if (reading.get(key)?.read === read) reading.delete(key);
    });
    reading.set(key, { suffix, read });
    return read;
  };

  /**
   * Writes `records` as the new content of `held`: in place under If-Match when nothing is
   * dropped and it fits; else a generation (freeze, successors, catalogue, delete for good), so
   * that no version of a file that stays keeps a dropped email, and no shard outgrows the cap.
   */
  const write = async (
    held: HeldShard,
    records: StoredEmailRecord[],
    signal?: AbortSignal,
    deferred?: Deferred,
  ): Promise<void> => {
    const { month, bits, suffix } = held;
    const kept = new Set(records.map((r) => r.savedId));
    const drops = held.shard.records.some((r) => !kept.has(r.savedId));
    const next: ShardFile = { schema: 1, month, bits, records };
    const path = shardPath(month, bits, suffix);
    const guard = { ...writeGuard(held.eTag), ...(signal ? { signal } : {}) };
    if (!drops && (records.length <= 1 || shardBytes(next) <= SHARD_CAP_BYTES)) {
      const file = await storage.writeJson(path, next, guard);
      shards.set(heldKey(month, bits), { ...held, eTag: file.eTag, shard: next });
      return;
    }
    if (held.eTag === null && records.length === 0) return;
    const leaves = partition(month, bits, records);
    const successorShards: Record<string, string> = {};
    const emptied = bits === "" && records.length === 0;
    if (!emptied) for (const leaf of leaves.keys()) successorShards[leaf] = newSuffix();
    const frozen: ShardFile = {
      ...next,
      successor: { reason: drops ? "removal" : "split", shards: successorShards },
    };
    // The freeze: of this and a concurrent guarded write, exactly one lands.
    await storage.writeJson(path, frozen, guard);
    shards.delete(heldKey(month, bits));
    if (deferred) {
      // The caller finishes them all together (one catalogue update, batched deletes).
      const created = await writeSuccessors(frozen, signal);
      deferred.frozen.push({ shard: frozen, suffix, created });
      return;
    }
    await finish(frozen, suffix, signal);
  };

  /**
   * Runs `change` on the shard of `month` that holds `savedId` (created with the month when
   * absent) and writes the result, re-reading and redoing it whenever another writer got there
   * first. Resolves to the records the shard held when `change` ran, and what it made of them.
   */
  const changeNow = async (
    month: string,
    savedId: string,
    apply: ShardChange,
    signal?: AbortSignal,
    deferred?: Deferred,
  ): Promise<ChangeOutcome> => {
    for (let round = 1; ; round++) {
      try {
        const { value } = await loadCatalogue(signal);
        const bits = leafFor(value, month, savedId);
        if (bits === null) {
          const after = apply([], "");
          if (!after) return { before: [], after, bits: "" };
          await createMonths(new Map([[month, after]]), signal);
          continue;
        }
        const held = await shard(month, bits, { ...(signal ? { signal } : {}) });
        const before = held.shard.records;
        const after = apply(before, bits);
        if (!after) return { before, after, bits };
        await lowerOldest(month, after, signal);
        await write(held, after, signal, deferred);
        return { before, after, bits };
      } catch (error) {
        if (error instanceof Moved) {
          catalogue = null;
        } else if (lostRace(error, { removedCounts: true }) && round < MAX_ROUNDS) {
          // Another writer's version: read the catalogue and the shard again.
          catalogue = null;
          shards.clear();
        } else {
          throw error;
        }
        if (round >= MAX_ROUNDS) {
          throw new SeptError("conflict", { message: "The record shard kept changing." });
        }
        await delay(pauseMs(round), signal);
      }
    }
  };

  /**
   * This pane's changes to one month run one after another: saves in flight together (a bulk
   * save, four at a time) would otherwise race each other's If-Match and redo their writes, when
   * the next can simply start from the copy the last one wrote. Other panes still race, as above.
   */
  const queues = new Map<string, Promise<unknown>>();
  const change = (
    month: string,
    savedId: string,
    apply: ShardChange,
    signal?: AbortSignal,
    deferred?: Deferred,
  ): Promise<ChangeOutcome> => {
    const previous = queues.get(month) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => changeNow(month, savedId, apply, signal, deferred));
    queues.set(month, run);
    void run.then(
      () => queues.get(month) === run && queues.delete(month),
      () => queues.get(month) === run && queues.delete(month),
    );
    return run;
  };

  /**
   * Adds months to the catalogue, each with the leaves its first records need (files not yet
   * written: empty shards, created by the first write into each).
   */
  const createMonths = async (
    byMonth: Map<string, readonly StoredEmailRecord[]>,
    signal?: AbortSignal,
  ): Promise<void> => {
    let added: string[] = [];
    const written = await updateCatalogue((current) => {
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
    }, signal);
    // Files this pane has just named cannot exist yet: held as empty, no read needed (a writer
    // that creates one first makes this pane's create-only write fail, and it reads then).
    for (const month of added) {
      for (const [bits, suffix] of Object.entries(written.months[month]?.shards ?? {})) {
        const shard: ShardFile = { schema: 1, month, bits, records: [] };
        shards.set(heldKey(month, bits), { month, bits, suffix, eTag: null, shard });
      }
    }
  };

  /** Lowers a month's oldest savedAt before a record older than it lands (purge relies on it). */
  const lowerOldest = async (
    month: string,
    records: readonly StoredEmailRecord[],
    signal?: AbortSignal,
  ): Promise<void> => {
    const known = catalogue?.value.months[month]?.oldestSavedAt;
    const oldest = oldestOf(records, known ?? "");
    if (known === undefined || oldest >= known) return;
    await updateCatalogue((current) => {
      const entry = current.months[month];
      if (!entry || oldest >= entry.oldestSavedAt) return null;
      return {
        ...current,
        months: { ...current.months, [month]: { ...entry, oldestSavedAt: oldest } },
      };
    }, signal);
  };

  return {
    loadCatalogue,
    readCatalogue,
    updateCatalogue,
    heldCatalogue: (): HeldCatalogue | null => catalogue,
    heldShards: (): HeldShard[] => [...shards.values()],
    shard,
    change,
    createMonths,
    finish,
    finishAll,
    /** Holds a shard this pane has just written whole (an import). */
    hold(held: HeldShard): void {
      shards.set(heldKey(held.month, held.bits), held);
    },
    /** Forgets a shard this pane held (its file changed under it, e.g. seen in a listing). */
    forget(month: string, bits: string): void {
      shards.delete(heldKey(month, bits));
    },
    /** Forgets everything held (after "delete all"). */
    forgetAll(): void {
      catalogue = null;
      shards.clear();
    },
    isMoved: (error: unknown): boolean => error instanceof Moved,
  };
}

export type ShardStore = ReturnType<typeof createShardStore>;
