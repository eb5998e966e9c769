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
import { useCallback, useEffect, useMemo, useState } from "react";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import { downloadFile } from "../../shared/download.js";
import { useI18n } from "../../shared/i18n.js";
import type {
  ProjectOption,
  SavingFacade,
  StoredEntry,
  StoredFacade,
} from "../../pane-services.js";
import { ConfirmDialog } from "../../shared/confirm-dialog.js";
import { DetailsPanel } from "./details-panel.js";
import { ExportCard } from "./export-card.js";
import { ProjectsCard } from "../projects/projects-card.js";
import { RetentionCard } from "./retention-card.js";
import { StoredList } from "./stored-list.js";
import { RECYCLE_BIN_RETENTION_DAYS } from "../../../core/ports/storage.js";

type SortKey = "savedAt" | "receivedAt" | "subject" | "expiresAt";
const ALL = "all";

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

type Confirm = { kind: "some"; ids: string[] } | { kind: "all" } | null;

/** Everything stored for the user: search, sort, filter, details, correct, delete, retention, export. */
export function StoredView(props: { stored: StoredFacade; saving: SavingFacade }) {
  const styles = useStyles();
  const { t, errorText } = useI18n();
  const [entries, setEntries] = useState<StoredEntry[] | null>(null);
  const [projects, setProjects] = useState<Array<ProjectOption & { archived: boolean }>>([]);
  const [query, setQuery] = useState("");
  const [project, setProject] = useState(ALL);
  const [sort, setSort] = useState<SortKey>("savedAt");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [openId, setOpenId] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<SeptError | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(() => {
    Promise.all([props.stored.list(), props.saving.allProjects()]).then(
      ([list, projectList]) => {
        setEntries(list);
        setProjects(projectList);
        setNow(Date.now());
        setSelected((s) => new Set([...s].filter((id) => list.some((e) => e.savedId === id))));
      },
      (e: unknown) => setError(toSeptError(e)),
    );
  }, [props]);
  useEffect(load, [load]);

  const projectName = useCallback(
    (id: string) => projects.find((p) => p.id === id)?.name ?? id,
    [projects],
  );
  const shown = useMemo(() => {
    const q = query.trim().toLocaleLowerCase();
    const filtered = (entries ?? []).filter(
      (e) =>
        (project === ALL || e.projectId === project) &&
        (!q ||
          e.subject.toLocaleLowerCase().includes(q) ||
          (e.from?.name ?? "").toLocaleLowerCase().includes(q) ||
          (e.from?.address ?? "").toLocaleLowerCase().includes(q) ||
          projectName(e.projectId).toLocaleLowerCase().includes(q)),
    );
    return sortEntries(filtered, sort);
  }, [entries, query, project, sort, projectName]);
  const open = entries?.find((e) => e.savedId === openId) ?? null;

  const guarded = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(toSeptError(e));
    }
    load();
  };

  if (entries === null) {
    return error ? (
      <MessageBar intent="error">
        <MessageBarBody>{errorText(error)}</MessageBarBody>
      </MessageBar>
    ) : (
      <Spinner size="small" />
    );
  }

  const sortLabel = (k: SortKey) => t(`stored.sort.${k}`);
  return (
    <section className={styles.root} aria-labelledby="stored-title" data-testid="stored-view">
      <Subtitle1 as="h2" id="stored-title">
        {t("stored.heading")}
      </Subtitle1>
      <Caption1 data-testid="stored-count">{t("stored.count", { count: entries.length })}</Caption1>
      <div className={styles.toolbar}>
        <SearchBox
          placeholder={t("stored.search")}
          aria-label={t("stored.search")}
          value={query}
          onChange={(_, d) => setQuery(d.value)}
          data-testid="stored-search"
        />
        <Field label={t("stored.filterProject")}>
          <Dropdown
            value={project === ALL ? t("stored.all") : projectName(project)}
            selectedOptions={[project]}
            onOptionSelect={(_, d) => setProject(d.optionValue ?? ALL)}
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
            value={sortLabel(sort)}
            selectedOptions={[sort]}
            onOptionSelect={(_, d) => d.optionValue && setSort(d.optionValue as SortKey)}
          >
            {(["savedAt", "receivedAt", "subject", "expiresAt"] as SortKey[]).map((k) => (
              <Option key={k} value={k}>
                {sortLabel(k)}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>
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
          onCorrect={(change) => guarded(() => props.stored.correct(open.savedId, change))}
          onDownload={() =>
            void guarded(async () => {
              const bytes = await props.stored.downloadEml(open.savedId);
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
      <RetentionCard stored={props.stored} onChanged={load} />
      <ProjectsCard projects={projects} saving={props.saving} onChanged={load} />
      <ExportCard stored={props.stored} />
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
            ? t("stored.confirm.all.body", { count: entries.length })
            : t("stored.confirm.body")
        }
        confirm={t("stored.confirm.delete")}
        cancel={t("stored.confirm.cancel")}
        onConfirm={() =>
          guarded(async () => {
            // Where Microsoft 365 refused a permanent delete, say where the items are instead.
            const recycledNotice = () => {
              const count = props.stored.recycled?.() ?? 0;
              return count > 0
                ? t("storage.recycled", { count, days: RECYCLE_BIN_RETENTION_DAYS })
                : null;
            };
            if (confirm?.kind === "all") {
              await props.stored.removeAllMyData();
              setNotice(recycledNotice() ?? t("stored.allDeleted"));
            } else if (confirm) {
              const count = await props.stored.remove(confirm.ids);
              setNotice(recycledNotice() ?? t("stored.deleted", { count }));
              if (openId && confirm.ids.includes(openId)) setOpenId(null);
            }
          })
        }
        onClose={() => setConfirm(null)}
      />
    </section>
  );
}
