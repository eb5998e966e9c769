import { SeptError } from "../../core/errors.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import {
  findNameClash,
  isProjectId,
  nameTakenError,
  normalizeProjectName,
  projectNameKey,
  sortProjects,
  type Project,
} from "../../core/projects.js";
import { sha256Hex } from "../../core/stored-email.js";
import {
  load,
  mutate,
  type CatalogueFile,
  type Outcome,
  type ProjectChange,
} from "./project-catalogue-file.js";

export type { ProjectChange } from "./project-catalogue-file.js";

export interface ProjectSeed {
  /** The org's own id; without one, an id derived from the name keeps re-seeding idempotent. */
  id?: string;
  name: string;
}

export interface ProjectCatalogue {
  /** Re-reads the catalogue (one readJson: two Graph requests); archived only when asked. By name. */
  list(options?: { includeArchived?: boolean }): Promise<Project[]>;
  create(name: string): Promise<Project>;
  rename(id: string, name: string): Promise<Project>;
  setArchived(id: string, archived: boolean): Promise<Project>;
  /**
   * Adds the admin's org-policy projects whose id is not in the catalogue yet, in one write. An id
   * the user archived stays archived; an entry whose name an active project already has, or whose
   * name is unusable, is skipped rather than failing the pane.
   */
  seed(projects: ReadonlyArray<ProjectSeed>): Promise<void>;
}

export interface ProjectCatalogueDeps {
  activity: ActivityLogPort;
  now?: () => Date;
  newId?: () => string;
  /** The org-policy list, seeded before the first list(). */
  seed?: ReadonlyArray<ProjectSeed>;
}

/** The catalogue's file, and what seeding and new ids need besides. */
interface CatalogueState extends CatalogueFile {
  readonly newId: () => string;
  /** The org-policy list, seeded before the first list(). */
  readonly seedList: ReadonlyArray<ProjectSeed> | undefined;
  /** The org list's seeding, once started (null again after it failed). */
  seeded: Promise<void> | null;
}

const notFound = (projectId: string) =>
  new SeptError("not_found", { message: "No such project.", params: { projectId } });

/** Changes one project; `edit` answers null when the project already is as asked. */
function update(
  state: CatalogueState,
  id: string,
  change: ProjectChange,
  edit: (current: Project, projects: readonly Project[], at: string) => Project | null,
): Promise<Project> {
  return mutate<Project>(state, (projects, at) => {
    const current = projects.find((p) => p.id === id);
    if (!current) throw notFound(id);
    const edited = edit(current, projects, at);
    const changes = [{ projectId: id, change }];
    if (!edited) return { result: current, changes };
    return {
      result: edited,
      projects: projects.map((p) => (p.id === id ? edited : p)),
      changes,
    };
  });
}

function seedOnce(state: CatalogueState): Promise<void> {
  const list = state.seedList;
  if (!list?.length) return Promise.resolve();
  state.seeded ??= seedProjects(state, list).catch((error: unknown) => {
    state.seeded = null; // tried again on the next list()
    throw error;
  });
  return state.seeded;
}

async function listProjects(
  state: CatalogueState,
  options: { includeArchived?: boolean },
): Promise<Project[]> {
  await seedOnce(state);
  const { projects } = await load(state);
  return sortProjects(options.includeArchived ? projects : projects.filter((p) => !p.archived));
}

async function createProject(state: CatalogueState, input: string): Promise<Project> {
  const name = normalizeProjectName(input);
  const id = state.newId();
  const changes = [{ projectId: id, change: "project_created" as const }];
  return mutate(state, (projects, at) => {
    const landed = projects.find((p) => p.id === id);
    if (landed) return { result: landed, changes };
    const clash = findNameClash(projects, name);
    if (clash) throw nameTakenError(clash);
    const project: Project = { id, name, archived: false, createdAt: at, updatedAt: at };
    return { result: project, projects: [...projects, project], changes };
  });
}

async function renameProject(state: CatalogueState, id: string, input: string): Promise<Project> {
  const name = normalizeProjectName(input);
  return update(state, id, "project_renamed", (p, projects, at) => {
    if (p.name === name) return null;
    // An archived project may share its name with an active one (see setArchived).
    const clash = p.archived ? undefined : findNameClash(projects, name, id);
    if (clash) throw nameTakenError(clash);
    return { ...p, name, updatedAt: at };
  });
}

async function setProjectArchived(
  state: CatalogueState,
  id: string,
  archived: boolean,
): Promise<Project> {
  const change = archived ? "project_archived" : "project_unarchived";
  return update(state, id, change, (p, projects, at) => {
    if (p.archived === archived) return null;
    // Bringing a project back must not make two active projects with one name.
    const clash = archived ? undefined : findNameClash(projects, p.name, id);
    if (clash) throw nameTakenError(clash);
    return { ...p, archived, updatedAt: at };
  });
}

async function seedProjects(
  state: CatalogueState,
  list: ReadonlyArray<ProjectSeed>,
): Promise<void> {
  const seeds: Array<{ id: string; name: string }> = [];
  for (const s of list) {
    let name: string;
    try {
      name = normalizeProjectName(s.name);
    } catch {
      continue; // an unusable entry in the org's list must not stop the pane
    }
    const id =
      s.id !== undefined ? s.id : `org-${(await sha256Hex(projectNameKey(name))).slice(0, 24)}`;
    if (isProjectId(id)) seeds.push({ id, name });
  }
  if (seeds.length === 0) return;
  await mutate<void>(state, (projects, at) => {
    const next = [...projects];
    const changes: NonNullable<Outcome<void>["changes"]> = [];
    for (const { id, name } of seeds) {
      // Present by id (even archived by the user) stays as it is; a name the user already
      // has is not duplicated.
      if (next.some((p) => p.id === id) || findNameClash(next, name)) continue;
      next.push({ id, name, archived: false, createdAt: at, updatedAt: at });
      changes.push({ projectId: id, change: "project_seeded" });
    }
    // Nothing logged for a no-op: another pane seeding at once logs what it added.
    return changes.length ? { result: undefined, projects: next, changes } : { result: undefined };
  });
}

/**
 * The project catalogue: `projects.json` ({ schema: 1, projects }) replaced whole under If-Match.
 * A change is computed against the state it read; when another pane wrote first (412, or 409 for
 * a file created meanwhile) it re-reads and applies the change again, so nobody's change is lost
 * and uniqueness is checked against what is really stored. Changes within a pane run one at a time.
 */
export function createProjectCatalogue(
  storage: StoragePort,
  deps: ProjectCatalogueDeps,
): ProjectCatalogue {
  const state: CatalogueState = {
    storage,
    activity: deps.activity,
    now: deps.now ?? (() => new Date()),
    newId: deps.newId ?? (() => crypto.randomUUID()),
    seedList: deps.seed,
    cache: null,
    queue: Promise.resolve(),
    seeded: null,
  };
  return {
    list: (options = {}) => listProjects(state, options),
    create: (name) => createProject(state, name),
    rename: (id, name) => renameProject(state, id, name),
    setArchived: (id, archived) => setProjectArchived(state, id, archived),
    seed: (projects) => seedProjects(state, projects),
  };
}
