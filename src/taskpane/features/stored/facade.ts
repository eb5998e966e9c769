import type { RetentionBounds, RetentionSetting } from "../../../core/retention.js";
import type { MyRights } from "../../../services/rights/my-rights.js";
import type { StoredEmail } from "../../../services/rights/stored-emails.js";
import type { ProjectOption } from "../../shared/projects.js";

export type { RetentionBounds, RetentionSetting, StoredEmail };

/** The user's rights over stored emails (privacy policy §5, §7); services/rights/ implements it. */
export type StoredFacade = MyRights;

/** The catalogue as the Stored view reads it: every project, for names and the filter. */
export interface StoredProjects {
  all(): Promise<Array<ProjectOption & { archived: boolean }>>;
}
