import {
  Body1,
  Button,
  Caption1,
  Link,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Spinner,
  Subtitle2,
  Switch,
  makeStyles,
} from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import type { Purpose } from "../../../core/consent/consent.js";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import type { MessageSummary } from "../../../core/message.js";
import { useI18n } from "../../shared/i18n.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import type {
  BulkItemResult,
  OtherMessage,
  OtherMessagesFacade,
  ProjectOption,
  ProjectSuggestion,
  SavedCopy,
  SaveOutcome,
  SavingFacade,
} from "../../pane-services.js";
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

export function projectName(projects: ProjectOption[], id: string): string {
  return projects.find((p) => p.id === id)?.name ?? id;
}

/**
 * Save the open message to a project: picker, suggestion, content choice, progress, result;
 * and, when the user ticks other messages of the conversation, all of them at once.
 */
export function SavePanel(props: {
  message: MessageSummary;
  saving: SavingFacade;
  otherMessages: OtherMessagesFacade;
  grantedPurposes: readonly Purpose[];
}) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t, errorText, formatDate } = useI18n();
  const { message, saving } = props;
  const [projects, setProjects] = useState<ProjectOption[] | null>(null);
  const [projectId, setProjectId] = useState<string | null>(null);
  const [suggestion, setSuggestion] = useState<ProjectSuggestion | null>(null);
  const [copies, setCopies] = useState<SavedCopy[]>([]);
  const [status, setStatus] = useState<Status>({ phase: "idle" });
  const [loadError, setLoadError] = useState<SeptError | null>(null);
  const contentConsented = props.grantedPurposes.includes("email_content");
  const contentAllowed = contentConsented && saving.contentAllowedByOrg();
  const [includeContent, setIncludeContent] = useState(contentAllowed);
  const abort = useRef<AbortController | null>(null);
  const [ticked, setTicked] = useState<OtherMessage[]>([]);

  useEffect(() => {
    let live = true;
    setStatus({ phase: "idle" });
    setLoadError(null);
    Promise.all([saving.projects(), saving.savedCopies(message), saving.suggest(message)]).then(
      ([list, saved, suggested]) => {
        if (!live) return;
        setProjects(list);
        setCopies(saved);
        setSuggestion(suggested);
        setProjectId((current) => current ?? suggested?.projectId ?? null);
      },
      (error: unknown) => live && setLoadError(toSeptError(error)),
    );
    return () => {
      live = false;
    };
  }, [message, saving]);

  useEffect(() => () => abort.current?.abort(), []);

  const saveMany = async (projectId: string) => {
    const controller = new AbortController();
    abort.current = controller;
    const total = ticked.length + 1;
    let results: BulkItemResult[] = [];
    setStatus({ phase: "many", running: true, total, results });
    try {
      await saving.saveMany(message, ticked, projectId, includeContent && contentAllowed, {
        signal: controller.signal,
        onResult: (result) => {
          results = [...results, result];
          setStatus({ phase: "many", running: true, total, results });
        },
      });
      setStatus({ phase: "many", running: false, total, results });
      setCopies(await saving.savedCopies(message));
    } catch (error) {
      setStatus({ phase: "failed", error: toSeptError(error) });
    }
  };

  const save = async () => {
    if (!projectId || !projects) return;
    if (ticked.length > 0) return saveMany(projectId);
    const controller = new AbortController();
    abort.current = controller;
    setStatus({ phase: "saving", percent: null });
    try {
      const outcome = await saving.save(message, projectId, includeContent && contentAllowed, {
        signal: controller.signal,
        onProgress: ({ sent, total }) =>
          setStatus({ phase: "saving", percent: total ? Math.round((sent / total) * 100) : null }),
      });
      setStatus({ phase: "done", outcome, projectName: projectName(projects, projectId) });
      setCopies(await saving.savedCopies(message));
    } catch (error) {
      setStatus({ phase: "failed", error: toSeptError(error) });
    }
  };

  const createProject = async (name: string) => {
    try {
      const created = await saving.createProject(name);
      setProjects(await saving.projects());
      setProjectId(created.id);
    } catch (error) {
      setLoadError(toSeptError(error));
    }
  };

  if (!projects) {
    return loadError ? (
      <MessageBar intent="error">
        <MessageBarBody>{errorText(loadError)}</MessageBarBody>
      </MessageBar>
    ) : (
      <Spinner size="tiny" />
    );
  }
  const busy = status.phase === "saving" || (status.phase === "many" && status.running);
  const suggestedName = suggestion ? projectName(projects, suggestion.projectId) : null;

  return (
    <section className={panel.panel} aria-labelledby="save-heading" data-testid="save-panel">
      <Subtitle2 as="h2" id="save-heading">
        {t("save.heading")}
      </Subtitle2>
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
          onClick={() => void save()}
          data-testid="save-button"
        >
          {busy
            ? t("save.saving")
            : ticked.length > 0
              ? t("more.button", { count: ticked.length + 1 })
              : t("save.button")}
        </Button>
        {busy && (
          <Button onClick={() => abort.current?.abort()} data-testid="save-cancel">
            {t("save.cancel")}
          </Button>
        )}
        {!projectId && <Body1 className={panel.muted}>{t("save.chooseProject")}</Body1>}
      </div>
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
    </section>
  );
}
