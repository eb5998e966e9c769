import type { ProjectOption } from "../../shared/projects.js";

/** The project catalogue: what every view reads of it and what the projects card changes. */
export interface ProjectsFacade {
  /** The active projects. */
  list(): Promise<ProjectOption[]>;
  /** Every project, archived ones included, for managing the catalogue. */
  all(): Promise<Array<ProjectOption & { archived: boolean }>>;
  create(name: string): Promise<ProjectOption>;
  rename(id: string, name: string): Promise<void>;
  setArchived(id: string, archived: boolean): Promise<void>;
}
