// Retention purge: stored emails past the user's retention period are deleted for good. Runs when
// the pane starts, after each save and on "Purge now"; an admin can run the same code headless.
import type { SeptError } from "../../core/errors.js";
import { DAY_MS, isExpired, retentionCode, type RetentionSetting } from "../../core/retention.js";
import { removalEvent, removeEmailsForGood } from "./remove.js";
import type { StoredEmailsDeps } from "./stored-emails.js";

export interface PurgeDeps extends StoredEmailsDeps {
  /** The retention that applies now (the settings' `effective` setting, within org bounds). */
  retention: () => Promise<RetentionSetting> | RetentionSetting;
}

export interface PurgeResult {
  /** Saved ids purged: files gone, one `email_purged` event each, out of the index. */
  purged: string[];
  /** Of `purged`, those whose files sit in the user's recycle bin (permanent delete refused). */
  recycled: string[];
  /** Expired but not purged this time (kept in the index, so the next run tries again). */
  failed: Array<{ savedId: string; error: SeptError }>;
  /** Files deleted, and files already gone (removed by hand, or by an earlier, interrupted run). */
  files: { removed: number; missing: number };
}

/**
 * Purges every expired email: only the record shards of months whose oldest save is past the
 * retention are read; content goes in batched deletes ($batch of 20, inner 429s re-sent, 404
 * fine), one `email_purged` event each with a deterministic id (a re-run or a second pane never
 * logs one twice), written as one chained run in $batch requests of 20, then each touched shard
 * is replaced by a new generation (one catalogue update, old files deleted in $batch).
 * Nothing expired: the catalogue (held) and no write.
 */
export async function purgeExpired(
  deps: PurgeDeps,
  options: { now?: Date; signal?: AbortSignal } = {},
): Promise<PurgeResult> {
  const now = options.now ?? deps.now?.() ?? new Date();
  const retention = await deps.retention();
  if (retention.kind === "forever") {
    return { purged: [], recycled: [], failed: [], files: { removed: 0, missing: 0 } };
  }
  // Only the months whose oldest save is past the retention are read.
  const cutoff = new Date(now.getTime() - retention.days * DAY_MS).toISOString();
  const entries = await deps.index.savedBefore(cutoff, options.signal);
  const expired = entries.filter((entry) => isExpired(entry, retention, now));
  if (expired.length === 0) {
    return { purged: [], recycled: [], failed: [], files: { removed: 0, missing: 0 } };
  }
  const details = { reason: "retention", retention: retentionCode(retention) };
  const result = await removeEmailsForGood(
    deps,
    expired,
    (email) => removalEvent("email_purged", email, now, details),
    { trustIndex: true, signal: options.signal },
  );
  return {
    purged: result.removed,
    recycled: result.recycled,
    failed: result.failed,
    files: result.files,
  };
}
