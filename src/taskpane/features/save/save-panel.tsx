import {
  Body1,
  Button,
  Caption1,
  Link,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Spinner,
  Switch,
  makeStyles,
} from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import type { Purpose } from "../../../core/consent/consent.js";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import type { MessageSummary } from "../../../core/message.js";
import { useI18n } from "../../shared/i18n.js";
import { ErrorBar, Panel } from "../../shared/panel.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { projectName } from "../../shared/projects.js";
import { useLoad } from "../../shared/use-load.js";
import type {
  BulkItemResult,
  OtherMessage,
  OtherMessagesFacade,
  SaveOutcome,
  SaveProjects,
  SavingFacade,
} from "./facade.js";
import { BulkResults, OtherMessages } from "./other-messages.js";
import { ProjectPicker } from "./project-picker.js";

const useStyles = makeStyles({
  row: { display: "flex", gap: "8px", alignItems: "center", flexWrap: "wrap" },
});

type Status =
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
  const [status, setStatus] = useState<Status>({ phase: "idle" });
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

/** How the save goes: progress, then its result (or one result per message of several). */
function SaveStatus(props: { status: Status }) {
  const { t, errorText } = useI18n();
  const { status } = props;
  return (
    <>
      {status.phase === "saving" && (
        <ProgressBar
          value={status.percent === null ? undefined : status.percent / 100}
          aria-label={
            status.percent === null
              ? t("save.saving")
              : t("save.progress", { percent: status.percent })
          }
        />
      )}
      <div aria-live="polite">
        {status.phase === "done" && (
          <MessageBar intent="success" data-testid="save-result">
            <MessageBarBody>
              {t(status.outcome.status === "saved" ? "save.saved" : "save.alreadySaved", {
                project: status.projectName,
              })}
            </MessageBarBody>
          </MessageBar>
        )}
        {status.phase === "many" && (
          <BulkResults results={status.results} total={status.total} running={status.running} />
        )}
        {status.phase === "failed" && (
          <MessageBar intent="error" data-testid="save-error">
            <MessageBarBody>{t("save.failed", { reason: errorText(status.error) })}</MessageBarBody>
          </MessageBar>
        )}
      </div>
    </>
  );
}

/**
 * Save the open message to a project: picker, suggestion, content choice, progress, result;
 * and, when the user ticks other messages of the conversation, all of them at once.
 */
export function SavePanel(props: {
  message: MessageSummary;
  saving: SavingFacade;
  projects: SaveProjects;
  otherMessages: OtherMessagesFacade;
  grantedPurposes: readonly Purpose[];
}) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t, formatDate } = useI18n();
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
  const copies = load.data?.copies ?? [];
  const suggestion = load.data?.suggestion ?? null;
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
  const { busy } = run;
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

  if (!projects) {
    return load.error ? <ErrorBar error={load.error} /> : <Spinner size="tiny" />;
  }
  const suggestedName = suggestion ? projectName(projects, suggestion.projectId) : null;

  return (
    <Panel id="save-heading" title={t("save.heading")} testId="save-panel" level="h2">
      {copies.length > 0 && (
        <MessageBar intent="info" data-testid="already-saved">
          <MessageBarBody>
            {t("save.alreadyIn", {
              projects: copies
                .map((c) => `${projectName(projects, c.projectId)} (${formatDate(c.savedAt)})`)
                .join(", "),
            })}
          </MessageBarBody>
        </MessageBar>
      )}
      <ProjectPicker
        projects={projects}
        value={projectId}
        onChange={setProjectId}
        onCreate={createProject}
        disabled={busy}
      />
      {suggestion && suggestedName && (
        <Caption1 className={panel.muted} data-testid="project-suggestion">
          {t(`save.suggestion.${suggestion.reason}`, {
            count: suggestion.count,
            project: suggestedName,
          })}{" "}
          {projectId !== suggestion.projectId && (
            <Link as="button" onClick={() => setProjectId(suggestion.projectId)}>
              {t("save.useSuggestion", { project: suggestedName })}
            </Link>
          )}
        </Caption1>
      )}
      {contentAllowed ? (
        <Switch
          checked={includeContent}
          onChange={(_, d) => setIncludeContent(d.checked)}
          label={t("save.includeContent")}
          disabled={busy}
          data-testid="include-content"
        />
      ) : (
        <Caption1 className={panel.muted} data-testid="content-not-allowed">
          {t(contentConsented ? "save.contentNotAllowedOrg" : "save.contentNotAllowed")}
        </Caption1>
      )}
      <OtherMessages
        message={message}
        finder={props.otherMessages}
        ticked={ticked}
        onTickedChange={setTicked}
        disabled={busy}
      />
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={!projectId || busy}
          onClick={save}
          data-testid="save-button"
        >
          {busy
            ? t("save.saving")
            : ticked.length > 0
              ? t("more.button", { count: ticked.length + 1 })
              : t("save.button")}
        </Button>
        {busy && (
          <Button onClick={run.cancel} data-testid="save-cancel">
            {t("save.cancel")}
          </Button>
        )}
        {!projectId && <Body1 className={panel.muted}>{t("save.chooseProject")}</Body1>}
      </div>
      <SaveStatus status={run.status} />
    </Panel>
  );
}
