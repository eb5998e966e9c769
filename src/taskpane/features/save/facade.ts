import type { PaneSaving } from "../../../services/save/from-pane.js";
import type { OtherMessageFinder } from "../../../services/save/other-messages.js";
import type { SaveAdvice } from "../../../services/save/suggestions.js";
import type { ProjectOption } from "../../shared/projects.js";

export type {
  BulkItemResult,
  SaveOutcome,
  SaveProgress,
} from "../../../services/save/from-pane.js";
export type { OtherMessage } from "../../../services/save/other-messages.js";
export type { SavedCopy } from "../../../services/save/suggestions.js";

/** Saving, as the save panel needs it (services/save/ implements it). */
export interface SavingFacade extends SaveAdvice, PaneSaving {
  /** Whether the organisation allows saving content at all (org policy). */
  contentAllowedByOrg(): boolean;
}

/** Finding other messages to save with the open one. */
export type OtherMessagesFacade = Omit<OtherMessageFinder, "listed">;

/** The projects the save panel offers, and creating one from its picker. */
export interface SaveProjects {
  list(): Promise<ProjectOption[]>;
  create(name: string): Promise<ProjectOption>;
}
