// The user's activity log, one hash chain kept in shards: createStorageActivityLog assembles it
// from the modules in ./activity/ (event, head, archive, lookup, commit, outbox, read). Every name
// callers import is exported from here, so they need not know the modules.
import { SeptError, toSeptError } from "../../core/errors.js";
import type {
  ActivityLogPort,
  ActivityOutboxPort,
  AppendManyResult,
  AppendOutcome,
} from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import type { ActivityEvent } from "../../core/activity/activity.js";
import { createLogState } from "./activity/archive.js";
import type { CommitContext } from "./activity/commit.js";
import { activityEventFile } from "./activity/event.js";
import { BULK_SHARD_BYTES, SHARD_BYTES } from "./activity/head.js";
import { createMemoryOutbox, createOutboxQueue, flushOutbox } from "./activity/outbox.js";
import { listEvents, verifyStored } from "./activity/read.js";

export { activityEventFile, parseActivityEvent } from "./activity/event.js";
export {
  activityLogSize,
  BULK_SHARD_BYTES,
  chainBeginsWith,
  HEAD_FORMAT,
  SHARD_BYTES,
  SHARD_FORMAT,
  shardName,
  type ShardLink,
} from "./activity/head.js";
export { createMemoryOutbox } from "./activity/outbox.js";

export interface ActivityLogOptions {
  /**
   * Where events wait until they land: the pane keeps it in localStorage (survives a reload or a
   * crash), the tenant job wherever it likes. Default: in memory (lost with the process).
   */
  outbox?: ActivityOutboxPort;
  /** Waits between turns at the head when writers meet (default: a few tens of ms, jittered). */
  contentionDelayMs?: number;
  /** Bytes of events the head holds before they move to a shard (default SHARD_BYTES; tests). */
  shardBytes?: number;
  /** Bytes one move of the head takes of a run bigger than a head (default BULK_SHARD_BYTES). */
  bulkShardBytes?: number;
}

/** Refuses a run with an id that is not path-safe, or twice the same id (case-insensitive). */
function validate(events: readonly ActivityEvent[]): void {
  const ids = new Set<string>();
  for (const event of events) {
    activityEventFile(event.id);
    const key = event.id.toLowerCase();
    if (ids.has(key)) {
      throw new SeptError("bad_request", {
        message: `Activity event id '${event.id}' is twice in one run.`,
        params: { eventId: event.id },
      });
    }
    ids.add(key);
  }
}

/**
 * One chain per user, kept in shards: the head (`activity/head.json`) holds every event of the
 * current shard, sealed, and an append is one write of the head under If-Match, so two panes and
 * the tenant job appending at once take turns (a 412 means "someone appended first": read the
 * head again, reseal, retry) and no event is lost or forked. When the head would pass
 * `shardBytes`, its events (all already in the chain) are first written as an archive shard
 * (`activity/shards/…`, created only if absent; see shardName), then the head starts again with
 * the new events, its first one pointing at the shard's last hash. Shards are never changed.
 *
 * Logs of earlier versions continue with no rewrite: their per-event files stay where they are,
 * their head's last events are carried into the first sharded head, and the chain goes on.
 *
 * Every event goes through the outbox: kept before it is sent, removed once the head holds it, and
 * re-sent first at the next append or flush(). An event that was sent before (or whose id is
 * deterministic) is looked up first, so a re-send that meets itself is not logged twice. The
 * look-up is bounded: the head's events, then the archive shards newest first, until
 * LOOKBACK_SHARDS shards in a row held none of the ids looked for (each shard is read at most
 * once per log: it never changes), then (when the walk reaches the chain's start) the per-event
 * files of earlier versions, by stat or one listing. An id logged further back than that is logged
 * again; list() shows it once.
 *
 * A run bigger than one head (a purge of 1,000: about 450 KB of events) is not cut into heads:
 * it goes whole into the head (one write under If-Match: from then on it is in the chain), then
 * all of the head's events into one archive shard, and the head starts again empty: three writes
 * for up to `bulkShardBytes` of events, however many heads they would fill.
 *
 * Costs: an append is one write (the head), plus one (the shard) each time the head is full; the
 * first append of a log instance reads the head first (one GET, at most about shardBytes).
 */
export function createStorageActivityLog(
  storage: StoragePort,
  options: ActivityLogOptions = {},
): ActivityLogPort {
  const state = createLogState(storage);
  const queue = createOutboxQueue(options.outbox ?? createMemoryOutbox());
  const ctx: CommitContext = {
    state,
    capBytes: options.shardBytes ?? SHARD_BYTES,
    bulkBytes: options.bulkShardBytes ?? BULK_SHARD_BYTES,
    contentionMs: options.contentionDelayMs ?? 25,
    mine: queue.mine,
  };
  /** One append at a time per log: its own appends never race each other for the head. */
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = turn.then(task, task);
    turn = run.catch(() => undefined);
    return run;
  };
  const flush = (signal?: AbortSignal) =>
    serial(async () => {
      if ((await queue.outbox.read()).length > 0) await flushOutbox(queue, ctx, signal);
    });

  const appendRun = async (
    events: readonly ActivityEvent[],
    idempotent: boolean,
    signal?: AbortSignal,
  ): Promise<Map<string, AppendOutcome>> => {
    validate(events);
    // Queued at once, sent by the next flush: appends made while one is on the wire go together,
    // in one move of the head (group commit), in the order they were made.
    await queue.enqueue(events, idempotent);
    const landed = () => events.every((e) => queue.landedAs.has(e.id.toLowerCase()));
    try {
      await flush(signal);
    } catch (error) {
      // A later run of the same flush failed: these events had landed all the same.
      if (!landed()) throw error;
    }
    const outcomes = new Map<string, AppendOutcome>();
    for (const event of events) {
      const outcome = queue.landedAs.get(event.id.toLowerCase());
      if (outcome) outcomes.set(event.id, outcome);
    }
    return outcomes;
  };

  return {
    async append(event) {
      await appendRun([event], false);
    },
    async appendIdempotent(event) {
      const outcomes = await appendRun([event], true);
      return outcomes.get(event.id) ?? "already_logged";
    },
    async appendMany(events, opts = {}) {
      if (events.length === 0) return [];
      let outcomes: Map<string, AppendOutcome>;
      try {
        outcomes = await appendRun(events, opts.idempotent ?? false, opts.signal);
      } catch (error) {
        const septError = toSeptError(error);
        if (septError.code === "bad_request") throw septError;
        return events.map((e): AppendManyResult => ({ id: e.id, error: septError }));
      }
      return events.map((e): AppendManyResult => ({
        id: e.id,
        outcome: outcomes.get(e.id) ?? "already_logged",
      }));
    },
    async hold(events) {
      validate(events);
      await queue.enqueue(events, false);
    },
    flush,
    async pending() {
      return (await queue.outbox.read()).length;
    },
    list: (signal) => listEvents(state, signal),
    verify: (signal) => verifyStored(state, signal),
  };
}
