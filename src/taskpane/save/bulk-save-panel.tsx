import {
  Body1,
  Button,
  Caption1,
  ProgressBar,
  Subtitle2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import type { Purpose } from "../../core/consent/consent.js";
import { useI18n } from "../i18n.js";
import { usePanelStyles } from "../panel-styles.js";
import type { BulkItemResult, ProjectOption, SavingFacade } from "../pane-services.js";
import { ProjectPicker } from "./project-picker.js";

const useStyles = makeStyles({
  results: {
    listStyle: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: "4px",
  },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

/** Several messages selected in Outlook (up to 100): one project, a progress bar, a result each. */
export function BulkSavePanel(props: {
  items: Array<{ itemId: string; subject: string }>;
  saving: SavingFacade;
  grantedPurposes: readonly Purpose[];
}) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t, errorText } = useI18n();
  const [projects, setProjects] = useState<ProjectOption[]>([]);
  const [projectId, setProjectId] = useState<string | null>(null);
  const [results, setResults] = useState<BulkItemResult[]>([]);
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const includeContent =
    props.grantedPurposes.includes("email_content") && props.saving.contentAllowedByOrg();

  useEffect(() => {
    void props.saving.projects().then(setProjects, () => setProjects([]));
  }, [props.saving]);
  useEffect(() => () => abort.current?.abort(), []);

  const run = async () => {
    if (!projectId) return;
    const controller = new AbortController();
    abort.current = controller;
    setResults([]);
    setRunning(true);
    try {
      await props.saving.saveMany(props.items, projectId, includeContent, {
        signal: controller.signal,
        onResult: (r) => setResults((prev) => [...prev, r]),
      });
    } finally {
      setRunning(false);
    }
  };

  const count = (status: BulkItemResult["status"]) =>
    results.filter((r) => r.status === status).length;

  return (
    <section className={panel.panel} aria-labelledby="bulk-heading" data-testid="bulk-save-panel">
      <Subtitle2 as="h2" id="bulk-heading">
        {t("bulk.heading", { count: props.items.length })}
      </Subtitle2>
      <ProjectPicker
        projects={projects}
        value={projectId}
        onChange={setProjectId}
        onCreate={async (name) => {
          const created = await props.saving.createProject(name);
          setProjects(await props.saving.projects());
          setProjectId(created.id);
        }}
        disabled={running}
      />
      <div>
        <Button
          appearance="primary"
          disabled={!projectId || running}
          onClick={() => void run()}
          data-testid="bulk-save-button"
        >
          {t("bulk.button", { count: props.items.length })}
        </Button>{" "}
        {running && <Button onClick={() => abort.current?.abort()}>{t("save.cancel")}</Button>}
      </div>
      {(running || results.length > 0) && (
        <>
          <ProgressBar
            value={results.length / props.items.length}
            aria-label={t("bulk.progress", { done: results.length, total: props.items.length })}
          />
          <Caption1 aria-live="polite" data-testid="bulk-progress">
            {running
              ? t("bulk.progress", { done: results.length, total: props.items.length })
              : t("bulk.summary", {
                  saved: count("saved"),
                  already: count("already_saved"),
                  failed: count("failed"),
                })}
          </Caption1>
          <ul className={styles.results} data-testid="bulk-results">
            {results.map((r) => (
              <li key={r.itemId} data-status={r.status}>
                <Body1 className={r.status === "failed" ? styles.failed : undefined}>
                  {r.subject || t("message.noSubject")} —{" "}
                  {r.status === "failed"
                    ? t("bulk.result.failed", { reason: errorText(r.error) })
                    : t(`bulk.result.${r.status}`)}
                </Body1>
              </li>
            ))}
          </ul>
        </>
      )}
      {!includeContent && (
        <Caption1 className={panel.muted}>{t("save.contentNotAllowed")}</Caption1>
      )}
    </section>
  );
}
