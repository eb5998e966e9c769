import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle1,
  makeStyles,
} from "@fluentui/react-components";
import type { ComponentProps, ReactNode } from "react";
import { downloadFile } from "../../shared/download.js";
import { useI18n } from "../../shared/i18n.js";
import { ErrorBar } from "../../shared/panel.js";
import type { ProjectOption } from "../../shared/projects.js";
import { DeleteConfirm, type Confirm } from "./delete-confirm.js";
import { DetailsPanel } from "./details-panel.js";
import { ExportCard } from "./export-card.js";
import type { StoredFacade, StoredProjects } from "./facade.js";
import { RetentionCard } from "./retention-card.js";
import { StoredFilters } from "./stored-filters.js";
import { StoredList } from "./stored-list.js";
import { useStoredView } from "./use-stored-view.js";

type CatalogueEntry = ProjectOption & { archived: boolean };

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: "12px" },
  toolbar: { display: "flex", gap: "8px", flexWrap: "wrap", alignItems: "end" },
});

/** The view's heading and how many emails are stored (or read so far, while pages arrive). */
function StoredHeading(props: { count: number; loading: boolean }) {
  const { t } = useI18n();
  const { count, loading } = props;
  return (
    <>
      <Subtitle1 as="h2" id="stored-title">
        {t("stored.heading")}
      </Subtitle1>
      <Caption1
        data-testid="stored-count"
        data-state={loading ? "loading" : "done"}
        aria-live="polite"
      >
        {loading ? t("stored.loadingMore", { count }) : t("stored.count", { count })}
      </Caption1>
    </>
  );
}

/** Delete the selected emails, or everything: each asks for confirmation first. */
function DeleteToolbar(props: { selected: Set<string>; onDelete(confirm: Confirm): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { selected } = props;
  return (
    <div className={styles.toolbar}>
      <Button
        disabled={selected.size === 0}
        onClick={() => props.onDelete({ kind: "some", ids: [...selected] })}
        data-testid="delete-selected"
      >
        {t("stored.deleteSelected", { count: selected.size })}
      </Button>
      <Button onClick={() => props.onDelete({ kind: "all" })} data-testid="delete-all">
        {t("stored.deleteAll")}
      </Button>
    </div>
  );
}

/** The rows the filter leaves; or why there are none (nothing stored, or nothing matches yet). */
function StoredRows(
  props: ComponentProps<typeof StoredList> & { total: number; loading: boolean },
) {
  const { t } = useI18n();
  const { total, loading, ...list } = props;
  if (total === 0) return <Body1>{t("stored.empty")}</Body1>;
  if (list.entries.length === 0) {
    return (
      <Body1 data-testid="stored-no-match">
        {loading ? t("stored.noMatchYet") : t("stored.noMatch")}
      </Body1>
    );
  }
  return <StoredList {...list} />;
}

export interface StoredViewProps {
  stored: StoredFacade;
  projects: StoredProjects;
  /** The project catalogue's card (the projects feature's), given what this view read of it. */
  projectsCard?: (catalogue: { projects: CatalogueEntry[]; onChanged(): void }) => ReactNode;
}

/** Everything stored for the user: search, sort, filter, details, correct, delete, retention, export. */
export function StoredView(props: StoredViewProps) {
  const styles = useStyles();
  const { stored } = props;
  const view = useStoredView(stored, props.projects);
  const { entries, projects, now, loading, reload, error, open, guarded } = view;

  if (entries === null) {
    return error ? <ErrorBar error={error} /> : <Spinner size="small" />;
  }

  return (
    <section className={styles.root} aria-labelledby="stored-title" data-testid="stored-view">
      <StoredHeading count={entries.length} loading={loading} />
      <StoredFilters filter={view.filter} projects={projects} onChange={view.setFilter} />
      <DeleteToolbar selected={view.selected} onDelete={view.setConfirm} />
      {view.notice && (
        <MessageBar intent="success" data-testid="stored-notice">
          <MessageBarBody>{view.notice}</MessageBarBody>
        </MessageBar>
      )}
      <ErrorBar error={error} testId="stored-error" />
      {open && (
        <DetailsPanel
          entry={open}
          projects={projects}
          now={now}
          onCorrect={(change) => guarded(() => stored.correct(open.savedId, change))}
          onDownload={() =>
            void guarded(async () => {
              const bytes = await stored.downloadEml(open.savedId);
              downloadFile(bytes as BlobPart, `${open.savedId}.eml`, "message/rfc822");
            })
          }
          onDelete={() => view.setConfirm({ kind: "some", ids: [open.savedId] })}
          onClose={() => view.setOpenId(null)}
        />
      )}
      <StoredRows
        total={entries.length}
        loading={loading}
        entries={view.shown}
        busy={view.filtering}
        projects={projects}
        selected={view.selected}
        now={now}
        onToggle={view.toggle}
        onOpen={view.setOpenId}
      />
      <RetentionCard stored={stored} onChanged={reload} />
      {props.projectsCard?.({ projects, onChanged: reload })}
      <ExportCard stored={stored} />
      <DeleteConfirm
        confirm={view.confirm}
        total={entries.length}
        stored={stored}
        run={guarded}
        onNotice={view.setNotice}
        onDeleted={view.deleted}
        onClose={() => view.setConfirm(null)}
      />
    </section>
  );
}
