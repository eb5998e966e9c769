// The `email_saved` events of one bulk save, written together: one move of the activity log's
// head for a few saves, not one each.
import type { ActivityEvent } from "../../core/activity/activity.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import { retryStep, type StepRetryPolicy } from "./step-retry.js";

/**
 * Saves whose events one move of the head writes. Each save is reported once its event has
 * landed, so the first of a group waits for the next ones to commit (about a message's requests
 * each): four keeps that wait short and the outbox at a handful of events.
 */
export const EVENTS_PER_WRITE = 4;

interface Waiting {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A committed save's event is kept in the log's outbox at once (so a pane closed now re-sends it
 * at its next start, and reconcile would log it from its record anyway), then waits for the
 * events of the next saves of the batch: EVENTS_PER_WRITE of them go in one move of the head, and
 * only then is each of those saves reported (its event is durable; when the write still fails,
 * each is reported saved with its event pending, kept in the outbox: completion.ts). Once no message of the batch
 * is left to start, the last ones go as soon as every message still in flight has committed or
 * ended. The group holds only events of records already committed, never email data: messages
 * still pass the consent gate one at a time, so a withdrawal stops the batch exactly as before,
 * and the events of what committed before it still land.
 */
export class SavedEventGroup {
  private inFlight = 0;
  private waiting: Waiting[] = [];
  private closing = false;

  constructor(
    private readonly activity: ActivityLogPort,
    private readonly retry: StepRetryPolicy,
  ) {}

  /** A message of the batch starts its save. */
  started(): void {
    this.inFlight += 1;
  }

  /** A message of the batch ended (reported, whatever its outcome). */
  ended(): void {
    this.inFlight -= 1;
    this.sendIfDue();
  }

  /** No further message of the batch will start: the last group need not wait for a full one. */
  noMoreStarts(): void {
    this.closing = true;
    this.sendIfDue();
  }

  /**
   * Logs the event of a save this batch has just committed (a fresh record: no look-up needed),
   * with those of the others; resolves once it has landed in the log.
   */
  async log(event: ActivityEvent): Promise<void> {
    await this.activity.hold([event]);
    const landed = new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
    });
    this.sendIfDue();
    return landed;
  }

  private sendIfDue(): void {
    const full = this.waiting.length >= EVENTS_PER_WRITE;
    const last = this.closing && this.waiting.length >= this.inFlight;
    if (this.waiting.length === 0 || !(full || last)) return;
    const group = this.waiting;
    this.waiting = [];
    // The events are in the outbox: a flush sends them (and whatever else waits there) in one move
    // of the head; a retried flush looks up what an earlier attempt may have landed, never doubles.
    retryStep(() => this.activity.flush(), this.retry).then(
      () => {
        for (const member of group) member.resolve();
      },
      (error: unknown) => {
        for (const member of group) member.reject(error);
      },
    );
  }
}
