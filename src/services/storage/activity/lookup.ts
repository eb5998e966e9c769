// The bounded look-up of ids already logged, which keeps a re-sent event from being logged twice:
// the head's events, then the archive shards newest first, then (at the chain's start) the
// per-event files of earlier versions.
import type { ActivityEvent } from "../../../core/activity/activity.js";
import { ACTIVITY_DIR } from "../layout.js";
import { shardEvents, type LogState } from "./archive.js";
import { activityEventFile } from "./event.js";
import { HEAD_FILE, type KnownHead, type ShardLink } from "./head.js";

/** A look-up walks back through shards until this many in a row held none of its ids. */
const LOOKBACK_SHARDS = 2;
/** Ids a look-up in per-event files of earlier versions stats one each; more, one listing. */
const STATS_PER_RUN = 4;

/** Takes out of `remaining` (into `found`) the ids these events have; true if any was there. */
function takeFound(
  events: readonly ActivityEvent[],
  remaining: Set<string>,
  found: Set<string>,
): boolean {
  let hit = false;
  for (const e of events) {
    const key = typeof e?.id === "string" ? e.id.toLowerCase() : "";
    if (remaining.delete(key)) {
      found.add(key);
      hit = true;
    }
  }
  return hit;
}

/** Which of these (lower-cased) ids are per-event files of earlier versions: stats or a listing. */
async function findInLegacyFiles(
  state: LogState,
  ids: readonly string[],
  found: Set<string>,
  signal?: AbortSignal,
): Promise<void> {
  if (ids.length > STATS_PER_RUN || state.legacyNames) {
    state.legacyNames ??= new Set(
      (await state.storage.list(ACTIVITY_DIR, signal))
        .filter((f) => f.name.endsWith(".json") && f.name !== HEAD_FILE)
        .map((f) => f.name.slice(0, -".json".length).toLowerCase()),
    );
    for (const id of ids) if (state.legacyNames.has(id)) found.add(id);
  } else {
    for (const id of ids) {
      if (await state.storage.stat(activityEventFile(id), signal)) found.add(id);
    }
  }
}

/**
 * Which of these (lower-cased) ids are logged already. Bounded: the head's events, then the
 * archive shards newest first until LOOKBACK_SHARDS in a row held none of the ids (each shard is
 * read at most once per log), then, when the walk reached the chain's start, the per-event files
 * of earlier versions.
 */
export async function findLogged(
  state: LogState,
  ids: readonly string[],
  known: KnownHead,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const found = new Set<string>();
  const remaining = new Set<string>();
  for (const id of ids) (state.logged.has(id) ? found : remaining).add(id);
  takeFound(known.events, remaining, found);
  const links = [...known.shards].reverse();
  let next: ShardLink | null = links[0] ?? null;
  let atStart = next === null;
  let misses = 0;
  for (let i = 0; next && remaining.size > 0 && misses < LOOKBACK_SHARDS;) {
    const shard = await shardEvents(state, next.name, signal);
    misses = shard && takeFound(shard.events, remaining, found) ? 0 : misses + 1;
    i += 1;
    next = links[i] ?? shard?.prior ?? null;
    atStart = next === null && shard !== null;
  }
  // Back at the chain's start: the events before it are files of their own (earlier versions).
  if (remaining.size === 0 || !atStart || misses >= LOOKBACK_SHARDS || known.legacySeq === 0) {
    return found;
  }
  await findInLegacyFiles(state, [...remaining], found, signal);
  return found;
}
