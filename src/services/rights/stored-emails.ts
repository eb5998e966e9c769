// The user's rights over stored emails (privacy policy §5, §7): review them, correct them, get the
// original back, delete some or all. Listing reads the index, never one request per email.
import type { ActivityEvent } from "../../core/activity/activity.js";
import { compactTimestamp } from "../../core/activity/activity.js";
import { SeptError, toSeptError } from "../../core/errors.js";
import type { ActivityLogPort, AppendManyResult } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import { isProjectId } from "../../core/projects.js";
import { expiresAt, type RetentionSetting } from "../../core/retention.js";
import {
  indexEntryFor,
  parseStoredEmailRecord,
  savedIdFor,
  type IndexEntry,
  type StoredEmailRecord,
} from "../../core/stored-email.js";
import { createStorageActivityLog } from "../storage/activity-log.js";
import type { EmailIndex } from "../storage/email-index.js";
import {
  ACTIVITY_DIR,
  CONSENT_DIR,
  contentPath,
  EMAILS_DIR,
  INDEX_DIR,
  PENDING_DIR,
  PROJECTS_FILE,
  recordPath,
  SETTINGS_FILE,
} from "../storage/layout.js";
import { retryLostRaces } from "../storage/optimistic-write.js";

/** Saved ids name files: anything else in an index or a listing is not ours to build a path from. */
const SAVED_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Notes are the user's own words about the email; bounded so the index stays small. */
export const NOTE_MAX = 2000;
/** Record writes tried before a correction gives up to a pane that keeps writing the same record. */
const MAX_ATTEMPTS = 5;

export function isSavedId(value: unknown): value is string {
  return typeof value === "string" && SAVED_ID.test(value);
}

/** A stored email as listed: its index entry, and when retention deletes it (null: never). */
export interface StoredEmail extends IndexEntry {
  expiresAt: string | null;
}

export interface ListDeps {
  index: Pick<EmailIndex, "entries">;
  /** The retention that applies (settings.current(), which costs no request once read). */
  retention: () => Promise<RetentionSetting> | RetentionSetting;
}

/**
 * Every stored email, newest save first, from the index: one index read (two Graph requests,
 * whatever the number of emails) plus the settings, which the pane has read at start already.
 */
export async function listStored(deps: ListDeps, signal?: AbortSignal): Promise<StoredEmail[]> {
  const [entries, retention] = await Promise.all([
    deps.index.entries({ fresh: true, signal }),
    deps.retention(),
  ]);
  return entries
    .map((entry) => ({ ...entry, expiresAt: expiresAt(entry.savedAt, retention) }))
    .sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0));
}

export interface StoredEmailsDeps {
  storage: StoragePort;
  index: Pick<EmailIndex, "entries" | "apply">;
  activity: ActivityLogPort;
  now?: () => Date;
  newId?: () => string;
}

export interface Correction {
  projectId?: string;
  /** The user's note; an empty note removes it. */
  note?: string;
}

function notFound(savedId: string): SeptError {
  return new SeptError("not_found", {
    message: `No stored email '${savedId}'.`,
    params: { savedId },
  });
}

function checkSavedId(savedId: string): void {
  if (!isSavedId(savedId)) {
    throw new SeptError("bad_request", { message: `'${savedId}' is not a saved email id.` });
  }
}

/**
 * Changes an email's project link or note: the record, then its index entry, then one
 * `email_corrected` event naming the fields changed (never the note's text).
 *
 * A note alone is changed in place, under If-Match. A new project moves the email to the saved id
 * of (message, new project), since the save pipeline recognises "already saved" by that id: the
 * copy lands first (content, then the record with conflict "fail"), the index swaps the entries in
 * one update, then the old files go. A crash midway leaves two copies, never none. Moving to a
 * project the message is already saved in is refused (`conflict`, params.reason
 * "already_in_project"): delete one of the two instead.
 */
