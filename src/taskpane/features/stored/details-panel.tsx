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
import { useI18n } from "../../shared/i18n.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { projectOptions } from "../../shared/panel.js";
import { projectName, type ProjectOption } from "../../shared/projects.js";
import type { StoredEmail } from "./facade.js";
import { formatBytes } from "../../shared/format.js";
import { expiryText } from "./expiry.js";
import { useDetailsForm, type Correction } from "./use-details-form.js";

const useStyles = makeStyles({
  fields: { display: "grid", gridTemplateColumns: "auto 1fr", gap: "4px 8px", margin: 0 },
  label: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: "anywhere" },
  actions: { display: "flex", gap: "8px", flexWrap: "wrap" },
});

/** One term of the details list, its value shown as text. */
function DetailsField(props: { label: string; value: string; testId?: string }) {
  const styles = useStyles();
  return (
    <>
      <dt className={styles.label}>
        <Caption1>{props.label}</Caption1>
      </dt>
      <dd className={styles.value} data-testid={props.testId}>
        <Body1>{props.value}</Body1>
      </dd>
    </>
  );
}

/** What was stored of the email and when it goes: sender, dates, content or not, size, expiry. */
function DetailsFields(props: { entry: StoredEmail; now: number }) {
  const styles = useStyles();
  const { t, language, formatDate } = useI18n();
  const { entry } = props;
  return (
    <dl className={styles.fields}>
      <DetailsField
        label={t("stored.details.from")}
        value={entry.from ? `${entry.from.name} <${entry.from.address}>` : ""}
      />
      <DetailsField
        label={t("stored.details.received")}
        value={entry.receivedDateTime ? formatDate(entry.receivedDateTime) : ""}
      />
      <DetailsField label={t("stored.details.saved")} value={formatDate(entry.savedAt)} />
      <DetailsField
        label={t("stored.details.stored")}
        value={entry.contentStored ? t("stored.withContent") : t("stored.metadataOnly")}
      />
      <DetailsField
        label={t("stored.details.size")}
        value={formatBytes(entry.sizeBytes, language)}
      />
      <DetailsField
        label={t("stored.details.expires")}
        value={expiryText(entry.expiresAt, props.now, t)}
        testId="details-expiry"
      />
    </dl>
  );
}

/** Save the correction, download the original (when its content is stored), delete, close. */
function DetailsActions(props: {
  changed: boolean;
  contentStored: boolean;
  onSave(): void;
  onDownload(): void;
  onDelete(): void;
  onClose(): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <div className={styles.actions}>
      <Button
        appearance="primary"
        disabled={!props.changed}
        onClick={props.onSave}
        data-testid="details-save"
      >
        {t("stored.details.saveChanges")}
      </Button>
      {props.contentStored && (
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
  );
}

/** One stored email: every field shown as text, with correction, download and delete. */
export function DetailsPanel(props: {
  entry: StoredEmail;
  projects: ProjectOption[];
  now: number;
  onCorrect(change: Correction): Promise<void>;
  onDownload(): void;
  onDelete(): void;
  onClose(): void;
}) {
  const panel = usePanelStyles();
  const { t } = useI18n();
  const { entry } = props;
  const form = useDetailsForm(entry, props.onCorrect);

  return (
    <section
      ref={form.section}
      tabIndex={-1}
      className={panel.panel}
      aria-labelledby="details-subject"
      data-testid="stored-details"
    >
      <Subtitle2 as="h3" id="details-subject">
        {entry.subject || t("message.noSubject")}
      </Subtitle2>
      <DetailsFields entry={entry} now={props.now} />
      <Field label={t("stored.details.project")}>
        <Dropdown
          value={projectName(props.projects, form.projectId)}
          selectedOptions={[form.projectId]}
          onOptionSelect={(_, d) => d.optionValue && form.setProjectId(d.optionValue)}
          data-testid="details-project"
        >
          {projectOptions(props.projects)}
        </Dropdown>
      </Field>
      <Field label={t("stored.details.note")}>
        <Textarea
          value={form.note}
          maxLength={2000}
          onChange={(_, d) => form.setNote(d.value)}
          data-testid="details-note"
        />
      </Field>
      <DetailsActions
        changed={form.changed}
        contentStored={entry.contentStored}
        onSave={form.submit}
        onDownload={props.onDownload}
        onDelete={props.onDelete}
        onClose={props.onClose}
      />
      {form.saved && <Caption1 role="status">{t("stored.details.changesSaved")}</Caption1>}
    </section>
  );
}
