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
import { useCallback, useDeferredValue, useEffect, useMemo, useState, type ReactNode } from "react";
import { RECYCLE_BIN_RETENTION_DAYS } from "../../../core/ports/storage.js";
import { ConfirmDialog } from "../../shared/confirm-dialog.js";
import { downloadFile } from "../../shared/download.js";
import { useI18n } from "../../shared/i18n.js";
import { ErrorBar } from "../../shared/panel.js";
import type { ProjectOption } from "../../shared/projects.js";
import { useLoad } from "../../shared/use-load.js";
import { DetailsPanel } from "./details-panel.js";
import { ExportCard } from "./export-card.js";
import type { StoredFacade, StoredProjects } from "./facade.js";
import { RetentionCard } from "./retention-card.js";
import { ALL, StoredFilters, useSearchWarmUp, useShown, type Filter } from "./stored-filters.js";
import { StoredList } from "./stored-list.js";
import { useStoredPages } from "./use-stored-pages.js";

type CatalogueEntry = ProjectOption & { archived: boolean };

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: "12px" },
  toolbar: { display: "flex", gap: "8px", flexWrap: "wrap", alignItems: "end" },
});

type Confirm = { kind: "some"; ids: string[] } | { kind: "all" } | null;

/** "Delete these?" / "Delete everything?", then the deletion and a notice of what happened. */
function DeleteConfirm(props: {
  confirm: Confirm;
  total: number;
  stored: StoredFacade;
  run(action: () => Promise<void>): Promise<void>;
  onNotice(notice: string): void;
  onDeleted(ids: string[]): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const { confirm, stored } = props;
  // Where Microsoft 365 refused a permanent delete, say where the items are instead.
  const recycledNotice = () => {
    const count = stored.recycled?.() ?? 0;
    return count > 0 ? t("storage.recycled", { count, days: RECYCLE_BIN_RETENTION_DAYS }) : null;
  };
  return (
    <ConfirmDialog
      open={confirm !== null}
      title={
        confirm?.kind === "all"
          ? t("stored.confirm.all.title")
          : confirm && confirm.ids.length === 1
            ? t("stored.confirm.one.title")
            : t("stored.confirm.many.title", {
                count: confirm?.kind === "some" ? confirm.ids.length : 0,
              })
      }
      body={
        confirm?.kind === "all"
          ? t("stored.confirm.all.body", { count: props.total })
          : t("stored.confirm.body")
      }
      confirm={t("stored.confirm.delete")}
      cancel={t("stored.confirm.cancel")}
      onConfirm={() =>
        props.run(async () => {
          if (confirm?.kind === "all") {
            await stored.removeAllMyData();
            props.onNotice(recycledNotice() ?? t("stored.allDeleted"));
          } else if (confirm) {
            const count = await stored.remove(confirm.ids);
            props.onNotice(recycledNotice() ?? t("stored.deleted", { count }));
            props.onDeleted(confirm.ids);
          }
        })
      }
      onClose={props.onClose}
    />
  );
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
  const { t } = useI18n();
  const { stored, projects: catalogue } = props;
  const pages = useStoredPages(stored, catalogue);
  const { entries, projects, now, loading, reload } = pages;
  // The view's actions (correct, delete, download) keep their own failure.
  const actions = useLoad();
  const error = actions.error ?? pages.error;
  const [filter, setFilter] = useState<Filter>({ query: "", project: ALL, sort: "savedAt" });
  // Typing updates the search box at once; the list follows in an interruptible render.
  const shownFilter = useDeferredValue(filter);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [openId, setOpenId] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // A finished re-read drops from the selection what is no longer stored.
  useEffect(() => {
    if (!entries || loading) return;
    const ids = new Set(entries.map((e) => e.savedId));
    setSelected((s) => (s.size === 0 ? s : new Set([...s].filter((id) => ids.has(id)))));
  }, [entries, loading]);
  const shown = useShown(entries, projects, shownFilter);
  useSearchWarmUp(entries);
  const open = useMemo(
    () => (openId === null ? null : (entries?.find((e) => e.savedId === openId) ?? null)),
    [entries, openId],
  );
  const guarded = useCallback(
    async (action: () => Promise<void>) => {
      await actions.run(action);
      reload();
    },
    [actions, reload],
  );

  if (entries === null) {
    return error ? <ErrorBar error={error} /> : <Spinner size="small" />;
  }

  return (
    <section className={styles.root} aria-labelledby="stored-title" data-testid="stored-view">
      <Subtitle1 as="h2" id="stored-title">
        {t("stored.heading")}
      </Subtitle1>
      <Caption1
        data-testid="stored-count"
        data-state={loading ? "loading" : "done"}
        aria-live="polite"
      >
        {loading
          ? t("stored.loadingMore", { count: entries.length })
          : t("stored.count", { count: entries.length })}
      </Caption1>
      <StoredFilters filter={filter} projects={projects} onChange={setFilter} />
      <div className={styles.toolbar}>
        <Button
          disabled={selected.size === 0}
          onClick={() => setConfirm({ kind: "some", ids: [...selected] })}
          data-testid="delete-selected"
        >
          {t("stored.deleteSelected", { count: selected.size })}
        </Button>
        <Button onClick={() => setConfirm({ kind: "all" })} data-testid="delete-all">
          {t("stored.deleteAll")}
        </Button>
      </div>
      {notice && (
        <MessageBar intent="success" data-testid="stored-notice">
          <MessageBarBody>{notice}</MessageBarBody>
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
          onDelete={() => setConfirm({ kind: "some", ids: [open.savedId] })}
          onClose={() => setOpenId(null)}
        />
      )}
      {entries.length === 0 ? (
        <Body1>{t("stored.empty")}</Body1>
      ) : shown.length === 0 ? (
        <Body1 data-testid="stored-no-match">
          {loading ? t("stored.noMatchYet") : t("stored.noMatch")}
        </Body1>
      ) : (
        <StoredList
          entries={shown}
          busy={shownFilter !== filter}
          projects={projects}
          selected={selected}
          now={now}
          onToggle={(id) =>
            setSelected((s) => {
              const next = new Set(s);
              if (!next.delete(id)) next.add(id);
              return next;
            })
          }
          onOpen={setOpenId}
        />
      )}
      <RetentionCard stored={stored} onChanged={reload} />
      {props.projectsCard?.({ projects, onChanged: reload })}
      <ExportCard stored={stored} />
      <DeleteConfirm
        confirm={confirm}
        total={entries.length}
        stored={stored}
        run={guarded}
        onNotice={setNotice}
        onDeleted={(ids) => openId && ids.includes(openId) && setOpenId(null)}
        onClose={() => setConfirm(null)}
      />
    </section>
  );
}
