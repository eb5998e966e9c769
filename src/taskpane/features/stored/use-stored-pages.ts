import { startTransition, useCallback, useEffect, useState } from "react";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import type { ProjectOption } from "../../shared/projects.js";
import { storedPages, type StoredEmail, type StoredFacade, type StoredProjects } from "./facade.js";

type CatalogueEntry = ProjectOption & { archived: boolean };

export interface LoadedPages {
  /** What has arrived so far, newest save first; null until the first page lands. */
  entries: StoredEmail[] | null;
  projects: CatalogueEntry[];
  /** When the first page landed: the "deleted in n days" countdowns count from it. */
  now: number;
  /** More pages are on their way. */
  loading: boolean;
  error: SeptError | null;
  /** Reads every page again; the rows already shown stay until the new first page lands. */
  reload(): void;
}

interface State {
  entries: StoredEmail[] | null;
  projects: CatalogueEntry[];
  now: number;
  loading: boolean;
  error: SeptError | null;
}

/**
 * Reads the stored emails page by page. The first page (with the catalogue) is shown at once;
 * later pages are appended in a transition, so a keystroke in the search box is never queued
 * behind rendering a page. A read overtaken by a newer one, or by leaving the view, stops.
 */
export function useStoredPages(stored: StoredFacade, catalogue: StoredProjects): LoadedPages {
  const [state, setState] = useState<State>({
    entries: null,
    projects: [],
    now: 0,
    loading: true,
    error: null,
  });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setState((s) => ({ ...s, loading: true, error: null }));
    const projects = catalogue.all();
    void (async () => {
      let loaded: StoredEmail[] | null = null;
      try {
        for await (const page of storedPages(stored, signal)) {
          if (signal.aborted) return;
          if (loaded === null) {
            const catalogueNow = await projects;
            if (signal.aborted) return;
            loaded = page;
            const first = loaded;
            setState({
              entries: first,
              projects: catalogueNow,
              now: Date.now(),
              loading: true,
              error: null,
            });
          } else {
            loaded = loaded.concat(page);
            const more = loaded;
            startTransition(() => setState((s) => ({ ...s, entries: more })));
          }
        }
        if (signal.aborted) return;
        const catalogueNow = await projects;
        if (signal.aborted) return;
        const all = loaded ?? [];
        startTransition(() =>
          setState((s) => ({
            entries: all,
            projects: catalogueNow,
            now: s.now || Date.now(),
            loading: false,
            error: null,
          })),
        );
      } catch (error) {
        if (!signal.aborted) setState((s) => ({ ...s, loading: false, error: toSeptError(error) }));
      }
    })();
    return () => controller.abort();
  }, [stored, catalogue, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
