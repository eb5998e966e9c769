// Housekeeping once the pane's first view is up and its own first reads are done: events a crash
// or a fault left on this device land, a save a crash interrupted is repaired, then what expired
// is purged. Started earlier, it would race the first view for Graph.
import type { ConsentState } from "../../core/consent/consent.js";

export interface HousekeepingDeps {
  consent: { start(): Promise<ConsentState> };
  activity: { flush(): Promise<unknown> };
  reconcile: () => Promise<unknown>;
  purge: () => Promise<unknown>;
  /** Resolves once the first view is on screen and the browser has had a quiet moment. */
  firstViewSettled: Promise<void>;
  /** How long to wait for the save panel's reads when it has none (e.g. a bulk save): 10 s. */
  panelWaitMs?: number;
}

export interface Housekeeping {
  /** Wraps one of the save panel's opening reads, which housekeeping lets finish first. */
  track<T>(read: Promise<T>): Promise<T>;
  /** Settles when the run is over (whatever its outcome). */
  done: Promise<void>;
}

export function startHousekeeping(deps: HousekeepingDeps): Housekeeping {
  let firstReads: Array<Promise<unknown>> | null = [];
  let panelAsked: () => void = () => undefined;
  const asked = new Promise<void>((resolve) => (panelAsked = resolve));
  const track = <T>(read: Promise<T>): Promise<T> => {
    if (firstReads) {
      firstReads.push(read);
      panelAsked();
    }
    return read;
  };
  const done = deps.firstViewSettled
    .then(() => deps.consent.start())
    // With consent given, the save panel's script may still be on its way: wait for its reads
    // (or a while, for a view that has none).
    .then((state) =>
      state.status === "granted"
        ? Promise.race([
            asked,
            new Promise((resolve) => setTimeout(resolve, deps.panelWaitMs ?? 10_000)),
          ])
        : undefined,
    )
    .then(() => Promise.allSettled(firstReads ?? []))
    // Events a crash or a fault left on this device land first.
    .then(() => deps.activity.flush())
    .catch(() => undefined)
    .then(() => {
      firstReads = null;
      return deps.reconcile();
    })
    .then(() => deps.purge())
    .then(
      () => undefined,
      () => undefined,
    );
  return { track, done };
}
