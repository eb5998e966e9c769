// The user's account settings (privacy policy §5: "retained according to your account settings"),
// kept in SEPT storage beside their data so every Outlook window and device sees the same.
import { SeptError } from "../../core/errors.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import {
  assertRetentionAllowed,
  clampRetention,
  defaultRetention,
  parseRetentionSetting,
  retentionCode,
  sameRetention,
  type RetentionBounds,
  type RetentionSetting,
} from "../../core/retention.js";
import { SETTINGS_FILE } from "./layout.js";
import { retryLostRaces, writeGuard } from "./optimistic-write.js";

/** Each lost round means another pane's write landed; a handful of panes settle well within this. */
const MAX_ATTEMPTS = 8;

/** settings.json. Fields this version does not know are kept as they are on every write. */
export interface UserSettingsFile {
  schema: 1;
  retention: RetentionSetting;
  updatedAt: string;
  [other: string]: unknown;
}

export interface RetentionState {
  /** The user's choice, or the org default when they never chose. */
  chosen: RetentionSetting;
  /** What purges apply: the choice within today's org bounds (see clampRetention). */
  effective: RetentionSetting;
  bounds: RetentionBounds;
  /** false: no choice stored yet, the org default applies. */
  stored: boolean;
}

export interface SettingsService {
  /** Reads settings.json (one readJson: two Graph requests). */
  read(signal?: AbortSignal): Promise<RetentionState>;
  /** What was last read or written, without a request; reads the first time. */
  current(signal?: AbortSignal): Promise<RetentionState>;
  /**
   * Stores a new retention setting (refused with a retention_* error outside the org bounds) and
   * logs one `settings_changed` event; the same setting again writes and logs nothing.
   */
  setRetention(setting: RetentionSetting, signal?: AbortSignal): Promise<RetentionState>;
  /** Drops what is known, e.g. after "delete all my data" removed the file. */
  forget(): void;
}

export interface SettingsDeps {
  storage: StoragePort;
  activity: ActivityLogPort;
  /** The org policy's retention bounds; a function when the policy can change while the pane runs. */
  bounds: RetentionBounds | (() => RetentionBounds);
  now?: () => Date;
  newId?: () => string;
  /** Wait before the n-th retry of the change's event (default 1 s doubling to 5 min). */
  eventRetryDelayMs?: (attempt: number) => number;
}

interface Snapshot {
  /** The file as read (unknown fields included), or null when absent. */
  file: Record<string, unknown> | null;
  eTag: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A round of setRetention: the state it found, and the file it wrote unless that already held it. */
interface Written {
  before: RetentionState;
  next?: UserSettingsFile;
  at?: string;
}

export function createSettingsService(deps: SettingsDeps): SettingsService {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const bounds = () => (typeof deps.bounds === "function" ? deps.bounds() : deps.bounds);
  /** The stored choice last read or written; bounds are applied afresh on every answer. */
  let last: { chosen: RetentionSetting; stored: boolean } | null = null;

  const withBounds = (known: { chosen: RetentionSetting; stored: boolean }): RetentionState => {
    const b = bounds();
    return { ...known, effective: clampRetention(known.chosen, b), bounds: b };
  };

  const stateOf = (snapshot: Snapshot): RetentionState => {
    const stored = parseRetentionSetting(snapshot.file?.retention);
    last = { chosen: stored ?? defaultRetention(bounds()), stored: stored !== null };
    return withBounds(last);
  };

  const load = async (signal?: AbortSignal): Promise<Snapshot> => {
    try {
      const { value, file } = await deps.storage.readJson<unknown>(SETTINGS_FILE, signal);
      return { file: isRecord(value) ? value : {}, eTag: file.eTag };
    } catch (error) {
      if (!(error instanceof SeptError)) throw error;
      if (error.code === "not_found") return { file: null, eTag: null };
      if (error.code !== "unknown") throw error;
      // Not JSON (edited by hand?): still ours to replace, under its current eTag.
      const file = await deps.storage.stat(SETTINGS_FILE, signal);
      return { file: file ? {} : null, eTag: file?.eTag ?? null };
    }
  };

  return {
    async read(signal) {
      return stateOf(await load(signal));
    },

    async current(signal) {
      return last ? withBounds(last) : stateOf(await load(signal));
    },

    async setRetention(setting, signal) {
      assertRetentionAllowed(setting, bounds());
      const wanted: RetentionSetting =
        setting.kind === "forever" ? { kind: "forever" } : { kind: "days", days: setting.days };
      // Another pane wrote first: read its version and apply the change to that.
      const written = await retryLostRaces<Written>(
        async (guarded) => {
          const snapshot = await load(signal);
          const before = stateOf(snapshot);
          if (before.stored && sameRetention(before.chosen, wanted)) return { before };
          const at = now().toISOString();
          const next: UserSettingsFile = {
            ...(snapshot.file ?? {}),
            schema: 1,
            retention: wanted,
            updatedAt: at,
          };
          await guarded(
            deps.storage.writeJson(SETTINGS_FILE, next, { ...writeGuard(snapshot.eTag), signal }),
          );
          return { before, next, at };
        },
        { attempts: MAX_ATTEMPTS },
      );
      const { before, next, at } = written;
      if (!next || at === undefined) return before;
      const after = stateOf({ file: next, eTag: null });
      // The change is made: its event follows, retried (same id, so at most once) until it
      // lands; the first tries are awaited, then it goes on in the background.
      const event = {
        id: `settings-${newId()}`,
        at,
        kind: "settings_changed",
        outcome: "success",
        refs: {},
        details: {
          setting: "retention",
          oldRetention: retentionCode(before.chosen),
          newRetention: retentionCode(wanted),
        },
      } as const;
      await logUntilLanded(deps.activity, event, deps.eventRetryDelayMs);
      return after;
    },

    forget() {
      last = null;
    },
  };
}

const AWAITED_EVENT_TRIES = 3;

/**
 * Appends an event (idempotent: a retry that meets an earlier success is success) until it lands:
 * the first tries are awaited, the rest continue in the background for as long as the pane lives.
 */
async function logUntilLanded(
  activity: ActivityLogPort,
  event: Parameters<ActivityLogPort["appendIdempotent"]>[0],
  delayMs: (attempt: number) => number = (n) => Math.min(1000 * 2 ** n, 300_000),
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await activity.appendIdempotent(event);
      return;
    } catch {
      if (attempt + 1 >= AWAITED_EVENT_TRIES) break;
      await new Promise((resolve) => setTimeout(resolve, delayMs(attempt)));
    }
  }
  const again = (attempt: number) => {
    setTimeout(() => {
      activity.appendIdempotent(event).catch(() => again(attempt + 1));
    }, delayMs(attempt));
  };
  again(AWAITED_EVENT_TRIES);
}
