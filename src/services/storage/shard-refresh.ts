// Fresh copies of a few shards, and of the catalogue, in one round of requests: the metadata of
// every file in JSON $batch (readJsonMany), then downloads of only the files whose eTag moved from
// this pane's copies. What a listing that must be current asks for (the Stored view: an email
// deleted in another window must not show): with nothing changed since this pane last read the
// files, the catalogue and a page of shards cost one request, not two per file.
import type { JsonRead } from "../../core/ports/storage.js";
import { CATALOGUE_PATH } from "./layout.js";
import { emptyCatalogue, shardPath } from "./record-shards.js";
import {
  asCatalogueError,
  catalogueFrom,
  heldKey,
  holdCatalogue,
  loadCatalogue,
  Moved,
  readCatalogue,
  type HeldShard,
  type ShardState,
} from "./shard-catalogue.js";
import { holdEmpty, holdRead } from "./shard-writes.js";

export interface ShardRef {
  month: string;
  bits: string;
}

export interface Refreshed {
  /** In the order asked; null for a shard the (fresh) catalogue no longer names as it did. */
  shards: Array<HeldShard | null>;
  /** The catalogue was read in this round and differs from the copy held before. */
  catalogueChanged: boolean;
}

/**
 * Current copies of `wanted` (shards of the held catalogue). With `catalogue`, the catalogue's
 * metadata goes in the same $batch; when it changed, a shard it no longer names is null and the
 * caller plans again from the new catalogue. Without a held catalogue, it is read first.
 */
export async function refreshShards(
  state: ShardState,
  wanted: readonly ShardRef[],
  options: { catalogue?: boolean; signal?: AbortSignal; downloadsAtOnce?: number } = {},
): Promise<Refreshed> {
  const { signal } = options;
  let withCatalogue = options.catalogue === true;
  let catalogueChanged = false;
  if (!state.catalogue) {
    await readCatalogue(state, signal);
    withCatalogue = false;
    catalogueChanged = true;
  }
  const before = state.catalogue!;
  const at = wanted.map((w) => ({ ...w, suffix: before.value.months[w.month]?.shards[w.bits] }));
  const paths = at.flatMap((a) =>
    a.suffix === undefined ? [] : [shardPath(a.month, a.bits, a.suffix)],
  );
  const held = new Map<string, string>();
  if (withCatalogue && before.eTag !== null) held.set(CATALOGUE_PATH, before.eTag);
  for (const a of at) {
    const copy = state.shards.get(heldKey(a.month, a.bits));
    if (a.suffix !== undefined && copy?.suffix === a.suffix && copy.eTag !== null) {
      held.set(shardPath(a.month, a.bits, a.suffix), copy.eTag);
    }
  }
  const asked = withCatalogue ? [CATALOGUE_PATH, ...paths] : paths;
  const read = await state.storage.readJsonMany<unknown>(asked, {
    held,
    ...(signal ? { signal } : {}),
    ...(options.downloadsAtOnce ? { downloadsAtOnce: options.downloadsAtOnce } : {}),
  });
  if (withCatalogue) catalogueChanged = takeCatalogue(state, read[0]);
  // A write of this pane that lost a race meanwhile dropped its copy: it is read again.
  const current = state.catalogue ?? (await loadCatalogue(state, signal));
  if (current !== before) catalogueChanged ||= current.eTag !== before.eTag;
  const byPath = new Map(asked.map((path, i) => [path, read[i]]));
  const shards = await Promise.all(
    at.map(async (a) => {
      const now = current.value.months[a.month]?.shards[a.bits];
      if (a.suffix === undefined || now !== a.suffix) return null;
      const path = shardPath(a.month, a.bits, a.suffix);
      const fresh = withCatalogue || catalogueChanged;
      return takeShard(state, { ...a, suffix: a.suffix }, byPath.get(path), fresh, signal);
    }),
  );
  return { shards, catalogueChanged };
}

/** Holds the catalogue as read in the round; answers whether it differs from the held copy. */
function takeCatalogue(state: ShardState, read: JsonRead<unknown> | undefined): boolean {
  if (read?.unchanged) return false;
  if (read === undefined) {
    const had = state.catalogue?.eTag ?? null;
    holdCatalogue(state, { value: emptyCatalogue(), eTag: null });
    return had !== null;
  }
  if (read.error) throw asCatalogueError(read.error);
  holdCatalogue(state, catalogueFrom(read.value, read.file.eTag));
  return true;
}

/** One shard as read in the round: held, read again, empty, or moved on (null). */
async function takeShard(
  state: ShardState,
  at: ShardRef & { suffix: string },
  read: JsonRead<unknown> | undefined,
  /** The held catalogue was read in this round (else: as of an earlier read). */
  catalogueFresh: boolean,
  signal?: AbortSignal,
): Promise<HeldShard | null> {
  if (read?.unchanged) return state.shards.get(heldKey(at.month, at.bits)) ?? null;
  if (read === undefined) {
    // Gone: replaced by a generation this pane has not seen, unless a fresh catalogue still
    // names it (then it is an empty shard nobody has written yet), as a single read decides.
    const names =
      catalogueFresh && state.catalogue
        ? state.catalogue.value
        : (await readCatalogue(state, signal)).value;
    return names.months[at.month]?.shards[at.bits] === at.suffix ? holdEmpty(state, at) : null;
  }
  if (read.error) throw read.error;
  try {
    return await holdRead(state, at, read.value, read.file.eTag, signal);
  } catch (error) {
    if (error instanceof Moved) return null;
    throw error;
  }
}
