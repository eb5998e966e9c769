import type { ConsentRecord } from "../../core/consent/consent.js";
import type { PendingConsentAct, PendingConsentPort } from "../../core/ports/consent-ledger.js";
import { officeAsync } from "./office-async.js";
import type { OfficeRuntime } from "./runtime.js";

const KEY = "sept.pendingConsent";

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/**
 * Only what a pending act can be: a withdrawal the pane made (or the follow-ups of a recorded
 * grant). Anything else in these stores (edited by hand, another version) is dropped.
 */
function parseAct(value: unknown): PendingConsentAct | null {
  if (!value || typeof value !== "object") return null;
  const act = value as Record<string, unknown>;
  const record = act.record as Record<string, unknown> | undefined;
  if (!record || !isString(record.id) || !isString(record.policyVersion)) return null;
  const collection = record.collection as Record<string, unknown> | undefined;
  if (!collection || collection.method !== "taskpane") return null;
  const flags = {
    recorded: act.recorded === true,
    logged: act.logged === true,
    signedOut: act.signedOut === true,
  };
  if (record.kind === "withdrawal" && isString(record.withdrawnAt)) {
    return { record: record as unknown as ConsentRecord, ...flags };
  }
  // A grant is kept only for its follow-ups, once the ledger holds it: never to be written.
  if (record.kind === "grant" && flags.recorded && isString(record.grantedAt)) {
    return { record: record as unknown as ConsentRecord, ...flags, signedOut: true };
  }
  return null;
}

function parseActs(value: unknown): PendingConsentAct[] {
  if (typeof value === "string") {
    try {
      return parseActs(JSON.parse(value));
    } catch {
      return [];
    }
  }
  return Array.isArray(value)
    ? value.map(parseAct).filter((a): a is PendingConsentAct => a !== null)
    : [];
}

/**
 * Keeps consent acts the ledger may not hold yet (a withdrawal whose write failed) in two places:
 * - localStorage: synchronous, there at the next start on this device even when Office's save
 *   failed or the pane was closed at once; but it is per device and browsers may clear it;
 * - Office roamingSettings: follows the mailbox to the user's other Outlook clients, so a new
 *   pane elsewhere also stops and writes the withdrawal; but its save is asynchronous and can fail.
 * Either is enough to stop saving at the next start; the union of both is read.
 */
export function createPendingConsentStore(
  runtime: OfficeRuntime,
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null = safeLocalStorage(),
): PendingConsentPort {
  const settings = runtime.context.roamingSettings;
  return {
    load() {
      const fromDevice = parseActs(storage?.getItem(KEY) ?? null);
      const fromMailbox = parseActs(settings.get(KEY));
      const byId = new Map<string, PendingConsentAct>();
      for (const act of [...fromMailbox, ...fromDevice]) {
        const known = byId.get(act.record.id);
        // What either place knows to be done is done.
        byId.set(
          act.record.id,
          known
            ? {
                record: act.record,
                recorded: known.recorded || act.recorded,
                logged: known.logged || act.logged,
                signedOut: known.signedOut || act.signedOut,
              }
            : act,
        );
      }
      return [...byId.values()];
    },
    async save(acts) {
      try {
        if (acts.length) storage?.setItem(KEY, JSON.stringify(acts));
        else storage?.removeItem(KEY);
      } catch {
        // Storage full or blocked: roamingSettings below still keeps it.
      }
      try {
        if (acts.length) settings.set(KEY, acts);
        else settings.remove(KEY);
        await officeAsync<void>(runtime, (cb) => settings.saveAsync(cb));
      } catch {
        // Offline or refused: localStorage above still keeps it on this device.
      }
    },
  };
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}