export async function correct(
  deps: StoredEmailsDeps,
  savedId: string,
  change: Correction,
  signal?: AbortSignal,
): Promise<StoredEmailRecord> {
  checkSavedId(savedId);
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  if (change.projectId !== undefined && !isProjectId(change.projectId)) {
    throw new SeptError("bad_request", { message: "Not a project id." });
  }
  const note = change.note?.trim();
  if (note !== undefined && [...note].length > NOTE_MAX) {
    throw new SeptError("bad_request", {
      message: `A note has at most ${NOTE_MAX} characters.`,
      params: { max: NOTE_MAX },
    });
  }
  // A note is written under If-Match: when another pane wrote the record first, read it again.
  const step = await retryLostRaces<CorrectionStep>(
    async (guarded) => {
      let read: { value: unknown; file: { eTag: string } };
      try {
        read = await deps.storage.readJson<unknown>(recordPath(savedId), signal);
      } catch (error) {
        if (error instanceof SeptError && error.code === "not_found") throw notFound(savedId);
        throw error;
      }
      const before = parseStoredEmailRecord(read.value);
      if (!before || before.savedId !== savedId) {
        throw new SeptError("unknown", { message: `The record of '${savedId}' cannot be read.` });
      }
      const fields: string[] = [];
      // Fields this version does not know stay as they are.
      const raw = { ...(read.value as Record<string, unknown>) };
      if (change.projectId !== undefined && change.projectId !== before.projectId) {
        raw.projectId = change.projectId;
        fields.push("projectId");
      }
      if (note !== undefined && note !== (before.note ?? "")) {
        if (note === "") delete raw.note;
        else raw.note = note;
        fields.push("note");
      }
      if (fields.length === 0) return { kind: "unchanged", record: before };
      const updated = parseStoredEmailRecord(raw);
      if (!updated) throw new SeptError("unknown", { message: "The corrected record is invalid." });
      const details = {
        fields,
        ...(fields.includes("projectId") ? { previousProjectId: before.projectId } : {}),
      };
      if (fields.includes("projectId")) return { kind: "move", before, raw, details };
      await guarded(
        deps.storage.writeJson(recordPath(savedId), raw, { ifMatch: read.file.eTag, signal }),
      );
      return { kind: "written", record: updated, details };
    },
    { attempts: MAX_ATTEMPTS },
  );
  if (step.kind === "unchanged") return step.record;
  if (step.kind === "move") {
    const moved = await moveToProject(deps, step.before, step.raw, signal);
    await deps.activity.append({
      id: newId(),
      at: now().toISOString(),
      kind: "email_corrected",
      outcome: "success",
      refs: { savedId: moved.savedId, previousSavedId: savedId },
      projectId: moved.projectId,
      details: step.details,
    });
    return moved;
  }
  const updated = step.record;
  await deps.index.apply({ upsert: [indexEntryFor(updated)] }, signal);
  await deps.activity.append({
    id: newId(),
    at: now().toISOString(),
    kind: "email_corrected",
    outcome: "success",
    refs: { savedId },
    projectId: updated.projectId,
    details: step.details,
  });
  return updated;
}

/** What one read of the record asks of `correct`. */
type CorrectionStep =
  | { kind: "unchanged"; record: StoredEmailRecord }
  | { kind: "move"; before: StoredEmailRecord; raw: Record<string, unknown>; details: Changed }
  | { kind: "written"; record: StoredEmailRecord; details: Changed };
/** An `email_corrected` event's details: the fields changed, never the note's text. */
type Changed = { fields: string[]; previousProjectId?: string };

