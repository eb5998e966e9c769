/**
 * `load` run once and its answer kept: callers asking at the same time share one run. A run that
 * failed is not kept, so the next call runs `load` again (a script that did not arrive, on a
 * flaky network, is asked for again rather than failing the feature for the rest of the session).
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    }));
}
