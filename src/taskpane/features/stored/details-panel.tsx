import {
  Body1,
  Button,
  Caption1,
  Dropdown,
  Field,
  Subtitle2,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { useI18n } from "../../shared/i18n.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { projectOptions } from "../../shared/panel.js";
import { projectName, type ProjectOption } from "../../shared/projects.js";
import type { StoredEmail } from "./facade.js";
import { formatBytes } from "../../shared/format.js";
import { expiryText } from "./expiry.js";

const useStyles = makeStyles({
  fields: { display: "grid", gridTemplateColumns: "auto 1fr", gap: "4px 8px", margin: 0 },
  label: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: "anywhere" },
  actions: { display: "flex", gap: "8px", flexWrap: "wrap" },
});

/** One stored email: every field shown as text, with correction, download and delete. */
export function DetailsPanel(props: {
  entry: StoredEmail;
  projects: ProjectOption[];
  now: number;
  onCorrect(change: { projectId?: string; note?: string }): Promise<void>;
  onDownload(): void;
  onDelete(): void;
  onClose(): void;
}) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t, language, formatDate } = useI18n();
  const { entry } = props;
  const [projectId, setProjectId] = useState(entry.projectId);
  const [note, setNote] = useState(entry.note ?? "");
  const [saved, setSaved] = useState(false);
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    setProjectId(entry.projectId);
    setNote(entry.note ?? "");
    setSaved(false);
  }, [entry]);
  // Opening an email moves focus to its details, so keyboard and screen-reader users land there.
  useEffect(() => {
    section.current?.focus();
  }, [entry.savedId]);
  const changed = projectId !== entry.projectId || note !== (entry.note ?? "");

  const field = (label: string, value: string, testId?: string) => (
    <>
      <dt className={styles.label}>
        <Caption1>{label}</Caption1>
      </dt>
      <dd className={styles.value} data-testid={testId}>
        <Body1>{value}</Body1>
      </dd>
    </>
  );

  return (
    <section
      ref={section}
      tabIndex={-1}
      className={panel.panel}
      aria-labelledby="details-subject"
      data-testid="stored-details"
    >
      <Subtitle2 as="h3" id="details-subject">
        {entry.subject || t("message.noSubject")}
      </Subtitle2>
      <dl className={styles.fields}>
        {field(
          t("stored.details.from"),
          entry.from ? `${entry.from.name} <${entry.from.address}>` : "",
        )}
        {field(
          t("stored.details.received"),
          entry.receivedDateTime ? formatDate(entry.receivedDateTime) : "",
        )}
        {field(t("stored.details.saved"), formatDate(entry.savedAt))}
        {field(
          t("stored.details.stored"),
          entry.contentStored ? t("stored.withContent") : t("stored.metadataOnly"),
        )}
        {field(t("stored.details.size"), formatBytes(entry.sizeBytes, language))}
        {field(
          t("stored.details.expires"),
          expiryText(entry.expiresAt, props.now, t),
          "details-expiry",
        )}
      </dl>
      <Field label={t("stored.details.project")}>
        <Dropdown
          value={projectName(props.projects, projectId)}
          selectedOptions={[projectId]}
          onOptionSelect={(_, d) => d.optionValue && setProjectId(d.optionValue)}
          data-testid="details-project"
        >
          {projectOptions(props.projects)}
        </Dropdown>
      </Field>
      <Field label={t("stored.details.note")}>
        <Textarea
          value={note}
          maxLength={2000}
          onChange={(_, d) => setNote(d.value)}
          data-testid="details-note"
        />
      </Field>
      <div className={styles.actions}>
        <Button
          appearance="primary"
          disabled={!changed}
          onClick={() =>
            void props
              .onCorrect({
                ...(projectId !== entry.projectId ? { projectId } : {}),
                ...(note !== (entry.note ?? "") ? { note } : {}),
              })
              .then(() => setSaved(true))
          }
          data-testid="details-save"
        >
          {t("stored.details.saveChanges")}
        </Button>
        {entry.contentStored && (
          <Button onClick={props.onDownload} data-testid="details-download">
            {t("stored.download")}
          </Button>
        )}
        <Button onClick={props.onDelete} data-testid="details-delete">
          {t("stored.delete")}
        </Button>
        <Button appearance="subtle" onClick={props.onClose}>
          {t("stored.details.close")}
        </Button>
      </div>
      {saved && <Caption1 role="status">{t("stored.details.changesSaved")}</Caption1>}
    </section>
  );
}
