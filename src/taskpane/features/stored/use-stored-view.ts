import { useCallback, useDeferredValue, useEffect, useMemo, useState } from "react";
import { useLoad } from "../../shared/use-load.js";
import type { Confirm } from "./delete-confirm.js";
import type { StoredFacade, StoredProjects } from "./facade.js";
import { ALL, useSearchWarmUp, useShown, type Filter } from "./stored-filters.js";
import { useStoredPages } from "./use-stored-pages.js";

/**
 * The Stored view's state: the pages read so far, the filter and the rows it leaves, the selection,
 * the email open in details, the delete awaiting confirmation and the last notice. The view's
 * actions run through `guarded`, which keeps their failure and reads the list again after each.
 */
export function useStoredView(stored: StoredFacade, catalogue: StoredProjects) {
  const pages = useStoredPages(stored, catalogue);
  const { entries, projects, loading, reload } = pages;
  // The view's actions (correct, delete, download) keep their own failure.
  const actions = useLoad();
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
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  // A deleted email that was open in details closes with it.
  const deleted = (ids: string[]) => {
    if (openId && ids.includes(openId)) setOpenId(null);
  };

  return {
    ...pages,
    error: actions.error ?? pages.error,
    filter,
    setFilter,
    shown,
    /** The rows shown are for an older filter: the new one is being applied. */
    filtering: shownFilter !== filter,
    selected,
    toggle,
    open,
    setOpenId,
    confirm,
    setConfirm,
    notice,
    setNotice,
    guarded,
    deleted,
  };
}
