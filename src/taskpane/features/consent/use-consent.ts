import { useCallback, useEffect, useState } from "react";
import type { ConsentState } from "../../../core/consent/consent.js";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import type { ConsentService } from "../../../services/consent/consent-service.js";

export type ConsentView =
  | { phase: "loading" }
  | { phase: "failed"; error: SeptError }
  | { phase: "ready"; state: ConsentState };

/** The consent state as the pane shows it: read from the ledger at start, then kept current. */
export function useConsent(consent: ConsentService): { view: ConsentView; reload: () => void } {
  const [view, setView] = useState<ConsentView>({ phase: "loading" });
  const load = useCallback(
    (first = false) => {
      setView({ phase: "loading" });
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
