import type { ActivityEvent } from "../../../core/activity/activity.js";
import type { ActivityCheck } from "../../../services/rights/activity-check.js";
import type { ProjectOption } from "../../shared/projects.js";

export type { ActivityCheck };

export interface ActivityFacade {
  list(): Promise<ActivityEvent[]>;
  verify(): Promise<ActivityCheck>;
}

/** The projects the Activity view filters by. */
export interface ActivityProjects {
  list(): Promise<ProjectOption[]>;
}
