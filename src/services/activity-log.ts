import type { ActivityEvent, ActivityKind, ActivityOutcome } from "../core/activity/activity.js";
import type { ActivityLogPort } from "../core/ports/activity-log.js";
import type { StoragePort } from "../core/ports/storage.js";
import { createImmutableFolderReader } from "./immutable-folder.js";
import { ACTIVITY_DIR, activityEventPath } from "./storage-layout.js";

const KINDS: readonly ActivityKind[] = [
  "consent_granted",
  "consent_withdrawn",
  "email_saved",
  "email_deleted",
  "email_purged",
  "email_corrected",
  "data_exported",
  "settings_changed",
];
const OUTCOMES: readonly ActivityOutcome[] = ["success", "failure", "cancelled"];

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
  };
}

/** One write-once file per event, so concurrent panes never lose each other's events. */
export function createStorageActivityLog(storage: StoragePort): ActivityLogPort {
  const readAll = createImmutableFolderReader(storage, ACTIVITY_DIR, parseActivityEvent);
  return {
    async append(event) {
      await storage.writeJson(activityEventPath(event.at, event.id), event, { conflict: "fail" });
    },
    async list() {
      return (await readAll()).sort((a, b) => b.at.localeCompare(a.at));
    },
  };
}
