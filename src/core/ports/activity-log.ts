import type { ActivityEvent } from "../activity/activity.js";
import type { ChainVerdict } from "../activity/chain.js";
import type { SeptError } from "../errors.js";
import type { StoredFile } from "./storage.js";

/** "already_logged": an event with that id was in the log before, and was left as it was. */
export type AppendOutcome = "appended" | "already_logged";

/** One event of an appendMany: logged (`outcome`), or not (`error`). */
export type AppendManyResult =
  | { id: string; outcome: AppendOutcome; error?: undefined }
  | { id: string; outcome?: undefined; error: SeptError };

/** An event sealed onto the chain but not written yet: write `value` to `path` (write-once). */
export interface SealedEvent {
  readonly id: string;
  readonly path: string;
  readonly value: ActivityEvent;
}

/**
 * Append-only and hash-chained: events are added, never changed; two panes appending at once both
 * land. The log sets `hash` and `prevHash` itself; whatever a caller puts there is replaced.
 * Event ids must be path-safe (letters, digits, `-`, `_`; at most 128), since each names a file.
 */
export interface ActivityLogPort {
  append(event: ActivityEvent): Promise<void>;
  /**
   * For an event whose id is deterministic (e.g. `saved-{savedId}`): a retried or reconciled step
   * logs at most once. An id already in the log is success, and the earlier event is kept.
   */
  appendIdempotent(event: ActivityEvent): Promise<AppendOutcome>;
  /**
   * Appends a run of events as one chain (each event's prevHash is the previous one's hash, the
   * first's the pane's head) in as few requests as storage allows (Graph: $batch of 20 PUTs).
   * `idempotent`: as appendIdempotent, per event. Never rejects for one event: each result says
   * whether it is logged; an event not stored is left out of the chain (the events after it are
   * re-sealed onto the one before it). Rejects before any request for a bad or repeated id.
   */
  appendMany(
    events: readonly ActivityEvent[],
    options?: { idempotent?: boolean; signal?: AbortSignal },
  ): Promise<AppendManyResult[]>;
  /**
   * Seals an event onto the head without writing it, so a caller can write it together with
   * other files (one $batch); then it must report the write with `settle`. Until settled the head
   * does not move.
   */
  seal(event: ActivityEvent): Promise<SealedEvent>;
  /**
   * The outcome of writing a sealed event (write-once, conflict "fail"): resolves as append or
   * appendIdempotent would, or rejects with the write's error when the event is not logged.
   */
  settle(
    sealed: SealedEvent,
    written: { file?: StoredFile; error?: SeptError },
    options?: { idempotent?: boolean },
  ): Promise<AppendOutcome>;
  /** Newest first (by `at`, then id). */
  list(signal?: AbortSignal): Promise<ActivityEvent[]>;
  /** Checks every stored event's seal and link, as stored now (see core/activity/chain.ts). */
  verify(signal?: AbortSignal): Promise<ChainVerdict>;
}
