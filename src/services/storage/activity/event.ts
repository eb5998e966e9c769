// One activity event as stored: its id rules (path-safe; where an earlier version filed it), its
// parsing from JSON, the list order, and small helpers every part of the log shares.
import type {
  ActivityEvent,
  ActivityKind,
  ActivityOutcome,
} from "../../../core/activity/activity.js";
import { SeptError } from "../../../core/errors.js";
import { ACTIVITY_DIR } from "../layout.js";

const KINDS: readonly ActivityKind[] = [
  "consent_granted",
  "consent_withdrawn",
  "email_saved",
  "email_deleted",
  "email_purged",
  "email_corrected",
  "data_exported",
  "settings_changed",
  "all_data_deleted",
];
const OUTCOMES: readonly ActivityOutcome[] = ["success", "failure", "cancelled"];
const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * Checks that an id is path-safe and not "head". Versions before shards filed every event as
 * `activity/{id}.json` (some as `{time}-{id}.json`); those files stay, still list and verify, and
 * this is where a look-up finds such an event by its id (one stat). OneDrive names are
 * case-insensitive: ids differing only in case are the same event.
 */
export function activityEventFile(id: string): string {
  if (!EVENT_ID.test(id) || id.toLowerCase() === "head") {
    throw new SeptError("bad_request", {
      message: `Activity event id '${id}' is not path-safe.`,
      params: { eventId: id },
    });
  }
  return `${ACTIVITY_DIR}/${id}.json`;
}

export function parseActivityEvent(value: unknown): ActivityEvent | null {
  if (!value || typeof value !== "object") return null;
  const e = value as Record<string, unknown>;
  if (typeof e.id !== "string" || typeof e.at !== "string") return null;
  if (!KINDS.includes(e.kind as ActivityKind) || !OUTCOMES.includes(e.outcome as ActivityOutcome)) {
    return null;
  }
  const refs: Record<string, string> = {};
  if (e.refs && typeof e.refs === "object") {
    for (const [k, v] of Object.entries(e.refs)) if (typeof v === "string") refs[k] = v;
  }
  return {
    id: e.id,
    at: e.at,
    kind: e.kind as ActivityKind,
    outcome: e.outcome as ActivityOutcome,
    refs,
    ...(typeof e.projectId === "string" ? { projectId: e.projectId } : {}),
    ...(typeof e.sizeBytes === "number" ? { sizeBytes: e.sizeBytes } : {}),
    ...(typeof e.errorCode === "string" ? { errorCode: e.errorCode } : {}),
    ...(e.details && typeof e.details === "object"
      ? { details: e.details as ActivityEvent["details"] }
      : {}),
    ...(typeof e.hash === "string" ? { hash: e.hash } : {}),
    ...(typeof e.prevHash === "string" || e.prevHash === null ? { prevHash: e.prevHash } : {}),
    ...(typeof e.seq === "number" ? { seq: e.seq } : {}),
  };
}

/** Bytes an event takes in the head (its JSON and a comma). */
export const eventBytes = (event: unknown): number =>
  new TextEncoder().encode(JSON.stringify(event)).byteLength + 1;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first: chain place first, then ISO time; the id breaks ties so the order is stable. */
export const newer = (a: ActivityEvent, b: ActivityEvent): number =>
  (b.seq ?? 0) - (a.seq ?? 0) || byCodeUnits(b.at, a.at) || byCodeUnits(b.id, a.id);

export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    // Not JSON any more: kept as unreadable, which verify() reports as an edited event.
    return undefined;
  }
}

export const hasCode = (error: unknown, ...codes: string[]): boolean =>
  error instanceof SeptError && codes.includes(error.code);
