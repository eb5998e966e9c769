// The project catalogue as the pane uses it: the save panel, its suggestion, the Stored view's
// names and filters, the Activity view's filter and the projects card all read it through this.
import type { Project } from "../../core/projects.js";
import type { ProjectCatalogue } from "./project-catalogue.js";

export type ProjectOption = Pick<Project, "id" | "name">;

export interface ProjectList {
  /** The active projects: one catalogue read in flight serves every caller (list + suggestion). */
  activeProjects(): Promise<Project[]>;
  /** The active projects as options; `track` wraps the read (see housekeeping.ts). */
  list(): Promise<ProjectOption[]>;
  /** Every project, archived ones included, for managing the catalogue. */
  all(): Promise<Array<ProjectOption & { archived: boolean }>>;
  create(name: string): Promise<ProjectOption>;
  rename(id: string, name: string): Promise<void>;
  setArchived(id: string, archived: boolean): Promise<void>;
}

export function createProjectList(
  catalogue: ProjectCatalogue,
  track: <T>(read: Promise<T>) => Promise<T> = (read) => read,
): ProjectList {
  let reading: Promise<Project[]> | null = null;
  const activeProjects = () =>
    (reading ??= catalogue.list().finally(() => {
      reading = null;
    }));
  return {
    activeProjects,
    list: async () => (await track(activeProjects())).map((p) => ({ id: p.id, name: p.name })),
    all: async () =>
      (await catalogue.list({ includeArchived: true })).map((p) => ({
        id: p.id,
        name: p.name,
        archived: p.archived,
      })),
    create: async (name) => {
      const p = await catalogue.create(name);
      return { id: p.id, name: p.name };
    },
    rename: async (id, name) => {
      await catalogue.rename(id, name);
    },
    setArchived: async (id, archived) => {
      await catalogue.setArchived(id, archived);
    },
  };
}
