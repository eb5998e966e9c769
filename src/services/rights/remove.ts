// Every delete of the user's data (privacy policy §5, §7): some stored emails for good (the user's
// choice, or retention's purge through removeEmailsForGood), and "delete all", the one entry point
// for both of its scopes. Each writes its events; the caller's own copies are refreshed.
// Over 300 lines on purpose: every delete of the user's data in one file, each function short.
import type { ActivityEvent } from "../../core/activity/activity.js";
import { compactTimestamp } from "../../core/activity/activity.js";
import { SeptError, toSeptError } from "../../core/errors.js";
import type { ActivityLogPort, AppendManyResult } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import type { IndexEntry } from "../../core/stored-email.js";
import { activityLogSize, createStorageActivityLog } from "../storage/activity-log.js";
import { createEmailIndex, type EmailIndex } from "../storage/email-index.js";
import {
  ACTIVITY_DIR,
  CONSENT_DIR,
  contentPath,
  EMAILS_DIR,
  INDEX_DIR,
  PENDING_DIR,
  PROJECTS_FILE,
  RECORDS_DIR,
  recordPath,
  SETTINGS_FILE,
} from "../storage/layout.js";
import { isSavedId, type StoredEmailsDeps } from "./stored-emails.js";

/** What removal needs of an email; without an index entry only the id is known. */
export type EmailToRemove = Pick<IndexEntry, "savedId"> & Partial<IndexEntry>;

export interface RemovalResult {
  /** Gone from storage, logged, and out of the index (for good unless also in `recycled`). */
  removed: string[];
  /**
   * Of `removed`, those whose files Microsoft 365 would not delete for good: they sit in the
   * user's recycle bin (restorable, counted in their storage) until it is emptied or its retention
   * (RECYCLE_BIN_RETENTION_DAYS by default) runs out. The pane must say so.
   */
  recycled: string[];
  failed: Array<{ savedId: string; error: SeptError }>;
  /** Files deleted, and files that were already gone (the user may remove them by hand). */
  files: { removed: number; missing: number };
}

/** One removal run's bookkeeping: what failed and what went to the recycle bin, by saved id. */
interface RemovalRun {
  result: RemovalResult;
  failed: Map<string, SeptError>;
  recycled: Set<string>;
  signal: AbortSignal | undefined;
}

/** Deletes files (path -> saved id) in one removeMany, and books the outcome on the run. */
async function removeFiles(
  storage: StoragePort,
  run: RemovalRun,
  paths: Map<string, string>,
): Promise<void> {
  if (paths.size === 0) return;
  const outcome = await storage.removeMany([...paths.keys()], { signal: run.signal });
  run.result.files.removed += outcome.removed.length;
  run.result.files.missing += outcome.missing.length;
  for (const path of outcome.recycled ?? []) {
    const savedId = paths.get(path);
    if (savedId) run.recycled.add(savedId);
  }
  for (const { path, error } of outcome.failed) {
    const savedId = paths.get(path);
    if (savedId && !run.failed.has(savedId)) run.failed.set(savedId, error);
  }
}

/** One event per email whose files are gone, as one chained run; resolves to those logged. */
async function logRemovals(
  activity: ActivityLogPort,
  run: RemovalRun,
  gone: readonly EmailToRemove[],
  event: (email: EmailToRemove) => ActivityEvent,
): Promise<string[]> {
  const logged: string[] = [];
  if (gone.length === 0) return logged;
  const { signal } = run;
  if (signal?.aborted) throw new SeptError("cancelled", { cause: signal.reason });
  // One chained run, written 20 events a $batch.
  let outcomes: AppendManyResult[];
  try {
    outcomes = await activity.appendMany(gone.map(event), { idempotent: true, signal });
  } catch (error) {
    const septError = toSeptError(error);
    if (septError.code === "cancelled") throw septError;
    outcomes = gone.map((email) => ({ id: email.savedId, error: septError }));
  }
  gone.forEach((email, i) => {
    const outcome = outcomes[i];
    // Its files are gone but its event is not written: the entry stays in the index, so the
    // next run (files missing, then the event) finishes it.
    if (outcome?.error) run.failed.set(email.savedId, outcome.error);
    else if (outcome) logged.push(email.savedId);
    else run.failed.set(email.savedId, new SeptError("unknown", { message: "Not logged." }));
  });
  return logged;
}

