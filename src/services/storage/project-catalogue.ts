import { SeptError } from "../../core/errors.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import {
  findNameClash,
  isProjectId,
  nameTakenError,
  normalizeProjectName,
  parseProjectsDocument,
  projectNameKey,
  sortProjects,
  type Project,
  type ProjectsDocument,
} from "../../core/projects.js";
import { sha256Hex } from "../../core/stored-email.js";
import { PROJECTS_FILE } from "./layout.js";
import { jitterMs, lostRace, retryLostRaces, writeGuard } from "./optimistic-write.js";

/**
 * Writes tried before giving up. Each lost round means another pane's write landed, so N panes
 * writing at once all finish within N rounds; a pane writing in a burst can hold another back
 * for as many rounds as its burst is long.
 */
const MAX_ATTEMPTS = 8;

export type ProjectChange =
  | "project_created"
  | "project_seeded"
  | "project_renamed"
  | "project_archived"
  | "project_unarchived";

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

interface Snapshot {
  projects: Project[];
  /** null: the file does not exist yet, so the first write creates it with conflict "fail". */
  eTag: string | null;
}

/**
 * What a change makes of the catalogue; no `projects` means the stored state already has it.
 * `changes` are logged once the write has landed, or when the state already had them after a
 * write of ours failed (its answer lost, the write landed).
 */
interface Outcome<R> {
  result: R;
  projects?: Project[];
  changes?: Array<{ projectId: string; change: ProjectChange }>;
}

type Apply<R> = (projects: readonly Project[], at: string) => Outcome<R>;

const notFound = (projectId: string) =>
  new SeptError("not_found", { message: "No such project.", params: { projectId } });

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
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  let cache: Snapshot | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let seeded: Promise<void> | null = null;

  const load = async (): Promise<Snapshot> => {
    try {
      const { value, file } = await storage.readJson<unknown>(PROJECTS_FILE);
      cache = { projects: parseProjectsDocument(value).projects, eTag: file.eTag };
    } catch (error) {
      if (!(error instanceof SeptError && error.code === "not_found")) throw error;
      cache = { projects: [], eTag: null };
    }
    return cache;
  };

  const log = async (changes: NonNullable<Outcome<unknown>["changes"]>, at: string) => {
    for (const { projectId, change } of changes) {
      await deps.activity.append({
        id: crypto.randomUUID(),
        at,
        kind: "settings_changed",
        outcome: "success",
        refs: { projectId },
        projectId,
        details: { change },
      });
    }
  };

  const run = async <R>(apply: Apply<R>): Promise<R> => {
    let fresh = cache === null;
    let snapshot = cache ?? (await load());
    const { outcome, at, landed } = await retryLostRaces(
      async (guarded, attempt) => {
        // After a lost race: the other pane's state, read afresh.
        if (attempt > 1) [snapshot, fresh] = [await load(), true];
        for (;;) {
          const at = now().toISOString();
          let outcome: Outcome<R>;
          try {
            outcome = apply(snapshot.projects, at);
          } catch (error) {
            // A refusal judged on the cached copy may be out of date: judge the stored one.
            if (fresh) throw error;
            [snapshot, fresh] = [await load(), true];
            continue;
          }
          if (!outcome.projects) {
            // Nothing to change, by the cached copy: make sure of it on the stored one.
            if (!fresh) {
              [snapshot, fresh] = [await load(), true];
              continue;
            }
            // After a failed write of ours, its answer may be what was lost: the change landed.
            return { outcome, at, landed: attempt > 1 };
          }
          const doc: ProjectsDocument = { schema: 1, projects: outcome.projects };
          const file = await guarded(
            storage.writeJson(PROJECTS_FILE, doc, writeGuard(snapshot.eTag)),
          );
          cache = { projects: outcome.projects, eTag: file.eTag };
          return { outcome, at, landed: true };
        }
      },
      {
        attempts: MAX_ATTEMPTS,
        // 404: an If-Match write on a file removed meanwhile.
        retryOn: (error) => lostRace(error, { removedCounts: snapshot.eTag !== null }),
        // A little jitter, so panes that lost the same round do not collide again in lockstep.
        pauseMs: jitterMs(15),
      },
    );
    // Logged after the write, so only a change that landed has an event. If logging fails,
    // the change stands and the caller sees the error.
    if (landed && outcome.changes) await log(outcome.changes, at);
    return outcome.result;
  };

  /** One change at a time per pane: racing itself would only cost this pane extra rounds. */
  const mutate = <R>(apply: Apply<R>): Promise<R> => {
    const next = queue.then(
      () => run(apply),
      () => run(apply),
    );
    queue = next.catch(() => undefined);
    return next;
  };

  /** Changes one project; `edit` answers null when the project already is as asked. */
  const update = (
    id: string,
    change: ProjectChange,
    edit: (current: Project, projects: readonly Project[], at: string) => Project | null,
  ) =>
    mutate<Project>((projects, at) => {
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

  const seedOnce = (): Promise<void> => {
    if (!deps.seed?.length) return Promise.resolve();
    seeded ??= catalogue.seed(deps.seed).catch((error: unknown) => {
      seeded = null; // tried again on the next list()
      throw error;
    });
    return seeded;
  };

  const catalogue: ProjectCatalogue = {
    async list(options = {}) {
      await seedOnce();
      const { projects } = await load();
      return sortProjects(options.includeArchived ? projects : projects.filter((p) => !p.archived));
    },

    async create(input) {
      const name = normalizeProjectName(input);
      const id = newId();
      const changes = [{ projectId: id, change: "project_created" as const }];
      return mutate((projects, at) => {
        const landed = projects.find((p) => p.id === id);
        if (landed) return { result: landed, changes };
        const clash = findNameClash(projects, name);
        if (clash) throw nameTakenError(clash);
        const project: Project = { id, name, archived: false, createdAt: at, updatedAt: at };
        return { result: project, projects: [...projects, project], changes };
      });
    },

    async rename(id, input) {
      const name = normalizeProjectName(input);
      return update(id, "project_renamed", (p, projects, at) => {
        if (p.name === name) return null;
        // An archived project may share its name with an active one (see setArchived).
        const clash = p.archived ? undefined : findNameClash(projects, name, id);
        if (clash) throw nameTakenError(clash);
        return { ...p, name, updatedAt: at };
      });
    },

    async setArchived(id, archived) {
      const change = archived ? "project_archived" : "project_unarchived";
      return update(id, change, (p, projects, at) => {
        if (p.archived === archived) return null;
        // Bringing a project back must not make two active projects with one name.
        const clash = archived ? undefined : findNameClash(projects, p.name, id);
        if (clash) throw nameTakenError(clash);
        return { ...p, archived, updatedAt: at };
      });
    },

    async seed(list) {
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
      await mutate<void>((projects, at) => {
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
        return changes.length
          ? { result: undefined, projects: next, changes }
          : { result: undefined };
      });
    },
  };
  return catalogue;
}
