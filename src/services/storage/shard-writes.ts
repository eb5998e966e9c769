// The record shards' write protocol (see record-shards.ts for the files, docs/architecture.md for
// the design): every change is one guarded write, or a freeze-then-copy generation that a
// concurrent writer (or the next one, after a crash) finishes. Functions over the store's state
// (shard-catalogue.ts), wired by createShardStore (shard-store.ts). Over 300 lines on purpose:
// finishing, reading, writing and changing a shard call one another, and the protocol reads as one.
import { delay } from "../../core/delay.js";
import { SeptError } from "../../core/errors.js";
import type { StoredEmailRecord } from "../../core/stored-email.js";
import { lostRace, writeGuard } from "./optimistic-write.js";
import {
  leafFor,
  newSuffix,
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
import {
  createMonths,
  heldKey,
  isMissing,
  loadCatalogue,
  lowerOldest,
  MAX_ROUNDS,
  Moved,
  pauseMs,
  readCatalogue,
  updateCatalogue,
  type HeldShard,
  type ShardState,
} from "./shard-catalogue.js";

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

/**
 * Writes a frozen shard's successors (create-only: one written already is never overwritten).
 * Resolves to those this call created (the others existed).
 */
async function writeSuccessors(
  state: ShardState,
  frozen: ShardFile,
  signal?: AbortSignal,
): Promise<Created[]> {
  const created: Created[] = [];
  await Promise.all(
    Object.entries(frozen.successor?.shards ?? {}).map(async ([bits, suffix]) => {
      const records = successorRecords(frozen, bits);
      if (records.length === 0) return;
      const body: ShardFile = { schema: 1, month: frozen.month, bits, records };
      try {
        await state.storage.writeJson(shardPath(frozen.month, bits, suffix), body, {
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
}

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
export async function finishAll(
  state: ShardState,
  frozen: ReadonlyArray<{ shard: ShardFile; suffix: string; created?: readonly Created[] }>,
  signal?: AbortSignal,
): Promise<void> {
  if (frozen.length === 0) return;
  const names = (c: Catalogue, f: { shard: ShardFile }) =>
    c.months[f.shard.month]?.shards[f.shard.bits];
  // Always a fresh copy: a held one may still name a frozen shard that another writer has
  // finished since, and writing its successors again would bring back what it removed.
  const held = await readCatalogue(state, signal);
  const live = frozen.filter((f) => names(held.value, f) === f.suffix);
  const created = frozen.flatMap((f) => f.created ?? []);
  for (const made of await Promise.all(live.map((f) => writeSuccessors(state, f.shard, signal)))) {
    created.push(...made);
  }
  let final = held.value;
  if (live.length > 0) {
    final = await updateCatalogue(
      state,
      (current) => {
        let next: Catalogue | null = null;
        for (const f of live) next = withSuccessor(next ?? current, f.shard, f.suffix) ?? next;
        return next;
      },
      signal,
    );
  }
  for (const f of frozen) state.shards.delete(heldKey(f.shard.month, f.shard.bits));
  const stale = created.filter((c) => final.months[c.month]?.shards[c.bits] !== c.suffix);
  const paths = [
    ...frozen.map((f) => shardPath(f.shard.month, f.shard.bits, f.suffix)),
    ...stale.map((c) => shardPath(c.month, c.bits, c.suffix)),
  ];
  const outcome = await state.storage.removeMany(paths, { ...(signal ? { signal } : {}) });
  const failed = outcome.failed[0];
  if (failed) throw failed.error;
}

export const finish = (
  state: ShardState,
  frozen: ShardFile,
  suffix: string,
  signal?: AbortSignal,
): Promise<void> => finishAll(state, [{ shard: frozen, suffix }], signal);

/** A live shard as read now; a frozen or vanished one is finished or re-looked-up (Moved). */
async function readShard(
  state: ShardState,
  month: string,
  bits: string,
  suffix: string,
  signal?: AbortSignal,
): Promise<HeldShard> {
  const path = shardPath(month, bits, suffix);
  try {
    const { value, file } = await state.storage.readJson<unknown>(path, signal);
    return await holdRead(state, { month, bits, suffix }, value, file.eTag, signal);
  } catch (error) {
    if (!isMissing(error)) throw error;
    // Gone: replaced by a generation this pane has not seen, unless the catalogue still names
    // it (then it is an empty shard nobody has written yet).
    const fresh = await readCatalogue(state, signal);
    if (fresh.value.months[month]?.shards[bits] !== suffix) throw new Moved();
    return holdEmpty(state, { month, bits, suffix });
  }
}

type ShardAt = Pick<HeldShard, "month" | "bits" | "suffix">;

/**
 * Holds a shard file's content just read (its eTag `eTag`); a frozen one is finished first and
 * answers Moved (its records are in its successors).
 */
export async function holdRead(
  state: ShardState,
  at: ShardAt,
  value: unknown,
  eTag: string,
  signal?: AbortSignal,
): Promise<HeldShard> {
  const shard = parseShard(value);
  const path = shardPath(at.month, at.bits, at.suffix);
  if (!shard) throw new SeptError("unknown", { message: `'${path}' is not a record shard.` });
  if (shard.successor) {
    await finish(state, shard, at.suffix, signal);
    throw new Moved();
  }
  const held: HeldShard = { ...at, eTag, shard };
  state.shards.set(heldKey(at.month, at.bits), held);
  return held;
}

/** Holds a shard the catalogue names but no file holds yet: empty. */
export function holdEmpty(state: ShardState, at: ShardAt): HeldShard {
  const held: HeldShard = {
    ...at,
    eTag: null,
    shard: { schema: 1, month: at.month, bits: at.bits, records: [] },
  };
  state.shards.set(heldKey(at.month, at.bits), held);
  return held;
}

/** The shard `month`/`bits` of the held catalogue: this pane's copy, else read. */
export async function shard(
  state: ShardState,
  month: string,
  bits: string,
  options: { fresh?: boolean; signal?: AbortSignal } = {},
): Promise<HeldShard> {
  const suffix = (await loadCatalogue(state, options.signal)).value.months[month]?.shards[bits];
  if (suffix === undefined) throw new Moved();
  const key = heldKey(month, bits);
  const held = state.shards.get(key);
  if (held && held.suffix === suffix && !options.fresh) return held;
  const inFlight = state.reading.get(key);
  if (inFlight && inFlight.suffix === suffix) return inFlight.read;
  const read = readShard(state, month, bits, suffix, options.signal).finally(() => {
    if (state.reading.get(key)?.read === read) state.reading.delete(key);
  });
  state.reading.set(key, { suffix, read });
  return read;
}

/**
 * Writes `records` as the new content of `held`: in place under If-Match when nothing is
 * dropped and it fits; else a generation (freeze, successors, catalogue, delete for good), so
 * that no version of a file that stays keeps a dropped email, and no shard outgrows the cap.
 */
async function write(
  state: ShardState,
  held: HeldShard,
  records: StoredEmailRecord[],
  signal?: AbortSignal,
  deferred?: Deferred,
): Promise<void> {
  const { month, bits, suffix } = held;
  const kept = new Set(records.map((r) => r.savedId));
  const drops = held.shard.records.some((r) => !kept.has(r.savedId));
  const next: ShardFile = { schema: 1, month, bits, records };
  const path = shardPath(month, bits, suffix);
  const guard = { ...writeGuard(held.eTag), ...(signal ? { signal } : {}) };
  if (!drops && (records.length <= 1 || shardBytes(next) <= SHARD_CAP_BYTES)) {
    const file = await state.storage.writeJson(path, next, guard);
    state.shards.set(heldKey(month, bits), { ...held, eTag: file.eTag, shard: next });
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
  await state.storage.writeJson(path, frozen, guard);
  state.shards.delete(heldKey(month, bits));
  if (deferred) {
    // The caller finishes them all together (one catalogue update, batched deletes).
    const created = await writeSuccessors(state, frozen, signal);
    deferred.frozen.push({ shard: frozen, suffix, created });
    return;
  }
  await finish(state, frozen, suffix, signal);
}

/**
 * Runs `change` on the shard of `month` that holds `savedId` (created with the month when
 * absent) and writes the result, re-reading and redoing it whenever another writer got there
 * first. Resolves to the records the shard held when `change` ran, and what it made of them.
 */
/** What a change is asked: the month and saved id naming its shard, what to do, how to end. */
type ChangeArgs = [
  month: string,
  savedId: string,
  apply: ShardChange,
  signal?: AbortSignal,
  deferred?: Deferred,
];

async function changeNow(
  state: ShardState,
  ...[month, savedId, apply, signal, deferred]: ChangeArgs
): Promise<ChangeOutcome> {
  for (let round = 1; ; round++) {
    try {
      const { value } = await loadCatalogue(state, signal);
      const bits = leafFor(value, month, savedId);
      if (bits === null) {
        const after = apply([], "");
        if (!after) return { before: [], after, bits: "" };
        await createMonths(state, new Map([[month, after]]), signal);
        continue;
      }
      const held = await shard(state, month, bits, { ...(signal ? { signal } : {}) });
      const before = held.shard.records;
      const after = apply(before, bits);
      if (!after) return { before, after, bits };
      await lowerOldest(state, month, after, signal);
      await write(state, held, after, signal, deferred);
      return { before, after, bits };
    } catch (error) {
      if (error instanceof Moved) {
        state.catalogue = null;
      } else if (lostRace(error, { removedCounts: true }) && round < MAX_ROUNDS) {
        // Another writer's version: read the catalogue and the shard again.
        state.catalogue = null;
        state.shards.clear();
      } else {
        throw error;
      }
      if (round >= MAX_ROUNDS) {
        throw new SeptError("conflict", { message: "The record shard kept changing." });
      }
      await delay(pauseMs(round), signal);
    }
  }
}

/**
 * This pane's changes to one month run one after another: saves in flight together (a bulk
 * save, four at a time) would otherwise race each other's If-Match and redo their writes, when
 * the next can simply start from the copy the last one wrote. Other panes still race, as above.
 */
export function change(state: ShardState, ...args: ChangeArgs): Promise<ChangeOutcome> {
  const { queues } = state;
  const [month] = args;
  const previous = queues.get(month) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => changeNow(state, ...args));
  queues.set(month, run);
  const done = () => {
    if (queues.get(month) === run) queues.delete(month);
  };
  void run.then(done, done);
  return run;
}
