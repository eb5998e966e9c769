import { Dropdown, Field, Option, SearchBox, makeStyles } from "@fluentui/react-components";
import { useEffect, useMemo, useRef } from "react";
import { useI18n } from "../../shared/i18n.js";
import { projectOptions } from "../../shared/panel.js";
import { projectName, type ProjectOption } from "../../shared/projects.js";
import type { StoredEmail as StoredEntry } from "./facade.js";
import {
  ALL,
  filtered,
  narrows,
  prepareSearch,
  SORT_KEYS,
  sortedAfterAppend,
  type Filter,
  type SortKey,
} from "./shown-emails.js";

export { ALL, type Filter };

type CatalogueEntry = ProjectOption & { archived: boolean };

const useStyles = makeStyles({
  toolbar: { display: "flex", gap: "8px", flexWrap: "wrap", alignItems: "end" },
});

/**
 * The entries the search, the project filter and the sort leave, in order. The sort is kept apart
 * from the search, so typing filters an already sorted list.
 */
export function useShown(
  entries: StoredEntry[] | null,
  projects: CatalogueEntry[],
  filter: Filter,
): StoredEntry[] {
  // The last sort, so that a page appended to the same entries is merged in, not sorted again.
  const last = useRef<{ entries: StoredEntry[]; sorted: StoredEntry[]; key: SortKey } | null>(null);
  const sorted = useMemo(() => {
    const all = entries ?? [];
    const before = last.current?.key === filter.sort ? last.current : null;
    const result = sortedAfterAppend(all, filter.sort, before);
    last.current = { entries: all, sorted: result, key: filter.sort };
    return result;
  }, [entries, filter.sort]);
  const { query, project } = filter;
  // The last search over these sorted entries: a query typed further searches its result only.
  const lastSearch = useRef<{
    sorted: StoredEntry[];
    projects: CatalogueEntry[];
    query: string;
    project: string;
    result: StoredEntry[];
  } | null>(null);
  return useMemo(() => {
    const previous = lastSearch.current;
    const from =
      previous &&
      previous.sorted === sorted &&
      previous.projects === projects &&
      narrows(previous, { query, project })
        ? previous.result
        : sorted;
    const result = filtered(from, projects, { query, project });
    lastSearch.current = { sorted, projects, query, project, result };
    return result;
  }, [sorted, projects, query, project]);
}

/** Entries prepared per slice of idle time: a slice stays well under a frame. */
const WARM_UP_SLICE = 500;

/**
 * Prepares every loaded entry's search text in the browser's idle moments, a slice at a time, so
 * the first keystroke at 100,000 emails does not pay for all of it at once.
 */
export function useSearchWarmUp(entries: StoredEntry[] | null): void {
  useEffect(() => {
    if (!entries) return;
    let next = 0;
    let stopped = false;
    const step = (deadline?: IdleDeadline) => {
      if (stopped) return;
      const until = performance.now() + 8;
      do {
        prepareSearch(entries, next, next + WARM_UP_SLICE);
        next += WARM_UP_SLICE;
      } while (
        next < entries.length &&
        (deadline ? deadline.timeRemaining() > 2 : performance.now() < until)
      );
      if (next < entries.length) schedule();
    };
    const schedule = () => {
      if ("requestIdleCallback" in window) window.requestIdleCallback(step, { timeout: 1000 });
      else setTimeout(step, 0);
    };
    schedule();
    return () => {
      stopped = true;
    };
  }, [entries]);
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
