// The `email_saved` events of one bulk save, written together: one move of the activity log's
// head for the saves that commit while the others of the batch are on their way, not one each.
import type { ActivityEvent } from "../../core/activity/activity.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import { retryStep, type StepRetryPolicy } from "./step-retry.js";

interface Waiting {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A committed save's event is kept in the log's outbox at once (so a pane closed now re-sends it
 * at its next start, and reconcile would log it from its record anyway), then waits while any
 * other message of the batch is still on its way: that one may commit and join it. Once every
 * message in flight has committed (or ended without a save), their events go in one move of the
 * head, and only then is each save reported (its event is durable). Messages past the consent
 * gate still go one at a time: the group never holds a message's email data, only events of
 * records already committed, so a withdrawal stops the batch exactly as before.
 *
 * A batch runs BULK_CONCURRENCY messages at a time, so a group holds at most that many events.
 */
export class SavedEventGroup {
  private inFlight = 0;
  private waiting: Waiting[] = [];

  constructor(
    private readonly activity: ActivityLogPort,
    private readonly retry: StepRetryPolicy,
  ) {}

  /** A message of the batch starts its save. */
  started(): void {
    this.inFlight += 1;
  }

  /** A message of the batch ended (reported, whatever its outcome): the rest may go now. */
  ended(): void {
    this.inFlight -= 1;
    this.sendIfAllWait();
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
    this.sendIfAllWait();
    return landed;
  }

  private sendIfAllWait(): void {
    if (this.waiting.length === 0 || this.waiting.length < this.inFlight) return;
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
