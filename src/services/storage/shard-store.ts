// The record shards' store (see record-shards.ts for the files, docs/architecture.md for the
// design): one per storage, holding this pane's copies of the catalogue and the shards. The state
// and the catalogue's reads and writes are in shard-catalogue.ts, the write protocol (guarded
// writes, freeze-then-copy generations, the per-month queue) in shard-writes.ts; this file wires
// their functions to one state.
import type { StoragePort } from "../../core/ports/storage.js";
import type { StoredEmailRecord } from "../../core/stored-email.js";
import type { Catalogue, ShardFile } from "./record-shards.js";
import { refreshShards, type Refreshed, type ShardRef } from "./shard-refresh.js";
import {
  createMonths,
  createShardState,
  heldKey,
  loadCatalogue,
  Moved,
  readCatalogue,
  updateCatalogue,
  type HeldCatalogue,
  type HeldShard,
} from "./shard-catalogue.js";
import {
  change,
  finish,
  finishAll,
  retireAll,
  shard,
  type ChangeOutcome,
  type Created,
  type Deferred,
  type Emptied,
  type ShardChange,
} from "./shard-writes.js";

export {
  heldKey,
  isUnreadableCatalogue,
  type HeldCatalogue,
  type HeldShard,
} from "./shard-catalogue.js";
export type { ChangeOutcome, Created, Deferred, Emptied, ShardChange } from "./shard-writes.js";

export function createShardStore(storage: StoragePort) {
  const state = createShardState(storage);
  return {
    loadCatalogue: (signal?: AbortSignal): Promise<HeldCatalogue> => loadCatalogue(state, signal),
    readCatalogue: (signal?: AbortSignal): Promise<HeldCatalogue> => readCatalogue(state, signal),
    updateCatalogue: (
      apply: (current: Catalogue) => Catalogue | null,
      signal?: AbortSignal,
    ): Promise<Catalogue> => updateCatalogue(state, apply, signal),
    heldCatalogue: (): HeldCatalogue | null => state.catalogue,
    /** No file of the earlier layout is there: the next catalogue write says so. */
    noteNoLegacy: (): void => {
      state.noLegacy = true;
    },
    heldShards: (): HeldShard[] => [...state.shards.values()],
    shard: (
      month: string,
      bits: string,
      options: { fresh?: boolean; signal?: AbortSignal } = {},
    ): Promise<HeldShard> => shard(state, month, bits, options),
    /** Current copies of a few shards (and of the catalogue) in one round: shard-refresh.ts. */
    refresh: (
      wanted: readonly ShardRef[],
      options: { catalogue?: boolean; signal?: AbortSignal; downloadsAtOnce?: number } = {},
    ): Promise<Refreshed> => refreshShards(state, wanted, options),
    change: (
      month: string,
      savedId: string,
      apply: ShardChange,
      signal?: AbortSignal,
      deferred?: Deferred,
    ): Promise<ChangeOutcome> => change(state, month, savedId, apply, signal, deferred),
    createMonths: (
      byMonth: Map<string, readonly StoredEmailRecord[]>,
      signal?: AbortSignal,
    ): Promise<void> => createMonths(state, byMonth, signal),
    finish: (frozen: ShardFile, suffix: string, signal?: AbortSignal): Promise<void> =>
      finish(state, frozen, suffix, signal),
    finishAll: (
      frozen: ReadonlyArray<{ shard: ShardFile; suffix: string; created?: readonly Created[] }>,
      signal?: AbortSignal,
    ): Promise<void> => finishAll(state, frozen, signal),
    retireAll: (emptied: readonly Emptied[], signal?: AbortSignal): Promise<Emptied[]> =>
      retireAll(state, emptied, signal),
    /** Holds a shard this pane has just written whole (an import). */
    hold(held: HeldShard): void {
      state.shards.set(heldKey(held.month, held.bits), held);
    },
    /** Forgets a shard this pane held (its file changed under it, e.g. seen in a listing). */
    forget(month: string, bits: string): void {
      state.shards.delete(heldKey(month, bits));
    },
    /** Forgets everything held (after "delete all"). */
    forgetAll(): void {
      state.catalogue = null;
      state.shards.clear();
    },
    isMoved: (error: unknown): boolean => error instanceof Moved,
  };
}

export type ShardStore = ReturnType<typeof createShardStore>;
