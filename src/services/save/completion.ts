// A committed save's completion (its event, reservation dropped), and the indexes of storages whose
// callers hold none. The index entry needs no step of its own: it is the record, in its shard.
import { compactTimestamp, type ActivityEvent } from "../../core/activity/activity.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import type { StoredEmailRecord } from "../../core/stored-email.js";
import { createEmailIndexes, type EmailIndex, type EmailIndexes } from "../storage/email-index.js";
import { reservationPath } from "../storage/layout.js";
import { RESERVE_ABOVE_BYTES } from "./save-request.js";

/**
 * One `email_saved` event per save act: the saved id names the email, the record's `savedAt` the
 * act, so a retried or reconciled step of one save logs it once, while the same message saved
 * again after a delete or purge (a new record, a new `savedAt`) logs a save of its own.
 */
export const savedEventId = (savedId: string, savedAt: string): string =>
  `saved-${savedId}-${compactTimestamp(savedAt).replace(/[^A-Za-z0-9]/g, "")}`;

/**
 * The indexes of storages whose callers hold none (a save or a reconcile given only a storage):
 * one per storage, so that they share its copy, its eTag and its queue of writes.
 */
export const sharedIndexes: EmailIndexes = createEmailIndexes();

/** The caller's index, else the shared one of its storage. */
export function indexFor(deps: { storage: StoragePort; index?: EmailIndex }): EmailIndex {
  return deps.index ?? sharedIndexes.of(deps.storage);
}

/** The `email_saved` event of a record: everything in it follows from the record, never content. */
export function savedEvent(record: StoredEmailRecord): ActivityEvent {
  return {
    id: savedEventId(record.savedId, record.savedAt),
    at: record.savedAt,
    kind: "email_saved",
    outcome: "success",
    refs: { savedId: record.savedId, consentRecordId: record.consentGrantId },
    projectId: record.projectId,
    ...(record.content.stored ? { sizeBytes: record.content.sizeBytes } : {}),
    details: { purposes: record.purposes },
  };
}

/**
 * Completes a committed save: the one `email_saved` event (deterministic id) and the reservation
 * removed. Every step is idempotent (reconcile logs a missing event with the same id).
 *
 * The save is done at its commit: the record is in its shard, so the email is listed. A failure
 * here must not be reported as "not saved", which would be untrue. An append that fails keeps the
 * event in the log's outbox (activity-log.ts), sent first at the log's next append or flush (the
 * pane retries it, and flushes at its next start), and reconcile logs it with the same id if the
 * device lost it; a reservation left behind is removed by reconcile (its record exists).
 * Resolves with whether the event is in the log now.
 */
export async function completeSave(
  deps: { storage: StoragePort; activity: ActivityLogPort },
  record: StoredEmailRecord,
  options: {
    retry?: <T>(task: () => Promise<T>) => Promise<T>;
    signal?: AbortSignal;
    /** A reservation was written for this save (else only content above 4 MB has one). */
    reserved?: boolean;
    /**
     * This run has just written the record, so its event cannot be logged yet: appended without
     * the look-up (a reconcile logging it at the same moment is met when its file is written).
     */
    fresh?: boolean;
    /**
     * How a fresh record's event is logged instead of an append of its own: a bulk save's group,
     * which writes the events of several saves together (saved-events.ts) and retries itself.
     */
    log?: (event: ActivityEvent) => Promise<void>;
  } = {},
): Promise<{ eventLogged: boolean }> {
  const retry = options.retry ?? (<T>(task: () => Promise<T>) => task());
  const event = savedEvent(record);
  // A failed append keeps the event in the log's outbox; a retry of it is looked up, not doubled.
  const logged =
    options.fresh && options.log
      ? options.log(event)
      : retry<unknown>(() =>
          options.fresh ? deps.activity.append(event) : deps.activity.appendIdempotent(event),
        );
  const eventLogged = await logged.then(
    () => true,
    () => false,
  );
  const large = record.content.stored && record.content.sizeBytes > RESERVE_ABOVE_BYTES;
  if (options.reserved || large) {
    await retry(() =>
      deps.storage.remove(reservationPath(record.savedId), { signal: options.signal }),
    ).catch(() => undefined);
  }
  return { eventLogged };
}
