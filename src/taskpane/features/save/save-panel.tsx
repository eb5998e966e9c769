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
import type { Purpose } from "../../../core/consent/consent.js";
import type { MessageSummary } from "../../../core/message.js";
import type { ProjectSuggestion } from "../../../core/projects.js";
import { useI18n } from "../../shared/i18n.js";
import { ErrorBar, Panel } from "../../shared/panel.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { projectName, type ProjectOption } from "../../shared/projects.js";
import type { OtherMessagesFacade, SavedCopy, SaveProjects, SavingFacade } from "./facade.js";
import { BulkResults, OtherMessages } from "./other-messages.js";
import { ProjectPicker } from "./project-picker.js";
import { useSaveFlow, type SaveRunStatus } from "./use-save-flow.js";

const useStyles = makeStyles({
  row: { display: "flex", gap: "8px", alignItems: "center", flexWrap: "wrap" },
});

/** How the save goes: progress, then its result (or one result per message of several). */
function SaveStatus(props: { status: SaveRunStatus }) {
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
              {status.outcome.eventPending && (
                <>
                  {" "}
                  <span data-testid="save-event-pending">{t("save.eventPending")}</span>
                </>
              )}
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

/** Where the open message is stored already, with the day of each save. */
function AlreadySaved(props: { copies: SavedCopy[]; projects: ProjectOption[] }) {
  const { t, formatDate } = useI18n();
  const { copies, projects } = props;
  if (copies.length === 0) return null;
  return (
    <MessageBar intent="info" data-testid="already-saved">
      <MessageBarBody>
        {t("save.alreadyIn", {
          projects: copies
            .map((c) => `${projectName(projects, c.projectId)} (${formatDate(c.savedAt)})`)
            .join(", "),
        })}
      </MessageBarBody>
    </MessageBar>
  );
}

/** The suggested project and why, with a link to pick it while another one is chosen. */
function SuggestionNote(props: {
  suggestion: ProjectSuggestion | null;
  projects: ProjectOption[];
  projectId: string | null;
  onUse(projectId: string): void;
}) {
  const panel = usePanelStyles();
  const { t } = useI18n();
  const { suggestion } = props;
  const suggestedName = suggestion ? projectName(props.projects, suggestion.projectId) : null;
  if (!suggestion || !suggestedName) return null;
  return (
    <Caption1 className={panel.muted} data-testid="project-suggestion">
      {t(`save.suggestion.${suggestion.reason}`, {
        count: suggestion.count,
        project: suggestedName,
      })}{" "}
      {props.projectId !== suggestion.projectId && (
        <Link as="button" onClick={() => props.onUse(suggestion.projectId)}>
          {t("save.useSuggestion", { project: suggestedName })}
        </Link>
      )}
    </Caption1>
  );
}

/** Content or metadata only: a switch when content may be saved, else the reason it may not. */
function ContentChoice(props: {
  allowed: boolean;
  consented: boolean;
  checked: boolean;
  onChange(checked: boolean): void;
  disabled: boolean;
}) {
  const panel = usePanelStyles();
  const { t } = useI18n();
  if (props.allowed) {
    return (
      <Switch
        checked={props.checked}
        onChange={(_, d) => props.onChange(d.checked)}
        label={t("save.includeContent")}
        disabled={props.disabled}
        data-testid="include-content"
      />
    );
  }
  return (
    <Caption1 className={panel.muted} data-testid="content-not-allowed">
      {t(props.consented ? "save.contentNotAllowedOrg" : "save.contentNotAllowed")}
    </Caption1>
  );
}

/** The save button (for one message or several), cancel while a save runs, and what is missing. */
function SaveActions(props: {
  chosen: boolean;
  busy: boolean;
  ticked: number;
  onSave(): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t } = useI18n();
  const { busy, ticked } = props;
  return (
    <div className={styles.row}>
      <Button
        appearance="primary"
        disabled={!props.chosen || busy}
        onClick={props.onSave}
        data-testid="save-button"
      >
        {busy
          ? t("save.saving")
          : ticked > 0
            ? t("more.button", { count: ticked + 1 })
            : t("save.button")}
      </Button>
      {busy && (
        <Button onClick={props.onCancel} data-testid="save-cancel">
          {t("save.cancel")}
        </Button>
      )}
      {!props.chosen && <Body1 className={panel.muted}>{t("save.chooseProject")}</Body1>}
    </div>
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
  const { t } = useI18n();
  const flow = useSaveFlow(props);
  const { projects, projectId, run } = flow;
  const { busy } = run;

  if (!projects) {
    return flow.loadError ? <ErrorBar error={flow.loadError} /> : <Spinner size="tiny" />;
  }

  return (
    <Panel id="save-heading" title={t("save.heading")} testId="save-panel" level="h2">
      <AlreadySaved copies={flow.copies} projects={projects} />
      <ProjectPicker
        projects={projects}
        value={projectId}
        onChange={flow.setProjectId}
        onCreate={flow.createProject}
        disabled={busy}
      />
      <SuggestionNote
        suggestion={flow.suggestion}
        projects={projects}
        projectId={projectId}
        onUse={flow.setProjectId}
      />
      <ContentChoice
        allowed={flow.contentAllowed}
        consented={flow.contentConsented}
        checked={flow.includeContent}
        onChange={flow.setIncludeContent}
        disabled={busy}
      />
      <OtherMessages
        message={props.message}
        finder={props.otherMessages}
        ticked={flow.ticked}
        onTickedChange={flow.setTicked}
        disabled={busy}
      />
      <SaveActions
        chosen={Boolean(projectId)}
        busy={busy}
        ticked={flow.ticked.length}
        onSave={flow.save}
        onCancel={run.cancel}
      />
      <SaveStatus status={run.status} />
    </Panel>
  );
}
