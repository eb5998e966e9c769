// The activity log's outbox kept in the browser's localStorage, so an event that could not be
// written (offline, 5xx, storage full) survives a closed pane or a crash and is sent first at the
// next start. localStorage, not roamingSettings: it is written on every event, roamingSettings
// is saved to the mailbox with a size cap and a round trip, and each device re-sends only what it
// holds itself. One key per user, so two mailboxes on one machine never send each other's events.
import type { ActivityEvent } from "../../core/activity/activity.js";
import type { ActivityOutboxPort, OutboxEntry } from "../../core/ports/activity-log.js";

/** The part of the Web Storage API the outbox uses (injectable for tests). */
export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** The window's localStorage, or null where the host refuses it (some private modes throw). */
export function browserStorage(): KeyValueStore | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

function parseEntries(text: string | null): OutboxEntry[] {
  if (!text) return [];
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value)) return [];
    return value.flatMap((item): OutboxEntry[] => {
      const e = item as Partial<OutboxEntry> | null;
      const event = e?.event as ActivityEvent | undefined;
      if (!event || typeof event.id !== "string" || typeof event.kind !== "string") return [];
      return [
        {
          event,
          idempotent: e?.idempotent === true,
          attempts: typeof e?.attempts === "number" ? e.attempts : 0,
        },
      ];
    });
  } catch {
    return [];
  }
}

/**
 * An outbox under `key` in `store`; where there is no store (or it refuses a write, e.g. full),
 * it keeps the entries in memory for this session, which is the best the host allows.
 */
export function createLocalOutbox(store: KeyValueStore | null, key: string): ActivityOutboxPort {
  let memory: OutboxEntry[] = [];
  let refused = false;
  return {
    read() {
      if (!store || refused) return structuredClone(memory);
      try {
        return parseEntries(store.getItem(key));
      } catch {
        return structuredClone(memory);
      }
    },
    write(entries) {
      memory = structuredClone(entries);
      if (!store) return;
      try {
        if (entries.length === 0) store.removeItem(key);
        else store.setItem(key, JSON.stringify(entries));
        refused = false;
      } catch {
        refused = true;
        // Quota or a refused store: the entries stay in memory for this session.
      }
    },
  };
}
