// Events that did not land when they were appended wait in the activity log's outbox, and are sent
// first at the log's next append or flush. While the pane stays open they are also sent again on a
// back-off, so a save reported "saved, its activity entry to follow" gets its entry without
// waiting for another save or the next start of the pane.
import { backgroundRetryDelay } from "../../core/delay.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";

export interface OwedEvents {
  /** Looks at the outbox (on the device, no request) and, when events wait there, retries. */
  check(): Promise<void>;
  /** Stops the retries (a closed pane; tests). The outbox keeps what waits. */
  dispose(): void;
}

export function retryOwedEvents(
  activity: Pick<ActivityLogPort, "flush" | "pending">,
  retryDelayMs: (attempt: number) => number = backgroundRetryDelay,
): OwedEvents {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let disposed = false;
  const check = async (): Promise<void> => {
    if (timer || disposed) return;
    if ((await activity.pending().catch(() => 0)) === 0) {
      attempt = 0;
      return;
    }
    if (timer || disposed) return;
    timer = setTimeout(() => {
      timer = null;
      attempt += 1;
      void activity
        .flush()
        .catch(() => undefined)
        .then(check);
    }, retryDelayMs(attempt));
  };
  return {
    check,
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
