import { lazy, useState, type ComponentType } from "react";
import { loadOnce } from "../../core/load-once.js";

/** A view loaded on demand that renders at once, without suspending, once it was preloaded. */
export type PreloadableView<P extends object> = ComponentType<P> & {
  /** Fetches the view's code (once), so that its first render needs no Suspense fallback. */
  preload(): Promise<unknown>;
};

/**
 * `React.lazy` suspends the first time a view renders even when its script has already arrived,
 * and React then holds the fallback on screen for about 300 ms before it reveals the view: a
 * prefetched tab would still open a third of a second late. A view made here renders its loaded
 * component directly once `preload` has fetched it. An instance that first rendered before that
 * stays on the lazy path, so it is never remounted (and never loses its state) when the code
 * lands.
 */
export function preloadable<P extends object>(
  load: () => Promise<ComponentType<P>>,
): PreloadableView<P> {
  let loaded: ComponentType<P> | null = null;
  // A failed fetch is tried again at the next render or prefetch.
  const fetchOnce = loadOnce(() => load().then((component) => (loaded = component)));
  const Lazy = lazy(async () => ({ default: await fetchOnce() }));
  function View(props: P) {
    const [Ready] = useState(() => loaded);
    if (Ready) return <Ready {...props} />;
    return <Lazy {...props} />;
  }
  return Object.assign(View, { preload: fetchOnce });
}
