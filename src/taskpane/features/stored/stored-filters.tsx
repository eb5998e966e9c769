import { Dropdown, Field, Option, SearchBox, makeStyles } from "@fluentui/react-components";
import { useMemo } from "react";
import { useI18n } from "../../shared/i18n.js";
import { projectOptions } from "../../shared/panel.js";
import { projectName, type ProjectOption } from "../../shared/projects.js";
import type { StoredEmail as StoredEntry } from "./facade.js";

type SortKey = "savedAt" | "receivedAt" | "subject" | "expiresAt";
const SORT_KEYS: SortKey[] = ["savedAt", "receivedAt", "subject", "expiresAt"];
export const ALL = "all";

type CatalogueEntry = ProjectOption & { archived: boolean };

const useStyles = makeStyles({
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

export interface Filter {
  query: string;
  project: string;
  sort: SortKey;
}

/** The entries the search, the project filter and the sort leave, in order. */
export function useShown(
  entries: StoredEntry[] | null,
  projects: CatalogueEntry[],
  filter: Filter,
) {
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
export function StoredFilters(props: {
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
          {projectOptions(projects)}
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
