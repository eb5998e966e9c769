import {
  Body1,
  Button,
  Caption1,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Subtitle1,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ActivityEvent, ActivityKind } from "../../../core/activity/activity.js";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import { useI18n } from "../../shared/i18n.js";
import { formatBytes } from "../stored/expiry.js";
import type { ActivityCheck, ActivityFacade, ProjectOption } from "../../pane-services.js";

const KINDS: ActivityKind[] = [
  "email_saved",
  "email_deleted",
  "email_purged",
  "email_corrected",
  "data_exported",
  "consent_granted",
  "consent_withdrawn",
  "settings_changed",
];
const ALL = "all";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: "12px" },
  filters: { display: "flex", gap: "8px", flexWrap: "wrap", alignItems: "end" },
  list: {
    listStyle: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: "6px",
  },
  entry: {
    padding: "8px",
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    display: "flex",
    flexDirection: "column",
    gap: "2px",
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** The plugin activity log, newest first, with filters by kind and project. Metadata only. */
export function ActivityView(props: {
  activity: ActivityFacade;
  projects: () => Promise<ProjectOption[]>;
}) {
  const styles = useStyles();
  const { t, language, formatDate, errorText } = useI18n();
  const [events, setEvents] = useState<ActivityEvent[] | null>(null);
  const [projects, setProjects] = useState<ProjectOption[]>([]);
  const [verification, setVerification] = useState<ActivityCheck | null>(null);
  const [error, setError] = useState<SeptError | null>(null);
  const [kind, setKind] = useState<string>(ALL);
  const [project, setProject] = useState<string>(ALL);

  const load = useCallback(() => {
    setError(null);
    Promise.all([props.activity.list(), props.projects(), props.activity.verify()]).then(
      ([list, projectList, verified]) => {
        setEvents(list);
        setProjects(projectList);
        setVerification(verified);
      },
      (e: unknown) => setError(toSeptError(e)),
    );
  }, [props]);
  useEffect(load, [load]);

  const shown = useMemo(
    () =>
      (events ?? []).filter(
        (e) => (kind === ALL || e.kind === kind) && (project === ALL || e.projectId === project),
      ),
    [events, kind, project],
  );
  const projectLabel = (id: string) => projects.find((p) => p.id === id)?.name ?? id;
  const kindLabel = (k: string) =>
    k === ALL ? t("activity.all") : t(`activity.kind.${k as ActivityKind}`);

  return (
    <section className={styles.root} aria-labelledby="activity-title" data-testid="activity-view">
      <Subtitle1 as="h2" id="activity-title">
        {t("activity.heading")}
      </Subtitle1>
      {verification && (
        <MessageBar
          intent={verification.ok ? "success" : "warning"}
          data-testid="activity-verification"
        >
          <MessageBarBody>
            {verification.ok
              ? t("activity.verified")
              : t("activity.tampered", { count: verification.problems })}
          </MessageBarBody>
        </MessageBar>
      )}
      {verification && (
        // Exactly what the check can and cannot show, whatever its outcome.
        <Caption1 className={styles.muted} data-testid="activity-check-limits">
          {t("activity.checkLimits")}
          {verification.legacy
            ? ` ${t("activity.legacyChecked", { count: verification.legacy })}`
            : ""}
          {verification.consentLegacy
            ? ` ${t("activity.legacyConsent", { count: verification.consentLegacy })}`
            : ""}
        </Caption1>
      )}
      {verification?.pending ? (
        <MessageBar intent="info" data-testid="activity-pending">
          <MessageBarBody>{t("activity.pending", { count: verification.pending })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{errorText(error)}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.filters}>
        <Field label={t("activity.filterKind")}>
          <Dropdown
            value={kindLabel(kind)}
            selectedOptions={[kind]}
            onOptionSelect={(_, d) => setKind(d.optionValue ?? ALL)}
            data-testid="activity-filter-kind"
          >
            {[ALL, ...KINDS].map((k) => (
              <Option key={k} value={k}>
                {kindLabel(k)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label={t("activity.filterProject")}>
          <Dropdown
            value={project === ALL ? t("activity.all") : projectLabel(project)}
            selectedOptions={[project]}
            onOptionSelect={(_, d) => setProject(d.optionValue ?? ALL)}
            data-testid="activity-filter-project"
          >
            <Option value={ALL}>{t("activity.all")}</Option>
            {projects.map((p) => (
              <Option key={p.id} value={p.id} text={p.name}>
                {p.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button onClick={load}>{t("activity.refresh")}</Button>
      </div>
      {events === null && !error ? (
        <Spinner size="tiny" />
      ) : shown.length === 0 ? (
        <Body1 className={styles.muted}>{t("activity.empty")}</Body1>
      ) : (
        <ul className={styles.list} data-testid="activity-list">
          {shown.map((e) => (
            <li key={e.id} className={styles.entry} data-testid="activity-entry" data-kind={e.kind}>
              <Body1>
                {t(`activity.kind.${e.kind}`)}
                {e.outcome !== "success" && ` (${t(`activity.outcome.${e.outcome}`)})`}
              </Body1>
              <Caption1 className={styles.muted}>
                <time dateTime={e.at}>{formatDate(e.at)}</time>
                {e.projectId ? ` · ${projectLabel(e.projectId)}` : ""}
                {typeof e.sizeBytes === "number" ? ` · ${formatBytes(e.sizeBytes, language)}` : ""}
              </Caption1>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