/**
 * Removes emails for good: content first ($batch of 20 permanentDeletes), then one event each, as
 * one chained run in $batch requests of 20 (deterministic ids: a re-run never logs twice), then
 * their records: each touched shard is replaced by a new generation and the old file deleted for
 * good (a crash before that leaves a record the next run removes, never content that nothing
 * points at any more). Records of earlier versions not yet moved to shards go with their own file.
 * A crash anywhere is finished by the next run: files already gone count as missing.
 * `trustIndex`: skip the .eml of entries the index says have none (a purge); else try it anyway.
 */
export async function removeEmailsForGood(
  deps: StoredEmailsDeps,
  emails: readonly EmailToRemove[],
  event: (email: EmailToRemove) => ActivityEvent,
  options: { trustIndex?: boolean; signal?: AbortSignal } = {},
): Promise<RemovalResult> {
  const run: RemovalRun = {
    result: { removed: [], recycled: [], failed: [], files: { removed: 0, missing: 0 } },
    failed: new Map(),
    recycled: new Set(),
    signal: options.signal,
  };
  const { result } = run;
  const unique = new Map<string, EmailToRemove>();
  for (const email of emails) {
    if (isSavedId(email.savedId)) unique.set(email.savedId, email);
    else {
      result.failed.push({
        savedId: String(email.savedId),
        error: new SeptError("bad_request", { message: "Not a saved email id." }),
      });
    }
  }
  const targets = [...unique.values()];

  const contents = new Map<string, string>();
  for (const email of targets) {
    if (!options.trustIndex || email.contentStored !== false) {
      contents.set(contentPath(email.savedId), email.savedId);
    }
  }
  await removeFiles(deps.storage, run, contents);
  // Emails of earlier versions not yet moved into shards have a record file of their own.
  const old = await deps.index.legacy(options.signal);
  if (old) {
    const records = new Map<string, string>();
    for (const email of targets) {
      if (!run.failed.has(email.savedId)) records.set(recordPath(email.savedId), email.savedId);
    }
    await removeFiles(deps.storage, run, records);
  }

  const gone = targets.filter((email) => !run.failed.has(email.savedId));
  const logged = await logRemovals(deps.activity, run, gone, event);
  if (logged.length > 0) {
    const loggedIds = new Set(logged);
    const located = gone.filter((e) => loggedIds.has(e.savedId)).map(toLocate);
    await deps.index.remove(located, options.signal);
  }
  result.removed = logged;
  result.recycled = logged.filter((savedId) => run.recycled.has(savedId));
  for (const [savedId, error] of run.failed) result.failed.push({ savedId, error });
  return result;
}

/** An email as the index finds it: its month from its message date, when the entry gave one. */
function toLocate(email: EmailToRemove): { savedId: string; receivedDateTime?: string | null } {
  return "receivedDateTime" in email && email.receivedDateTime !== undefined
    ? { savedId: email.savedId, receivedDateTime: email.receivedDateTime }
    : { savedId: email.savedId };
}

/** A path-safe stamp of when an email was saved, so re-saving it later logs its own events. */
export function savedStamp(email: EmailToRemove, fallback: Date): string {
  const at = email.savedAt && !Number.isNaN(Date.parse(email.savedAt)) ? email.savedAt : null;
  return compactTimestamp(at ?? fallback.toISOString()).replace(/[^A-Za-z0-9]/g, "");
}

/** Metadata only: ids, project, size, when it was saved; never subject, sender or content. */
export function removalEvent(
  kind: "email_deleted" | "email_purged",
  email: EmailToRemove,
  at: Date,
  details: Record<string, string | number | boolean>,
): ActivityEvent {
  const prefix = kind === "email_deleted" ? "deleted" : "purged";
  return {
    id: `${prefix}-${email.savedId}-${savedStamp(email, at)}`,
    at: at.toISOString(),
    kind,
    outcome: "success",
    refs: { savedId: email.savedId },
    ...(email.projectId ? { projectId: email.projectId } : {}),
    ...(email.sizeBytes ? { sizeBytes: email.sizeBytes } : {}),
    details: { ...details, ...(email.savedAt ? { savedAt: email.savedAt } : {}) },
  };
}

