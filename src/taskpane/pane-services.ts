import type { LoadedOrgPolicy } from "../services/consent/org-policy.js";
import type { ActivityFacade } from "./features/activity/facade.js";
import type { ConsentFacade } from "./features/consent/facade.js";
import type { PrivacyFacade } from "./features/privacy/facade.js";
import type { ProjectsFacade } from "./features/projects/facade.js";
import type { OtherMessagesFacade, SavingFacade } from "./features/save/facade.js";
import type { StoredFacade } from "./features/stored/facade.js";

/** What the views need, one facade per feature, wired once by composition.ts. */
export interface PaneServices {
  consent: ConsentFacade;
  saving: SavingFacade;
  otherMessages: OtherMessagesFacade;
  projects: ProjectsFacade;
  stored: StoredFacade;
  activity: ActivityFacade;
  privacy: PrivacyFacade;
  /** The admin's org policy as loaded, with any problem found in the file. */
  orgPolicy: LoadedOrgPolicy;
}