/** The moving half of `correct`: copy under the new saved id, swap index entries, drop the old. */
async function moveToProject(
  deps: StoredEmailsDeps,
  before: StoredEmailRecord,
  raw: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<StoredEmailRecord> {
  const projectId = String(raw.projectId);
  const savedId = await savedIdFor(before.message, projectId);
  const target = recordPath(savedId);
  const alreadyThere = () =>
    new SeptError("conflict", {
      message: "This email is already saved in that project.",
      params: { reason: "already_in_project", projectId, savedId },
    });
  if (await deps.storage.stat(target, signal)) throw alreadyThere();
  const moved: Record<string, unknown> = { ...raw, savedId };
  if (before.content.stored) {
    const bytes = await deps.storage.read(contentPath(before.savedId), signal);
    await deps.storage.write(contentPath(savedId), bytes, { signal });
    moved.content = { ...before.content, path: contentPath(savedId) };
  }
  try {
    await deps.storage.writeJson(target, moved, { conflict: "fail", signal });
  } catch (error) {
    // Saved to that project by another pane meanwhile: its copy stands, ours goes.
    if (error instanceof SeptError && error.code === "conflict") {
      if (before.content.stored) await deps.storage.remove(contentPath(savedId));
      throw alreadyThere();
    }
    throw error;
  }
  const record = parseStoredEmailRecord(moved);
  if (!record) throw new SeptError("unknown", { message: "The moved record is invalid." });
  await deps.index.apply({ upsert: [indexEntryFor(record)], remove: [before.savedId] }, signal);
  await deps.storage.removeMany([contentPath(before.savedId), recordPath(before.savedId)], {
    signal,
  });
  return record;
}

/** The original message as saved (.eml bytes); not_found for a details-only save. */
export async function downloadEml(
  deps: { storage: StoragePort },
  savedId: string,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  checkSavedId(savedId);
  try {
    return await deps.storage.read(contentPath(savedId), signal);
  } catch (error) {
    if (error instanceof SeptError && error.code === "not_found") {
      throw new SeptError("not_found", {
        message: `No content is stored for '${savedId}'.`,
        params: { savedId },
        cause: error,
      });
    }
    throw error;
  }
}

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

/**
 * Removes emails for good: content first, then records (a crash in between leaves a record the
 * index still lists and the next run deletes, never content that nothing points at any more),
 * then one event each, as one chained run in $batch requests of 20 (deterministic ids: a re-run
 * never logs twice), then their index entries in
 * one update. A crash anywhere is finished by the next run: files already gone count as missing.
 * `trustIndex`: skip the .eml of entries the index says have none (a purge); else try it anyway.
 */
export async function removeEmailsForGood(
  deps: StoredEmailsDeps,
  emails: readonly EmailToRemove[],
  event: (email: EmailToRemove) => ActivityEvent,
  options: { trustIndex?: boolean; signal?: AbortSignal } = {},
): Promise<RemovalResult> {
  const { signal } = options;
  const result: RemovalResult = {
    removed: [],
    recycled: [],
    failed: [],
    files: { removed: 0, missing: 0 },
  };
  const failed = new Map<string, SeptError>();
  const recycled = new Set<string>();
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

  const removeFiles = async (paths: Map<string, string>) => {
    if (paths.size === 0) return;
    const outcome = await deps.storage.removeMany([...paths.keys()], { signal });
    result.files.removed += outcome.removed.length;
    result.files.missing += outcome.missing.length;
    for (const path of outcome.recycled ?? []) {
      const savedId = paths.get(path);
      if (savedId) recycled.add(savedId);
    }
    for (const { path, error } of outcome.failed) {
      const savedId = paths.get(path);
      if (savedId && !failed.has(savedId)) failed.set(savedId, error);
    }
  };

  const contents = new Map<string, string>();
  for (const email of targets) {
    if (!options.trustIndex || email.contentStored !== false) {
      contents.set(contentPath(email.savedId), email.savedId);
    }
  }
  await removeFiles(contents);
  const records = new Map<string, string>();
  for (const email of targets) {
    if (!failed.has(email.savedId)) records.set(recordPath(email.savedId), email.savedId);
  }
  await removeFiles(records);

  const gone = targets.filter((email) => !failed.has(email.savedId));
  const logged: string[] = [];
  if (gone.length > 0) {
    if (signal?.aborted) throw new SeptError("cancelled", { cause: signal.reason });
    // One chained run, written 20 events a $batch.
    let outcomes: AppendManyResult[];
    try {
      outcomes = await deps.activity.appendMany(gone.map(event), { idempotent: true, signal });
    } catch (error) {
      const septError = toSeptError(error);
      if (septError.code === "cancelled") throw septError;
      outcomes = gone.map((email) => ({ id: email.savedId, error: septError }));
    }
    gone.forEach((email, i) => {
      const outcome = outcomes[i];
      // Its files are gone but its event is not written: the entry stays in the index, so the
      // next run (files missing, then the event) finishes it.
      if (outcome?.error) failed.set(email.savedId, outcome.error);
      else if (outcome) logged.push(email.savedId);
      else failed.set(email.savedId, new SeptError("unknown", { message: "Not logged." }));
    });
  }
  if (logged.length > 0) await deps.index.apply({ remove: logged }, signal);
  result.removed = logged;
  result.recycled = logged.filter((savedId) => recycled.has(savedId));
  for (const [savedId, error] of failed) result.failed.push({ savedId, error });
  return result;
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

export interface DeleteAllDeps {
  storage: StoragePort;
  /** The pane's own log: re-read at the end so its next event chains onto the deletion record. */
  activity?: Pick<ActivityLogPort, "list">;
  /** The pane's index and settings: re-read (index) and dropped (settings), so neither shows what is gone. */
  index?: Pick<EmailIndex, "entries">;
  settings?: { forget(): void };
  now?: () => Date;
  newId?: () => string;
  /** Kept in the deletion record's details: who asked, when not the user (e.g. the privacy office). */
  recordDetails?: Record<string, string>;
}

export interface DeleteAllResult {
  /**
   * Paths (folders and files) Microsoft 365 would not delete for good: they sit in the user's
   * recycle bin. Empty when everything is gone for good.
   */
  recycled: string[];
  emails: number;
  consentRecords: number;
  activityEvents: number;
  /** The one event left: the record that the deletion happened. */
  record: ActivityEvent;
}

/** Everything SEPT keeps for a user, by folder; root files (projects, settings) are listed. */
const USER_FOLDERS = [EMAILS_DIR, INDEX_DIR, PENDING_DIR, CONSENT_DIR, ACTIVITY_DIR];

/**
 * "Delete all my data": every stored email, the index, saves in progress, the project catalogue,
 * settings, consent records and activity events, in one $batch of folder and file DELETEs; then
 * one `all_data_deleted` event, the only thing left. It starts a new chain (prevHash null), since
 * every event it could point at is gone. Nothing is written if anything could not be deleted.
 * The caller should stop saves in progress first, and re-read consent (the ledger is gone).
 */
export async function deleteAllMyData(
  deps: DeleteAllDeps,
  signal?: AbortSignal,
): Promise<DeleteAllResult> {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const [emailFiles, consentFiles, activityFiles, rootFiles] = await Promise.all([
    deps.storage.list(EMAILS_DIR, signal),
    deps.storage.list(CONSENT_DIR, signal),
    deps.storage.list(ACTIVITY_DIR, signal),
    deps.storage.list("", signal),
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
  const emails = new Set(
    emailFiles.filter((f) => /\.(json|eml)$/.test(f.name)).map((f) => f.name.replace(/\.\w+$/, "")),
  ).size;
  const counts = {
    emails,
    consentRecords: consentFiles.length,
    activityEvents: activityFiles.length,
  };
  const record: ActivityEvent = {
    id: newId(),
    at: now().toISOString(),
    kind: "all_data_deleted",
    outcome: "success",
    refs: {},
    details: {
      ...counts,
      files: emailFiles.length + consentFiles.length + activityFiles.length,
      ...deps.recordDetails,
    },
  };
  // A log of its own: the pane's log would chain the record onto an event that no longer exists.
  await createStorageActivityLog(deps.storage).append(record);
  await deps.activity?.list(signal);
  await deps.index?.entries({ fresh: true, signal });
  deps.settings?.forget();
  return { ...counts, recycled: outcome.recycled ?? [], record };
}
