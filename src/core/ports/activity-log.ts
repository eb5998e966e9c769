import type { ActivityEvent } from "../activity/activity.js";
import type { ChainVerdict } from "../activity/chain.js";

/** "already_logged": an event with that id was in the log before, and was left as it was. */
export type AppendOutcome = "appended" | "already_logged";

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
  /** Newest first (by `at`, then id). */
  list(signal?: AbortSignal): Promise<ActivityEvent[]>;
  /** Checks every stored event's seal and link, as stored now (see core/activity/chain.ts). */
  verify(signal?: AbortSignal): Promise<ChainVerdict>;
}