/**
 * Deletes these stored emails for good (content, record, index entry), one `email_deleted` event
 * each. Ids not in the index are deleted all the same: storage is what counts, not the index.
 */
export async function deleteStored(
  deps: StoredEmailsDeps,
  savedIds: readonly string[],
  options: { signal?: AbortSignal; reason?: "user_request" | "consent_withdrawn" } = {},
): Promise<RemovalResult> {
  const now = deps.now ?? (() => new Date());
  const byId = new Map((await deps.index.entries(options.signal)).map((e) => [e.savedId, e]));
  const emails: EmailToRemove[] = savedIds.map((savedId) => byId.get(savedId) ?? { savedId });
  const at = now();
  return removeEmailsForGood(
    deps,
    emails,
    (email) =>
      removalEvent("email_deleted", email, at, { reason: options.reason ?? "user_request" }),
    { signal: options.signal },
  );
}

export type DeleteAllScope =
  /** Every stored email (content, record, index entry), one `email_deleted` event each. */
  | "stored_emails"
  /** Everything: emails, index, projects, settings, consent records, activity; one record left. */
  | "my_data";

export interface DeleteAllDeps {
  storage: StoragePort;
  /**
   * The caller's log: "stored_emails" writes its events there; "my_data" re-reads it at the end,
   * so its next event chains onto the deletion record.
   */
  activity?: ActivityLogPort;
  /** The caller's index, re-read so it shows nothing gone; a fresh one otherwise. */
  index?: EmailIndex;
  /** The caller's settings (dropped with "my_data": the file is gone). */
  settings?: { forget(): void };
  /** The caller's consent state (re-read with "my_data": the ledger is gone). */
  consent?: { refresh(): Promise<unknown> };
  now?: () => Date;
  newId?: () => string;
  /** Kept in the deletion record's details: who asked, when not the user (e.g. the privacy office). */
  recordDetails?: Record<string, string>;
}

/** "stored_emails": the emails deleted; those Microsoft 365 kept in the recycle bin. */
export interface StoredEmailsDeleted {
  scope: "stored_emails";
  emails: number;
  /** Saved ids whose files sit in the user's recycle bin. */
  recycled: string[];
}

/** "my_data": the counts kept in the record, and the record, the one event left. */
export interface MyDataDeleted {
  scope: "my_data";
  /**
   * Paths (folders and files) Microsoft 365 would not delete for good: they sit in the user's
   * recycle bin. Empty when everything is gone for good.
   */
  recycled: string[];
  emails: number;
  consentRecords: number;
  activityEvents: number;
  record: ActivityEvent;
}

/** Everything SEPT keeps for a user, by folder; root files (projects, settings) are listed. */
const USER_FOLDERS = [EMAILS_DIR, RECORDS_DIR, INDEX_DIR, PENDING_DIR, CONSENT_DIR, ACTIVITY_DIR];

/**
 * "Delete all", the one entry point for both scopes. Rejects when anything could not be deleted.
 *
 * "stored_emails" (consent withdrawn): every stored email (content, record, index entry), one
 * `email_deleted` event each (reason "consent_withdrawn"). What is in the folder counts, not only
 * what the index lists.
 *
 * "my_data": every stored email, the index, saves in progress, the project catalogue, settings,
 * consent records and activity events, in one $batch of folder and file DELETEs; then one
 * `all_data_deleted` event, the only thing left. It starts a new chain (prevHash null), since
 * every event it could point at is gone. Nothing is written if anything could not be deleted.
 * The caller should stop saves in progress first.
 */
