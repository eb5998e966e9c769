import type { ActivityEvent } from "../activity/activity.js";
import type { LogVerdict } from "../activity/chain.js";
import type { SeptError } from "../errors.js";

/** "already_logged": an event with that id was in the log before, and was left as it was. */
export type AppendOutcome = "appended" | "already_logged";

/** One event of an appendMany: logged (`outcome`), or not (`error`). */
export type AppendManyResult =
  | { id: string; outcome: AppendOutcome; error?: undefined }
  | { id: string; outcome?: undefined; error: SeptError };

/** An event waiting in the outbox: kept until the log's head holds it. */
export interface OutboxEntry {
  /** The event as given (unsealed). */
  event: ActivityEvent;
  /** Its id is deterministic: look it up before logging it. */
  idempotent: boolean;
  /** Sends that failed: a re-send may meet an earlier one that landed, so it looks first. */
  attempts: number;
}

/**
 * Where events that have not landed yet are kept, durably where the host allows it (the pane:
 * localStorage, per user). Reads and writes the whole list: it holds a handful of small events.
 */
export interface ActivityOutboxPort {
  read(): OutboxEntry[] | Promise<OutboxEntry[]>;
  write(entries: OutboxEntry[]): void | Promise<void>;
}

/**
 * Append-only and hash-chained, one chain per user: events are added, never changed; two panes (or
 * a pane and the tenant job) appending at once both land, in order. The log sets `hash`,
 * `prevHash` and `seq` itself; whatever a caller puts there is replaced. Event ids must be
 * path-safe (letters, digits, `-`, `_`; at most 128; not "head"): earlier versions named a file
 * after each, and a look-up still finds such an event by that name.
 *
 * Every event is kept in the outbox until it lands: an append that fails rejects, and the event
 * is re-sent first at the next append or flush(). An id already in the log or the outbox is
 * logged once.
 */
export interface ActivityLogPort {
  append(event: ActivityEvent): Promise<void>;
  /**
   * For an event whose id is deterministic (e.g. `saved-{savedId}`): a retried or reconciled step
   * logs at most once. An id already in the log is success, and the earlier event is kept.
   */
  appendIdempotent(event: ActivityEvent): Promise<AppendOutcome>;
  /**
   * Appends a run of events at once, in order, in as few moves of the head as it holds (a long
   * run fills and archives it along the way). `idempotent`: as
   * appendIdempotent, per event. Does not reject when storage fails: each result says whether it
   * is logged (a run that did not land stays in the outbox). Rejects before any request for a bad
   * or repeated id.
   */
  appendMany(
    events: readonly ActivityEvent[],
    options?: { idempotent?: boolean; signal?: AbortSignal },
  ): Promise<AppendManyResult[]>;
  /**
   * Puts events in the outbox without sending them: the next append or flush() sends them with
   * its own, in one move of the head (a bulk save's events, one write for several saves). Kept as
   * an append keeps them, so a pane closed before that send re-sends them at its next start.
   * Rejects before anything is kept for a bad or repeated id.
   */
  hold(events: readonly ActivityEvent[]): Promise<void>;
  /** Re-sends what the outbox holds (at start); rejects when it still cannot land. */
  flush(signal?: AbortSignal): Promise<void>;
  /** Events waiting in the outbox. */
  pending(): Promise<number>;
  /** Newest first (by place in the chain, then `at`, then id); one event per id. */
  list(signal?: AbortSignal): Promise<ActivityEvent[]>;
  /**
   * Checks the whole log as stored now: every event's seal, the one chain from the head, older
   * sessions' chains, and the consent records' hashes (see core/activity/chain.ts).
   */
  verify(signal?: AbortSignal): Promise<LogVerdict>;
}
