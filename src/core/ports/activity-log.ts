import type { ActivityEvent } from "../activity/activity.js";

/** Append-only: events are added, never changed; two panes appending at once both land. */
export interface ActivityLogPort {
  append(event: ActivityEvent): Promise<void>;
  list(): Promise<ActivityEvent[]>;
}
