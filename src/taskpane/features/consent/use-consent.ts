import { useCallback, useEffect, useState } from "react";
import type { ConsentState } from "../../../core/consent/consent.js";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import type { ConsentFacade } from "./facade.js";

export type ConsentView =
  | { phase: "loading" }
  | { phase: "failed"; error: SeptError }
  | { phase: "ready"; state: ConsentState };

/** The consent state as the pane shows it: read from the ledger at start, then kept current. */
export function useConsent(consent: ConsentFacade): { view: ConsentView; reload: () => void } {
  const [view, setView] = useState<ConsentView>({ phase: "loading" });
  const load = useCallback(
    (first = false) => {
      // Already loading (the first read): the same state, so the view does not render again.
      setView((shown) => (shown.phase === "loading" ? shown : { phase: "loading" }));
      (first ? consent.start() : consent.refresh()).then(
        (state) => setView({ phase: "ready", state }),
        (error: unknown) => setView({ phase: "failed", error: toSeptError(error) }),
      );
    },
    [consent],
  );
  useEffect(() => {
    load(true);
    return consent.subscribe((state) => setView({ phase: "ready", state }));
  }, [consent, load]);
  return { view, reload: () => load() };
}
