import { useEffect, useRef, useState } from "react";
import type { Purpose } from "../../../core/consent/consent.js";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import type { MessageSummary } from "../../../core/message.js";
import { projectName } from "../../shared/projects.js";
import { useLoad } from "../../shared/use-load.js";
import type {
  BulkItemResult,
  OtherMessage,
  SaveOutcome,
  SaveProjects,
  SavingFacade,
} from "./facade.js";

export type SaveRunStatus =
  | { phase: "idle" }
  | { phase: "saving"; percent: number | null }
  | { phase: "done"; outcome: SaveOutcome; projectName: string }
  | { phase: "failed"; error: SeptError }
  | { phase: "many"; running: boolean; total: number; results: BulkItemResult[] };

/**
 * One save from the panel, alone or with the ticked others: its status as it goes, and a way to
 * cancel it. A new open message starts from idle; closing the panel cancels a save in progress.
 */
function useSaveRun(props: {
  message: MessageSummary;
  saving: SavingFacade;
  ticked: OtherMessage[];
  includeContent: boolean;
  /** After a save that went through: where the message is stored now is read again. */
  onSaved(): Promise<void>;
}) {
  const { message, saving, ticked, includeContent } = props;
  const [status, setStatus] = useState<SaveRunStatus>({ phase: "idle" });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => setStatus({ phase: "idle" }), [message, saving]);
  useEffect(() => () => abort.current?.abort(), []);

  const saveMany = async (projectId: string) => {
    const controller = new AbortController();
    abort.current = controller;
    const total = ticked.length + 1;
    let results: BulkItemResult[] = [];
    setStatus({ phase: "many", running: true, total, results });
    try {
      await saving.saveMany(message, ticked, projectId, includeContent, {
        signal: controller.signal,
        onResult: (result) => {
          results = [...results, result];
          setStatus({ phase: "many", running: true, total, results });
        },
      });
      setStatus({ phase: "many", running: false, total, results });
      await props.onSaved();
    } catch (error) {
      setStatus({ phase: "failed", error: toSeptError(error) });
    }
  };

  const save = async (projectId: string, name: string) => {
    if (ticked.length > 0) return saveMany(projectId);
    const controller = new AbortController();
    abort.current = controller;
    setStatus({ phase: "saving", percent: null });
    try {
      const outcome = await saving.save(message, projectId, includeContent, {
        signal: controller.signal,
        onProgress: ({ sent, total }) =>
          setStatus({ phase: "saving", percent: total ? Math.round((sent / total) * 100) : null }),
      });
      setStatus({ phase: "done", outcome, projectName: name });
      await props.onSaved();
    } catch (error) {
      setStatus({ phase: "failed", error: toSeptError(error) });
    }
  };
  const busy = status.phase === "saving" || (status.phase === "many" && status.running);
  return { status, busy, save, cancel: () => abort.current?.abort() };
}

/**
 * Everything the save panel holds: what it read (projects, stored copies, the suggestion), the
 * user's choices (project, content, the ticked others) and the save run. A new open message
 * reads again and keeps the chosen project; the suggested one fills in only when none is chosen.
 */
export function useSaveFlow(props: {
  message: MessageSummary;
  saving: SavingFacade;
  projects: SaveProjects;
  grantedPurposes: readonly Purpose[];
}) {
  const { message, saving, projects: catalogue } = props;
  const [projectId, setProjectId] = useState<string | null>(null);
  const contentConsented = props.grantedPurposes.includes("email_content");
  const contentAllowed = contentConsented && saving.contentAllowedByOrg();
  const [includeContent, setIncludeContent] = useState(contentAllowed);
  const [ticked, setTicked] = useState<OtherMessage[]>([]);

  const load = useLoad(
    async () => {
      const [projects, copies, suggestion] = await Promise.all([
        catalogue.list(),
        saving.savedCopies(message),
        saving.suggest(message),
      ]);
      return { projects, copies, suggestion };
    },
    [message, saving, catalogue],
    { onLoaded: ({ suggestion }) => setProjectId((id) => id ?? suggestion?.projectId ?? null) },
  );
  const projects = load.data?.projects ?? null;
  const savedAgain = async () => {
    const saved = await saving.savedCopies(message);
    load.update((data) => ({ ...data, copies: saved }));
  };

  const run = useSaveRun({
    message,
    saving,
    ticked,
    includeContent: includeContent && contentAllowed,
    onSaved: savedAgain,
  });
  const save = () => {
    if (!projectId || !projects) return;
    void run.save(projectId, projectName(projects, projectId));
  };

  const createProject = async (name: string) => {
    await load.run(async () => {
      const created = await catalogue.create(name);
      const list = await catalogue.list();
      load.update((data) => ({ ...data, projects: list }));
      setProjectId(created.id);
    });
  };

  return {
    loadError: load.error,
    projects,
    copies: load.data?.copies ?? [],
    suggestion: load.data?.suggestion ?? null,
    projectId,
    setProjectId,
    contentConsented,
    contentAllowed,
    includeContent,
    setIncludeContent,
    ticked,
    setTicked,
    run,
    save,
    createProject,
  };
}
