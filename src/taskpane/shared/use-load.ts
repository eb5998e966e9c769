import { useCallback, useEffect, useRef, useState, type DependencyList } from "react";
import { toSeptError, type SeptError } from "../../core/errors.js";

/** What a view read, and what went wrong reading it or acting on it. */
export interface Loaded<T> {
  /** The last value read; null until the first read lands (kept while a new read runs). */
  data: T | null;
  /** The failure of the last action run through `run`, else of the last read; null when none. */
  error: SeptError | null;
  /** Reads again (a failed read's error goes; an action's error stays until the next action). */
  reload(): void;
  /** Changes the value in place (e.g. after an action that returned the new value). */
  update(change: (data: T) => T): void;
  /** Runs an action, keeping its failure in `error`; resolves false when it failed. */
  run(action: () => Promise<unknown>): Promise<boolean>;
}

/**
 * The one load/error state of the pane's views: reads `read()` when `deps` change (a new key
 * clears both errors; a read answered after a newer one started, or after unmount, is dropped).
 * Without `read`, it holds only the error of the view's actions.
 */
export function useLoad<T>(
  read?: () => Promise<T>,
  deps: DependencyList = [],
  options: { onLoaded?: (data: T) => void } = {},
): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [loadError, setLoadError] = useState<SeptError | null>(null);
  const [actionError, setActionError] = useState<SeptError | null>(null);
  const latest = useRef(0);
  const onLoaded = useRef(options.onLoaded);
  onLoaded.current = options.onLoaded;
  const load = useCallback(() => {
    if (!read) return;
    const ticket = ++latest.current;
    setLoadError(null);
    read().then(
      (value) => {
        if (ticket !== latest.current) return;
        setData(value);
        onLoaded.current?.(value);
      },
      (error: unknown) => ticket === latest.current && setLoadError(toSeptError(error)),
    );
    // The caller's deps stand for `read`, exactly as they would in its own useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    setActionError(null);
    load();
    // A read still on its way when the key changes or the view goes is dropped.
    const tickets = latest;
    return () => {
      tickets.current++;
    };
  }, [load]);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await action();
      return true;
    } catch (error) {
      setActionError(toSeptError(error));
      return false;
    }
  }, []);
  const update = useCallback((change: (value: T) => T) => {
    setData((value) => (value === null ? value : change(value)));
  }, []);
  return { data, error: actionError ?? loadError, reload: load, update, run };
}
