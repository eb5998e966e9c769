import type { ConsentHintPort } from "../../core/ports/consent-ledger.js";
import { officeAsync } from "./office-async.js";
import type { OfficeRuntime } from "./runtime.js";

const KEY = "sept.consentHint";

/**
 * Remembers the last consent state seen, in Office roamingSettings, only so the pane can open on
 * the right view before the ledger has been read. Anything can be written here; nothing trusts it.
 */
export function createRoamingConsentHint(runtime: OfficeRuntime): ConsentHintPort {
  const settings = runtime.context.roamingSettings;
  return {
    read() {
      const value = settings.get(KEY) as { status?: unknown; policyVersion?: unknown } | undefined;
      if (!value || typeof value.status !== "string" || typeof value.policyVersion !== "string") {
        return null;
      }
      return { status: value.status, policyVersion: value.policyVersion };
    },
    async write(hint) {
      const before = JSON.stringify(settings.get(KEY) ?? null);
      if (before === JSON.stringify(hint)) return;
      if (hint) settings.set(KEY, hint);
      else settings.remove(KEY);
      await officeAsync<void>(runtime, (cb) => settings.saveAsync(cb));
    },
  };
}
