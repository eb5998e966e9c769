import type { Project } from "../../core/projects.js";

/** A project as pickers, filters and lists show it. */
export type ProjectOption = Pick<Project, "id" | "name">;

/** The name a project goes by, or its id when the catalogue no longer has it. */
export function projectName(projects: readonly ProjectOption[], id: string): string {
  return projects.find((p) => p.id === id)?.name ?? id;
}
