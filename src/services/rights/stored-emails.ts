// The user's rights over stored emails (privacy policy §5, §7): review them, correct them, get the
// original back. Deleting some or all is in remove.ts. Listing reads the index, never one request
// per email.
import { SeptError } from "../../core/errors.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
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
import type { EmailIndex } from "../storage/email-index.js";
import { contentPath, recordPath } from "../storage/layout.js";
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
