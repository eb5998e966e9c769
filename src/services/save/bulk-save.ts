import type { ActivityEvent } from "../../core/activity/activity.js";
import { SeptError, toSeptError } from "../../core/errors.js";
import { guardConsent, purposesFor, saveWithTicket, type SaveEmailDeps } from "./save-email.js";
import type { SaveEmailRequest } from "./save-request.js";
import { SavedEventGroup } from "./saved-events.js";
import { stepRetryPolicy } from "./step-retry.js";

/** The most messages one save of several takes (the open one and those ticked with it). */
export const MAX_BULK_ITEMS = 100;
/** Messages in flight at once; the adapters' shared limiter caps requests at 4 per mailbox too. */
export const BULK_CONCURRENCY = 4;

/** One message of a bulk save: what a single save is told of it, without project and choice. */
export type BulkSaveItem = Pick<
  SaveEmailRequest,
  | "restId"
  | "internetMessageId"
  | "from"
  | "subject"
  | "receivedDateTime"
  | "metadata"
  | "officeMessage"
  | "officeItem"
>;

export type BulkSaveItemResult = { index: number; restId: string } & (
  | {
      status: "saved" | "already_saved";
      savedId: string;
      /** Saved, its activity entry kept on the device to be written (SaveEmailResult). */
      eventPending?: true;
    }
  | { status: "failed"; error: SeptError }
);

export interface BulkSaveOptions {
  /** Called once per item, as soon as its result is known (not in item order). */
  onResult?: (result: BulkSaveItemResult) => void;
  signal?: AbortSignal;
}

/**
 * Saves several messages to one project. Consent is guarded once for the batch (one ledger read,
 * which also admits the first message); every other message is admitted at the consent gate with
 * a ledger read of its own before its first request carrying email data, and consent is checked
 * again, locally, before every step of every message. Messages overlap in what carries no email
 * data; past the gate they go `MESSAGES_PAST_GATE` at a time, so a withdrawal made in another
 * window lets at most that many messages finish. A withdrawal stops the batch: saves in flight
 * stop at their next step and the items not started fail with the withdrawal.
 * The `email_saved` events are written EVENTS_PER_WRITE saves at a time, one move of the log's
 * head (saved-events.ts), each save reported once its event has landed; a message that has
 * committed lets the next one start while its event waits for the others of its group.
 * Resolves with one result per item, in item order; rejects only when consent is missing at the
 * start or the batch is malformed.
 */
export async function bulkSave(
  deps: SaveEmailDeps,
  items: readonly BulkSaveItem[],
  projectId: string,
  includeContent: boolean,
  options: BulkSaveOptions = {},
): Promise<BulkSaveItemResult[]> {
  if (items.length > MAX_BULK_ITEMS) {
    throw new SeptError("bad_request", {
      message: `A bulk save takes at most ${MAX_BULK_ITEMS} messages, got ${items.length}.`,
      params: { max: MAX_BULK_ITEMS },
    });
  }
  const { signal, onResult } = options;
  const ticket = await guardConsent(deps, purposesFor(includeContent), signal);
  const results: BulkSaveItemResult[] = new Array<BulkSaveItemResult>(items.length);
  const events = new SavedEventGroup(deps.activity, stepRetryPolicy(deps.stepRetry));
  let next = 0;

  const settle = (result: BulkSaveItemResult) => {
    results[result.index] = result;
    onResult?.(result);
  };

  /** Why the rest of the batch must not start, if it must not. */
  const stopped = (): SeptError | null => {
    if (ticket.signal.aborted) return toSeptError(ticket.signal.reason);
    if (signal?.aborted) {
      return signal.reason instanceof SeptError
        ? signal.reason
        : new SeptError("cancelled", { cause: signal.reason });
    }
    return null;
  };

  /** Every item's save, settled (reported) once its event has landed or it failed. */
  const saves: Promise<void>[] = [];
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index];
      if (!item) continue;
      const halt = stopped();
      if (halt) {
        settle({ index, restId: item.restId, status: "failed", error: halt });
        continue;
      }
      let committed = () => {};
      const pastCommit = new Promise<void>((resolve) => (committed = resolve));
      events.started();
      const logSaved = (event: ActivityEvent) => {
        committed();
        return events.log(event);
      };
      const saving = saveWithTicket(
        deps,
        requestOf(item, projectId, includeContent),
        ticket,
        signal ? { signal, logSaved } : { logSaved },
      )
        .then(
          (outcome) =>
            settle({
              index,
              restId: item.restId,
              status: outcome.status,
              savedId: outcome.savedId,
              ...(outcome.status === "saved" && outcome.eventPending
                ? { eventPending: true as const }
                : {}),
            }),
          (error: unknown) =>
            settle({ index, restId: item.restId, status: "failed", error: toSeptError(error) }),
        )
        .finally(() => events.ended());
      saves.push(saving);
      // Committed, its event waiting for its group: the next message may start meanwhile.
      await Promise.race([saving, pastCommit]);
    }
  };

  await Promise.all(
    Array.from({ length: Math.min(BULK_CONCURRENCY, items.length) }, () => worker()),
  );
  events.noMoreStarts();
  await Promise.all(saves);
  return results;
}

/** The single save's request for one item of the batch. */
function requestOf(
  item: BulkSaveItem,
  projectId: string,
  includeContent: boolean,
): SaveEmailRequest {
  return {
    restId: item.restId,
    projectId,
    includeContent,
    ...(item.internetMessageId ? { internetMessageId: item.internetMessageId } : {}),
    ...(item.from !== undefined ? { from: item.from } : {}),
    ...(item.subject !== undefined ? { subject: item.subject } : {}),
    ...(item.receivedDateTime !== undefined ? { receivedDateTime: item.receivedDateTime } : {}),
    ...(item.metadata ? { metadata: item.metadata } : {}),
    ...(item.officeMessage ? { officeMessage: item.officeMessage } : {}),
    ...(item.officeItem ? { officeItem: item.officeItem } : {}),
  };
}