export async function deleteAll(
  deps: DeleteAllDeps & { activity: ActivityLogPort },
  scope: "stored_emails",
  signal?: AbortSignal,
): Promise<StoredEmailsDeleted>;
export async function deleteAll(
  deps: DeleteAllDeps,
  scope: "my_data",
  signal?: AbortSignal,
): Promise<MyDataDeleted>;
export async function deleteAll(
  deps: DeleteAllDeps,
  scope: DeleteAllScope,
  signal?: AbortSignal,
): Promise<StoredEmailsDeleted | MyDataDeleted> {
  if (scope === "stored_emails") {
    const index = deps.index ?? createEmailIndex(deps.storage);
    const activity = deps.activity ?? createStorageActivityLog(deps.storage);
    const [files, entries] = await Promise.all([
      deps.storage.list(EMAILS_DIR, signal),
      index.entries({ fresh: true, signal }),
    ]);
    const ids = new Set(entries.map((e) => e.savedId));
    for (const file of files) {
      const savedId = file.name.replace(/\.(json|eml)$/, "");
      if (savedId !== file.name && isSavedId(savedId)) ids.add(savedId);
    }
    const result = await deleteStored({ ...deps, activity, index }, [...ids], {
      reason: "consent_withdrawn",
      signal,
    });
    // Record files of earlier versions' layout still in the folder go with their emails.
    const removedIds = new Set(result.removed);
    const oldRecords = files
      .filter((f) => f.name.endsWith(".json") && removedIds.has(f.name.slice(0, -5)))
      .map((f) => `${EMAILS_DIR}/${f.name}`);
    if (oldRecords.length > 0) await deps.storage.removeMany(oldRecords, { signal });
    const first = result.failed[0];
    if (first) throw first.error;
    return { scope, emails: result.removed.length, recycled: result.recycled };
  }
  const deleted = await deleteEverything(deps, signal);
  await deps.activity?.list(signal);
  deps.index?.forget();
  await deps.index?.entries({ fresh: true, ...(signal ? { signal } : {}) });
  deps.settings?.forget();
  await deps.consent?.refresh();
  return deleted;
}

/** "my_data"'s deletes and its record (see deleteAll); the caller refreshes its copies. */
async function deleteEverything(deps: DeleteAllDeps, signal?: AbortSignal): Promise<MyDataDeleted> {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const index = deps.index ?? createEmailIndex(deps.storage);
  const [emailFiles, consentFiles, activityLog, rootFiles, entries] = await Promise.all([
    deps.storage.list(EMAILS_DIR, signal),
    deps.storage.list(CONSENT_DIR, signal),
    activityLogSize(deps.storage, signal),
    deps.storage.list("", signal),
    index.entries({ fresh: true, ...(signal ? { signal } : {}) }),
  ]);
  const rootPaths = new Set([...rootFiles.map((f) => f.name), PROJECTS_FILE, SETTINGS_FILE]);
  const outcome = await deps.storage.removeMany([...USER_FOLDERS, ...rootPaths], { signal });
  const first = outcome.failed[0];
  if (first) {
    throw new SeptError(first.error.code, {
      message: `Could not delete ${outcome.failed.map((f) => f.path).join(", ")}: ${first.error.message}`,
      params: first.error.params,
      retryable: first.error.retryable,
      cause: first.error,
    });
  }
  const emails = new Set([
    ...entries.map((e) => e.savedId),
    ...emailFiles
      .filter((f) => /\.(json|eml)$/.test(f.name))
      .map((f) => f.name.replace(/\.\w+$/, "")),
  ]).size;
  const counts = {
    emails,
    consentRecords: consentFiles.length,
    activityEvents: activityLog.events,
  };
  const record: ActivityEvent = {
    id: newId(),
    at: now().toISOString(),
    kind: "all_data_deleted",
    outcome: "success",
    refs: {},
    details: {
      ...counts,
      files: emailFiles.length + consentFiles.length + activityLog.files,
      ...deps.recordDetails,
    },
  };
  // A log of its own: the caller's log would chain the record onto an event that no longer exists.
  await createStorageActivityLog(deps.storage).append(record);
  return { scope: "my_data", ...counts, recycled: outcome.recycled ?? [], record };
}
