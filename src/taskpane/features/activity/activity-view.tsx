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
import { useMemo, useState } from "react";
import type { ActivityEvent, ActivityKind } from "../../../core/activity/activity.js";
import { useI18n } from "../../shared/i18n.js";
import { formatBytes } from "../../shared/format.js";
import { ErrorBar, projectOptions } from "../../shared/panel.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import { projectName, type ProjectOption } from "../../shared/projects.js";
import { useLoad } from "../../shared/use-load.js";
import type { ActivityCheck, ActivityFacade, ActivityProjects } from "./facade.js";

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
  filters: { display: "flex", gap: "8px", flexWrap: "wrap", alignItems: "end" },
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

/** What the integrity check found, and exactly what it can and cannot show. */
function CheckResult(props: { verification: ActivityCheck }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { verification } = props;
  return (
    <>
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
      {/* Exactly what the check can and cannot show, whatever its outcome. */}
      <Caption1 className={styles.muted} data-testid="activity-check-limits">
        {t("activity.checkLimits")}
        {verification.legacy
          ? ` ${t("activity.legacyChecked", { count: verification.legacy })}`
          : ""}
        {verification.consentLegacy
          ? ` ${t("activity.legacyConsent", { count: verification.consentLegacy })}`
          : ""}
      </Caption1>
      {verification.pending ? (
        <MessageBar intent="info" data-testid="activity-pending">
          <MessageBarBody>{t("activity.pending", { count: verification.pending })}</MessageBarBody>
        </MessageBar>
      ) : null}
    </>
  );
}

/** What the list shows: a kind of event and a project, or ALL of either. */
interface Filter {
  kind: string;
  project: string;
}

/** The filters by kind and by project, and the refresh button. */
function ActivityFilters(props: {
  filter: Filter;
  projects: readonly ProjectOption[];
  onChange(filter: Filter): void;
  onRefresh(): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { filter, projects } = props;
  const { kind, project } = filter;
  const kindLabel = (k: string) =>
    k === ALL ? t("activity.all") : t(`activity.kind.${k as ActivityKind}`);
  return (
    <div className={styles.filters}>
      <Field label={t("activity.filterKind")}>
        <Dropdown
          value={kindLabel(kind)}
          selectedOptions={[kind]}
          onOptionSelect={(_, d) => props.onChange({ ...filter, kind: d.optionValue ?? ALL })}
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
          value={project === ALL ? t("activity.all") : projectName(projects, project)}
          selectedOptions={[project]}
          onOptionSelect={(_, d) => props.onChange({ ...filter, project: d.optionValue ?? ALL })}
          data-testid="activity-filter-project"
        >
          <Option value={ALL}>{t("activity.all")}</Option>
          {projectOptions(projects)}
        </Dropdown>
      </Field>
      <Button onClick={props.onRefresh}>{t("activity.refresh")}</Button>
    </div>
  );
}

/** The events shown, one entry each: what, when, in which project, how large. */
function ActivityList(props: { events: ActivityEvent[]; projects: readonly ProjectOption[] }) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t, language, formatDate } = useI18n();
  if (props.events.length === 0) {
    return <Body1 className={styles.muted}>{t("activity.empty")}</Body1>;
  }
  return (
    <ul className={panel.list} data-testid="activity-list">
      {props.events.map((e) => (
        <li key={e.id} className={styles.entry} data-testid="activity-entry" data-kind={e.kind}>
          <Body1>
            {t(`activity.kind.${e.kind}`)}
            {e.outcome !== "success" && ` (${t(`activity.outcome.${e.outcome}`)})`}
          </Body1>
          <Caption1 className={styles.muted}>
            <time dateTime={e.at}>{formatDate(e.at)}</time>
            {e.projectId ? ` · ${projectName(props.projects, e.projectId)}` : ""}
            {typeof e.sizeBytes === "number" ? ` · ${formatBytes(e.sizeBytes, language)}` : ""}
          </Caption1>
        </li>
      ))}
    </ul>
  );
}

/** The plugin activity log, newest first, with filters by kind and project. Metadata only. */
export function ActivityView(props: { activity: ActivityFacade; projects: ActivityProjects }) {
  const panel = usePanelStyles();
  const { t } = useI18n();
  const [filter, setFilter] = useState<Filter>({ kind: ALL, project: ALL });
  const { kind, project } = filter;
  const { activity, projects: catalogue } = props;
  const load = useLoad(
    () => Promise.all([activity.list(), catalogue.list(), activity.verify()]),
    [activity, catalogue],
  );
  const { error } = load;
  const [events, projects, verification] = load.data ?? [null, [], null];

  const shown = useMemo(
    () =>
      (events ?? []).filter(
        (e) => (kind === ALL || e.kind === kind) && (project === ALL || e.projectId === project),
      ),
    [events, kind, project],
  );

  return (
    <section className={panel.view} aria-labelledby="activity-title" data-testid="activity-view">
      <Subtitle1 as="h2" id="activity-title">
        {t("activity.heading")}
      </Subtitle1>
      {verification && <CheckResult verification={verification} />}
      <ErrorBar error={error} />
      <ActivityFilters
        filter={filter}
        projects={projects}
        onChange={setFilter}
        onRefresh={load.reload}
      />
      {events === null && !error ? (
        <Spinner size="tiny" />
      ) : (
        <ActivityList events={shown} projects={projects} />
      )}
    </section>
  );
}
