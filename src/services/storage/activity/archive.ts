// What one log instance knows of the stored log (the head as last read, the shards and earlier
// versions' files it has read, the ids known to be logged), and the reads and writes of archive
// shards and per-event files that keep it current.
import type { StoragePort, StoredFile } from "../../../core/ports/storage.js";
import { ACTIVITY_DIR, ACTIVITY_SHARDS_DIR } from "../layout.js";
import { hasCode, parseJsonBytes } from "./event.js";
import {
  HEAD_FILE,
  parseShard,
  readStoredHead,
  shardPath,
  type KnownHead,
  type ShardLink,
  type StoredShard,
} from "./head.js";

/** Downloads in flight per refresh: storage limits concurrency itself, this only bounds memory. */
export const READ_BATCH = 8;

/** One stored file as last read: verification hashes `raw` (exactly what is stored). */
export interface StoredFileRead {
  name: string;
  eTag: string;
  raw: unknown;
}

/** One log instance's knowledge of the stored log, shared by its look-ups, appends and reads. */
export interface LogState {
  readonly storage: StoragePort;
  /** Per-event files of earlier versions, as last read. */
  readonly legacyCache: Map<string, StoredFileRead>;
  /** Archive shards as last read or written (they never change; verify re-reads a changed eTag). */
  readonly shardCache: Map<string, StoredFileRead>;
  /** Names of per-event files of earlier versions, once listed (no current version adds any). */
  legacyNames: Set<string> | null;
  /** Lower-cased ids known to be logged. */
  readonly logged: Set<string>;
  /** The head as last read or written; null: read it before the next move. */
  head: KnownHead | null;
}

export function createLogState(storage: StoragePort): LogState {
  return {
    storage,
    legacyCache: new Map(),
    shardCache: new Map(),
    legacyNames: null,
    logged: new Set(),
    head: null,
  };
}

/** A shard by name, from the cache or one read; null when it is gone or not a shard. */
export async function shardEvents(
  state: LogState,
  name: string,
  signal?: AbortSignal,
): Promise<StoredShard | null> {
  let known = state.shardCache.get(name);
  if (!known) {
    try {
      const { value, file } = await state.storage.readJson<unknown>(shardPath(name), signal);
      known = { name, eTag: file.eTag, raw: value };
    } catch (error) {
      if (!hasCode(error, "not_found", "unknown")) throw error;
      return null;
    }
    state.shardCache.set(name, known);
  }
  return parseShard(known.raw);
}

/**
 * Writes an archive shard once: "create, fail if it exists". A conflict is another writer that
 * archived the same head first: the name holds the first place and the last hash, so the file
 * there holds these events.
 */
export async function writeShard(
  state: LogState,
  archive: { link: ShardLink; shard: StoredShard },
  signal?: AbortSignal,
): Promise<void> {
  if (state.shardCache.has(archive.link.name)) return;
  try {
    const file = await state.storage.writeJson(shardPath(archive.link.name), archive.shard, {
      conflict: "fail",
      signal,
    });
    state.shardCache.set(archive.link.name, {
      name: archive.link.name,
      eTag: file.eTag,
      raw: structuredClone(archive.shard),
    });
  } catch (error) {
    if (!hasCode(error, "conflict")) throw error;
  }
}

/** Reads into `cache` the files of a listing it does not hold at that eTag; drops the gone. */
async function readListed(
  storage: StoragePort,
  folder: string,
  files: StoredFile[],
  cache: Map<string, StoredFileRead>,
  signal?: AbortSignal,
): Promise<StoredFileRead[]> {
  const stale = files.filter((f) => cache.get(f.name)?.eTag !== f.eTag);
  for (let i = 0; i < stale.length; i += READ_BATCH) {
    await Promise.all(
      stale.slice(i, i + READ_BATCH).map(async (f) => {
        try {
          // The listing's eTag: if the file changes before the download, the next listing
          // differs from it and the file is read again, so a change is never cached away.
          const raw = parseJsonBytes(await storage.read(`${folder}/${f.name}`, signal));
          cache.set(f.name, { name: f.name, eTag: f.eTag, raw });
        } catch (error) {
          // Removed between the listing and the read: it is simply no longer in the log.
          if (hasCode(error, "not_found")) return;
          throw error;
        }
      }),
    );
  }
  const present = new Set(files.map((f) => f.name));
  for (const name of cache.keys()) if (!present.has(name)) cache.delete(name);
  return [...cache.values()].filter((s) => present.has(s.name));
}

/** The whole log as stored now. */
export interface StoredLog {
  /** Per-event files of earlier versions. */
  legacy: StoredFileRead[];
  shards: StoredFileRead[];
  known: KnownHead;
}

/** Reads the whole log as stored now: head, archive shards, per-event files of earlier versions. */
export async function refresh(state: LogState, signal?: AbortSignal): Promise<StoredLog> {
  const { storage } = state;
  const [known, rootFiles, shardFiles] = await Promise.all([
    readStoredHead(storage, signal),
    storage.list(ACTIVITY_DIR, signal),
    storage.list(ACTIVITY_SHARDS_DIR, signal),
  ]);
  state.head = known;
  const eventFiles = rootFiles.filter((f) => f.name.endsWith(".json") && f.name !== HEAD_FILE);
  state.legacyNames = new Set(
    eventFiles.map((f) => f.name.slice(0, -".json".length).toLowerCase()),
  );
  const legacy = await readListed(storage, ACTIVITY_DIR, eventFiles, state.legacyCache, signal);
  const shards = await readListed(
    storage,
    ACTIVITY_SHARDS_DIR,
    shardFiles.filter((f) => f.name.endsWith(".json")),
    state.shardCache,
    signal,
  );
  return { legacy, shards, known };
}
