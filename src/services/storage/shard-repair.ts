// Repair of the record shards after a crash or damage (the pane's reconcile and the tenant job):
// frozen shards are finished, a rebuild a crash cut short is resumed, and a file the catalogue
// does not name is either a generation still under way (finished) or a stale copy (deleted).
// The protocol itself is in shard-writes.ts; the design in docs/architecture.md.
import { SeptError } from "../../core/errors.js";
import { isRemovalLeftover, type StoragePort, type StoredFile } from "../../core/ports/storage.js";
import type { StoredEmailRecord } from "../../core/stored-email.js";
import { RECORDS_DIR } from "./layout.js";
import {
  parseShard,
  parseShardName,
  shardPath,
  type Catalogue,
  type ShardFile,
} from "./record-shards.js";
import type { ShardStore } from "./shard-store.js";

export interface RepairOptions {
  /** Only reads: the report says what a run would do. */
  dryRun?: boolean;
  /** Also reads every live shard (finds a frozen one still named): the tenant job. */
  deep?: boolean;
  /** Stray files modified after this ISO time may belong to a writer still at work: left. */
  olderThan?: string;
  signal?: AbortSignal;
}

/** What `repair` found and did (reconcile reports it). */
export interface ShardRepair {
  /** Frozen shards (a split or removal a crash interrupted) finished. */
  finished: number;
  /** Files of an interrupted catalogue rebuild, whose records were taken back in. */
  adopted: number;
  /**
   * Stale copies: files nobody names or hands over to, and files a guarded removal renamed but
   * could not delete, deleted without reading them back in.
   */
  removedStale: number;
  /** Whether anything was found that needed repair (a dry run repairs nothing). */
  needed: boolean;
}

export interface ShardRepairDeps {
  storage: StoragePort;
  store: ShardStore;
  /** Puts records back into the shards (idempotent by saved id). */
  importRecords(records: readonly StoredEmailRecord[], signal?: AbortSignal): Promise<void>;
  /** Clears the catalogue's `rebuilding` mark. */
  endRebuild(signal?: AbortSignal): Promise<unknown>;
}

type Name = { month: string; bits: string; suffix: string };

interface RepairState {
  catalogue: Catalogue;
  report: ShardRepair;
  /** Files not named but too recent to judge. */
  left: number;
}

const opt = (signal?: AbortSignal) => (signal ? { signal } : {});

const named = (catalogue: Catalogue, n: Name): boolean =>
  catalogue.months[n.month]?.shards[n.bits] === n.suffix;

/** A shard file as read; null when it is gone (or not a shard). */
async function readShardFile(
  storage: StoragePort,
  path: string,
  signal?: AbortSignal,
): Promise<ShardFile | null> {
  try {
    return parseShard((await storage.readJson<unknown>(path, signal)).value);
  } catch (error) {
    if (error instanceof SeptError && error.code === "not_found") return null;
    throw error;
  }
}

/**
 * The frozen shard the catalogue names that hands over to `stray` (its generation is under way,
 * or a crash cut it short); null when none does. Successors take fresh random suffixes, so a
 * shard not frozen towards `stray` now never will be: without one, `stray` is a stale copy.
 */
async function predecessorOf(
  deps: ShardRepairDeps,
  catalogue: Catalogue,
  stray: Name,
  signal?: AbortSignal,
): Promise<{ shard: ShardFile; suffix: string } | null> {
  for (const [bits, suffix] of Object.entries(catalogue.months[stray.month]?.shards ?? {})) {
    if (!stray.bits.startsWith(bits)) continue;
    const shard = await readShardFile(deps.storage, shardPath(stray.month, bits, suffix), signal);
    if (shard?.successor?.shards[stray.bits] === stray.suffix) return { shard, suffix };
  }
  return null;
}

/**
 * One file of `records/` the catalogue does not name (or, `deep`, every file). A frozen one is
 * finished. During a rebuild, any other is one of the files being rebuilt from: its records go
 * back in. Otherwise it is a successor whose generation is finished here, or a stale copy (a
 * slow finisher's late create) that may hold emails deleted since: deleted, never read back in.
 */
async function repairFile(
  deps: ShardRepairDeps,
  file: StoredFile,
  name: Name,
  state: RepairState,
  options: RepairOptions,
): Promise<void> {
  const { signal } = options;
  const { report } = state;
  const path = `${RECORDS_DIR}/${file.name}`;
  const rebuilding = state.catalogue.rebuilding !== undefined;
  const abandoned = options.olderThan === undefined || file.lastModified <= options.olderThan;
  if (!named(state.catalogue, name) && !abandoned) {
    // A writer may still be at work on it: left for a later run (which also ends a rebuild).
    state.left += 1;
    return;
  }
  const shard = await readShardFile(deps.storage, path, signal);
  if (!shard) return;
  if (rebuilding && !named(state.catalogue, name)) {
    report.needed = true;
    if (options.dryRun) return;
    await deps.importRecords(shard.records, signal);
    await deps.storage.remove(path, opt(signal));
    report.adopted += 1;
    return;
  }
  if (shard.successor) {
    report.needed = true;
    if (options.dryRun) return;
    await deps.store.finish(shard, name.suffix, signal);
    report.finished += 1;
    return;
  }
  if (named(state.catalogue, name)) return;
  const predecessor = await predecessorOf(deps, state.catalogue, name, signal);
  report.needed = true;
  if (options.dryRun) return;
  if (predecessor) {
    await deps.store.finish(predecessor.shard, predecessor.suffix, signal);
    report.finished += 1;
    return;
  }
  // No frozen shard hands over to it: unless a finisher named it just now, it is stale.
  state.catalogue = (await deps.store.readCatalogue(signal)).value;
  if (named(state.catalogue, name)) return;
  await deps.storage.remove(path, opt(signal));
  report.removedStale += 1;
}

/**
 * Looks at the files of `records/` the catalogue does not name (live shards are not read unless
 * `deep`: a frozen one still named is finished by the next read of its month, or by the tenant
 * job), then ends an interrupted rebuild.
 */
export async function repairShardFiles(
  deps: ShardRepairDeps,
  options: RepairOptions,
): Promise<ShardRepair> {
  const { signal } = options;
  const files = await deps.storage.list(RECORDS_DIR, signal);
  const state: RepairState = {
    catalogue: (await deps.store.readCatalogue(signal)).value,
    report: { finished: 0, adopted: 0, removedStale: 0, needed: false },
    left: 0,
  };
  const rebuilding = state.catalogue.rebuilding !== undefined;
  // Files a guarded removal took out of their path but could not delete: they hold removed
  // emails, and nobody writes to them any more (renamed under If-Match): deleted, never read.
  const leftovers = files.filter((f) => isRemovalLeftover(f.name));
  if (leftovers.length > 0) {
    state.report.needed = true;
    if (!options.dryRun) {
      const paths = leftovers.map((f) => `${RECORDS_DIR}/${f.name}`);
      const outcome = await deps.storage.removeMany(paths, opt(signal));
      if (outcome.failed[0]) throw outcome.failed[0].error;
      state.report.removedStale += leftovers.length;
    }
  }
  for (const file of files) {
    const name = parseShardName(file.name);
    if (!name || (named(state.catalogue, name) && !options.deep)) continue;
    await repairFile(deps, file, name, state, options);
  }
  if (rebuilding) {
    state.report.needed = true;
    if (!options.dryRun && state.left === 0) await deps.endRebuild(signal);
  }
  return state.report;
}
