import {
  Body1,
  Button,
  Caption1,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  Option,
  SearchBox,
  Spinner,
  Subtitle1,
  makeStyles,
} from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { RECYCLE_BIN_RETENTION_DAYS } from "../../../core/ports/storage.js";
import { ConfirmDialog } from "../../shared/confirm-dialog.js";
import { downloadFile } from "../../shared/download.js";
import { useI18n } from "../../shared/i18n.js";
import { projectName, type ProjectOption } from "../../shared/projects.js";
import { useLoad } from "../../shared/use-load.js";
import { DetailsPanel } from "./details-panel.js";
import { ExportCard } from "./export-card.js";
import type { StoredEmail as StoredEntry, StoredFacade, StoredProjects } from "./facade.js";
import { RetentionCard } from "./retention-card.js";
import { StoredList } from "./stored-list.js";

type SortKey = "savedAt" | "receivedAt" | "subject" | "expiresAt";
const SORT_KEYS: SortKey[] = ["savedAt", "receivedAt", "subject", "expiresAt"];
const ALL = "all";

type CatalogueEntry = ProjectOption & { archived: boolean };

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: "12px" },
  toolbar: { display: "flex", gap: "8px", flexWrap: "wrap", alignItems: "end" },
});

function sortEntries(entries: StoredEntry[], key: SortKey): StoredEntry[] {
  const value = (e: StoredEntry): string => {
    switch (key) {
      case "savedAt":
        return e.savedAt;
      case "receivedAt":
        return e.receivedDateTime ?? "";
      case "expiresAt":
        return e.expiresAt ?? "9999";
      case "subject":
        return e.subject.toLocaleLowerCase();
    }
  };
  const sorted = [...entries].sort((a, b) => value(a).localeCompare(value(b)));
  return key === "savedAt" || key === "receivedAt" ? sorted.reverse() : sorted;
}

interface Filter {
  query: string;
  project: string;
  sort: SortKey;
}

/** The entries the search, the project filter and the sort leave, in order. */
function useShown(entries: StoredEntry[] | null, projects: CatalogueEntry[], filter: Filter) {
  return useMemo(() => {
    const q = filter.query.trim().toLocaleLowerCase();
    const filtered = (entries ?? []).filter(
      (e) =>
        (filter.project === ALL || e.projectId === filter.project) &&
        (!q ||
          e.subject.toLocaleLowerCase().includes(q) ||
          (e.from?.name ?? "").toLocaleLowerCase().includes(q) ||
          (e.from?.address ?? "").toLocaleLowerCase().includes(q) ||
          projectName(projects, e.projectId).toLocaleLowerCase().includes(q)),
    );
    return sortEntries(filtered, filter.sort);
  }, [entries, projects, filter]);
}

/** Search, filter by project, sort. */
function StoredFilters(props: {
  filter: Filter;
  projects: CatalogueEntry[];
  onChange(filter: Filter): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { filter, projects, onChange } = props;
  const sortLabel = (k: SortKey) => t(`stored.sort.${k}`);
  return (
    <div className={styles.toolbar}>
      <SearchBox
        placeholder={t("stored.search")}
        aria-label={t("stored.search")}
        value={filter.query}
        onChange={(_, d) => onChange({ ...filter, query: d.value })}
        data-testid="stored-search"
      />
      <Field label={t("stored.filterProject")}>
        <Dropdown
          value={filter.project === ALL ? t("stored.all") : projectName(projects, filter.project)}
          selectedOptions={[filter.project]}
          onOptionSelect={(_, d) => onChange({ ...filter, project: d.optionValue ?? ALL })}
        >
          <Option value={ALL}>{t("stored.all")}</Option>
          {projects.map((p) => (
            <Option key={p.id} value={p.id} text={p.name}>
              {p.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label={t("stored.sort")}>
        <Dropdown
          value={sortLabel(filter.sort)}
          selectedOptions={[filter.sort]}
          onOptionSelect={(_, d) =>
            d.optionValue && onChange({ ...filter, sort: d.optionValue as SortKey })
          }
        >
          {SORT_KEYS.map((k) => (
            <Option key={k} value={k}>
              {sortLabel(k)}
            </Option>
          ))}
        </Dropdown>
      </Field>
    </div>
  );
}

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
  const { t, errorText } = useI18n();
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
    return error ? (
      <MessageBar intent="error">
        <MessageBarBody>{errorText(error)}</MessageBarBody>
      </MessageBar>
    ) : (
      <Spinner size="small" />
    );
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
      {error && (
        <MessageBar intent="error" data-testid="stored-error">
          <MessageBarBody>{errorText(error)}</MessageBarBody>
        </MessageBar>
      )}
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
