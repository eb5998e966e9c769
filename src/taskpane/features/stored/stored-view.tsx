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
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
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
import { ALL, StoredFilters, useShown, type Filter } from "./stored-filters.js";
import { StoredList } from "./stored-list.js";

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
  const load = useLoad(async () => {
    const [list, projects] = await Promise.all([stored.list(), catalogue.all()]);
    return { list, projects, now: Date.now() };
  }, [stored, catalogue]);
  const entries = load.data?.list ?? null;
  const projects = useMemo(() => load.data?.projects ?? [], [load.data]);
  const now = load.data?.now ?? 0;
  const [filter, setFilter] = useState<Filter>({ query: "", project: ALL, sort: "savedAt" });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [openId, setOpenId] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { error, reload } = load;

  // A re-read drops from the selection what is no longer stored.
  useEffect(() => {
    if (entries)
      setSelected((s) => new Set([...s].filter((id) => entries.some((e) => e.savedId === id))));
  }, [entries]);
  const shown = useShown(entries, projects, filter);
  const open = entries?.find((e) => e.savedId === openId) ?? null;
  const guarded = useCallback(
    async (action: () => Promise<void>) => {
      await load.run(action);
      reload();
    },
    [load, reload],
  );

  if (entries === null) {
    return error ? <ErrorBar error={error} /> : <Spinner size="small" />;
  }

  return (
    <section className={styles.root} aria-labelledby="stored-title" data-testid="stored-view">
      <Subtitle1 as="h2" id="stored-title">
        {t("stored.heading")}
      </Subtitle1>
      <Caption1 data-testid="stored-count">{t("stored.count", { count: entries.length })}</Caption1>
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
        <Body1>{t("stored.noMatch")}</Body1>
      ) : (
        <StoredList
          entries={shown}
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
