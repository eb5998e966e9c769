// The project catalogue's one file, `projects.json` ({ schema: 1, projects }), replaced whole under
// If-Match: a change is computed against the state it read, and when another pane wrote first it
// is read again and the change applied again. A change's events are logged once it has landed.
import { SeptError } from "../../core/errors.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import { parseProjectsDocument, type Project, type ProjectsDocument } from "../../core/projects.js";
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

export interface Snapshot {
  projects: Project[];
  /** null: the file does not exist yet, so the first write creates it with conflict "fail". */
  eTag: string | null;
}

/**
 * What a change makes of the catalogue; no `projects` means the stored state already has it.
 * `changes` are logged once the write has landed, or when the state already had them after a
 * write of ours failed (its answer lost, the write landed).
 */
export interface Outcome<R> {
  result: R;
  projects?: Project[];
  changes?: Array<{ projectId: string; change: ProjectChange }>;
}

export type Apply<R> = (projects: readonly Project[], at: string) => Outcome<R>;

/** What a catalogue keeps of its file between calls: where it is, its cached copy, its queue. */
export interface CatalogueFile {
  readonly storage: StoragePort;
  readonly activity: ActivityLogPort;
  readonly now: () => Date;
  cache: Snapshot | null;
  /** The last change asked for: the next one starts when it has settled. */
  queue: Promise<unknown>;
}

/**
 * Reads the stored catalogue (none yet: empty) and keeps it as the cached copy. With a copy held,
 * its metadata comes first and the file is downloaded only when it changed (one request, not two,
 * for the Stored view and the save panel, which read it at every opening).
 */
export async function load(state: CatalogueFile): Promise<Snapshot> {
  const held = state.cache;
  if (held?.eTag) {
    const [read] = await state.storage.readJsonMany<unknown>([PROJECTS_FILE], {
      held: new Map([[PROJECTS_FILE, held.eTag]]),
    });
    if (read?.unchanged) return held;
    if (read?.error) throw read.error;
    state.cache = read
      ? { projects: parseProjectsDocument(read.value).projects, eTag: read.file.eTag }
      : { projects: [], eTag: null };
    return state.cache;
  }
  try {
    const { value, file } = await state.storage.readJson<unknown>(PROJECTS_FILE);
    state.cache = { projects: parseProjectsDocument(value).projects, eTag: file.eTag };
  } catch (error) {
    if (!(error instanceof SeptError && error.code === "not_found")) throw error;
    state.cache = { projects: [], eTag: null };
  }
  return state.cache;
}

async function logChanges(
  state: CatalogueFile,
  changes: NonNullable<Outcome<unknown>["changes"]>,
  at: string,
): Promise<void> {
  for (const { projectId, change } of changes) {
    await state.activity.append({
      id: crypto.randomUUID(),
      at,
      kind: "settings_changed",
      outcome: "success",
      refs: { projectId },
      projectId,
      details: { change },
    });
  }
}

/** Applies a change to the stored catalogue, re-read and applied again after each lost race. */
async function run<R>(state: CatalogueFile, apply: Apply<R>): Promise<R> {
  let fresh = state.cache === null;
  let snapshot = state.cache ?? (await load(state));
  const { outcome, at, landed } = await retryLostRaces(
    async (guarded, attempt) => {
      // After a lost race: the other pane's state, read afresh.
      if (attempt > 1) [snapshot, fresh] = [await load(state), true];
      for (;;) {
        const at = state.now().toISOString();
        let outcome: Outcome<R>;
        try {
          outcome = apply(snapshot.projects, at);
        } catch (error) {
          // A refusal judged on the cached copy may be out of date: judge the stored one.
          if (fresh) throw error;
          [snapshot, fresh] = [await load(state), true];
          continue;
        }
        if (!outcome.projects) {
          // Nothing to change, by the cached copy: make sure of it on the stored one.
          if (!fresh) {
            [snapshot, fresh] = [await load(state), true];
            continue;
          }
          // After a failed write of ours, its answer may be what was lost: the change landed.
          return { outcome, at, landed: attempt > 1 };
        }
        const doc: ProjectsDocument = { schema: 1, projects: outcome.projects };
        const file = await guarded(
          state.storage.writeJson(PROJECTS_FILE, doc, writeGuard(snapshot.eTag)),
        );
        state.cache = { projects: outcome.projects, eTag: file.eTag };
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
  if (landed && outcome.changes) await logChanges(state, outcome.changes, at);
  return outcome.result;
}

/** One change at a time per pane: racing itself would only cost this pane extra rounds. */
export function mutate<R>(state: CatalogueFile, apply: Apply<R>): Promise<R> {
  const next = state.queue.then(
    () => run(state, apply),
    () => run(state, apply),
  );
  state.queue = next.catch(() => undefined);
  return next;
}
