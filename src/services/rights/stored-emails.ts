// The user's rights over stored emails (privacy policy §5, §7): review them, correct them, get the
// original back. Deleting some or all is in remove.ts. Listing reads the record shards (the index
// entries are derived from them), never one request per email.
import { SeptError } from "../../core/errors.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import { isProjectId } from "../../core/projects.js";
import { expiresAt, type RetentionSetting } from "../../core/retention.js";
import { savedIdFor, type IndexEntry, type StoredEmailRecord } from "../../core/stored-email.js";
import type { EmailIndex } from "../storage/email-index.js";
import { contentPath } from "../storage/layout.js";
import { migrateLegacyRecords } from "../storage/migrate-records.js";

/** Saved ids name files: anything else in an index or a listing is not ours to build a path from. */
const SAVED_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Notes are the user's own words about the email; bounded so the index stays small. */
export const NOTE_MAX = 2000;

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
 * Every stored email, newest save first, from the record shards (one listing of `records/`, then
 * the shards that changed since this pane read them) plus the settings, which the pane has read
 * at start already.
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

/**
 * The stored emails page by page, newest message month first, a month (or a few shards of a
 * month split into many) a page: the Stored view shows the first page's rows while later ones load.
 * Each page is sorted newest save first; pages of different months interleave by save date.
 */
export async function* listStoredPages(
  deps: { index: Pick<EmailIndex, "pages">; retention: ListDeps["retention"] },
  signal?: AbortSignal,
): AsyncGenerator<StoredEmail[]> {
  const retention = await deps.retention();
  for await (const page of deps.index.pages({ fresh: true, ...(signal ? { signal } : {}) })) {
    yield page.entries.map((entry) => ({
      ...entry,
      expiresAt: expiresAt(entry.savedAt, retention),
    }));
  }
}

export interface StoredEmailsDeps {
  storage: StoragePort;
  index: EmailIndex;
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

/** The stored record of `savedId`; an email of earlier versions is moved into the shards first. */
async function storedRecord(
  deps: StoredEmailsDeps,
  savedId: string,
  signal?: AbortSignal,
): Promise<StoredEmailRecord> {
  let record = await deps.index.record(savedId, signal);
  if (!record && (await deps.index.legacy(signal))) {
    await migrateLegacyRecords(deps.storage, deps.index, signal ? { signal } : {});
    record = await deps.index.record(savedId, signal);
  }
  if (!record) throw notFound(savedId);
  return record;
}

/** The record with the note set (an empty note removes it); null when it is already so. */
function withNote(record: StoredEmailRecord, note: string): StoredEmailRecord | null {
  if (note === (record.note ?? "")) return null;
  const { note: _old, ...rest } = record;
  return note === "" ? rest : { ...rest, note };
}

/**
 * Changes an email's project link or note: the record in its shard (which is its index entry
 * too), then one `email_corrected` event naming the fields changed (never the note's text).
 *
 * A note alone is changed in place, under If-Match on the shard. A new project moves the email to
 * the saved id of (message, new project), since the save pipeline recognises "already saved" by
 * that id: the copy lands first (content, then the record, committed like a save), then the old
 * record leaves its shard (a new generation of it) and its content goes. A crash midway leaves
 * two copies, never none. Moving to a project the message is already saved in is refused
 * (`conflict`, params.reason "already_in_project"): delete one of the two instead.
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
  const before = await storedRecord(deps, savedId, signal);
  const fields: string[] = [];
  if (change.projectId !== undefined && change.projectId !== before.projectId) {
    fields.push("projectId");
  }
  if (note !== undefined && note !== (before.note ?? "")) fields.push("note");
  if (fields.length === 0) return before;
  const details = {
    fields,
    ...(fields.includes("projectId") ? { previousProjectId: before.projectId } : {}),
  };
  if (change.projectId !== undefined && fields.includes("projectId")) {
    const target = note === undefined ? before : (withNote(before, note) ?? before);
    const moved = await moveToProject(deps, target, change.projectId, signal);
    await deps.activity.append({
      id: newId(),
      at: now().toISOString(),
      kind: "email_corrected",
      outcome: "success",
      refs: { savedId: moved.savedId, previousSavedId: savedId },
      projectId: moved.projectId,
      details,
    });
    return moved;
  }
  // The note, on the record as it is now in its shard (another pane may have changed it).
  const updated =
    (await deps.index.update(savedId, (current) => withNote(current, note ?? ""), signal)) ??
    (await storedRecord(deps, savedId, signal));
  await deps.activity.append({
    id: newId(),
    at: now().toISOString(),
    kind: "email_corrected",
    outcome: "success",
    refs: { savedId },
    projectId: updated.projectId,
    details,
  });
  return updated;
}

/** The moving half of `correct`: copy under the new saved id, then the old record and content go. */
async function moveToProject(
  deps: StoredEmailsDeps,
  before: StoredEmailRecord,
  projectId: string,
  signal: AbortSignal | undefined,
): Promise<StoredEmailRecord> {
  const savedId = await savedIdFor(before.message, projectId);
  const alreadyThere = () =>
    new SeptError("conflict", {
      message: "This email is already saved in that project.",
      params: { reason: "already_in_project", projectId, savedId },
    });
  const { receivedDateTime } = before.message;
  if ((await deps.index.find(receivedDateTime, [savedId], signal)).length > 0) throw alreadyThere();
  const moved: StoredEmailRecord = { ...before, projectId, savedId };
  if (before.content.stored) {
    const bytes = await deps.storage.read(contentPath(before.savedId), signal);
    await deps.storage.write(contentPath(savedId), bytes, signal ? { signal } : {});
    moved.content = { ...before.content, path: contentPath(savedId) };
  }
  const committed = await deps.index.commit(moved, signal);
  if (!committed.mine) {
    // Saved to that project by another pane meanwhile: its copy stands, ours goes.
    if (before.content.stored && !committed.record.content.stored) {
      await deps.storage.remove(contentPath(savedId));
    }
    throw alreadyThere();
  }
  await deps.index.remove([{ savedId: before.savedId, receivedDateTime }], signal);
  await deps.storage.removeMany([contentPath(before.savedId)], signal ? { signal } : {});
  return moved;
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
