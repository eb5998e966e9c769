import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort, StoredFile } from "../../core/ports/storage.js";
import { indexEntryFor, type StoredEmailRecord } from "../../core/stored-email.js";
import type { EmailIndex, IndexInspection } from "../storage/email-index.js";
import { readStoredRecords } from "../storage/read-records.js";
import { indexFor, savedEvent } from "./save-email.js";
import {
  contentPath,
  EMAILS_DIR,
  PENDING_DIR,
  recordPath,
  reservationPath,
} from "../storage/layout.js";

/**
 * How old a leftover must be before reconcile treats it as abandoned: younger, it may belong to a
 * save still running in another Outlook window (a large upload takes a while).
 */
export const DEFAULT_RECONCILE_GRACE_MS = 10 * 60 * 1000;

export interface ReconcileDeps {
  storage: StoragePort;
  activity: ActivityLogPort;
  index?: EmailIndex;
  now?: () => Date;
  /** Leftovers younger than this are left alone (default 10 minutes). */
  graceMs?: number;
  /** Reads only: the report says what a run would repair, and nothing is written or deleted. */
  dryRun?: boolean;
}

export interface ReconcileReport {
  /** Saves whose record was stored but whose event or index entry was missing, now complete. */
  repaired: number;
  /** Content files without a record (a save that failed before its record), removed. */
  removedOrphans: number;
  /** The index was missing, unreadable, or listed emails that have no record, and was rewritten. */
  indexRebuilt: boolean;
}

const savedIdOf = (file: StoredFile, extension: string): string | null =>
  file.name.endsWith(extension) ? file.name.slice(0, -extension.length) : null;

/**
 * Run at pane start: repairs what a crash between the steps of a save left behind, so that what
 * the user sees (the index) matches the records, every record has its one `email_saved` event,
 * and no content lies around without a record. Costs three reads when all is well (the two
 * listings and the index); everything it does is idempotent, so two panes may run it at once.
 */
export async function reconcile(
  deps: ReconcileDeps,
  signal?: AbortSignal,
): Promise<ReconcileReport> {
  const { storage, activity } = deps;
  const index = indexFor(deps);
  const cutoff =
    (deps.now ?? (() => new Date()))().getTime() - (deps.graceMs ?? DEFAULT_RECONCILE_GRACE_MS);
  const abandoned = (file: StoredFile) => {
    const at = Date.parse(file.lastModified);
    return Number.isNaN(at) || at <= cutoff;
  };

  // The pending folder first, then the rest together: its listing is where a repair visibly
  // begins (the pane's start-up waits for its own reads to finish before that point).
  const pending = await storage.list(PENDING_DIR, signal);
  const [emailFiles, inspection] = await Promise.all([
    storage.list(EMAILS_DIR, signal),
    index.inspect(signal),
  ]);
  const records = new Set<string>();
  const contents = new Map<string, StoredFile>();
  for (const file of emailFiles) {
    const recordId = savedIdOf(file, ".json");
    if (recordId) records.add(recordId);
    const contentId = savedIdOf(file, ".eml");
    if (contentId) contents.set(contentId, file);
  }

  const report: ReconcileReport = { repaired: 0, removedOrphans: 0, indexRebuilt: false };
  const toRemove: string[] = [];
  const orphans = new Set<string>();

  // Reservations: the record decides. Stored → the save completes below; absent → it never will.
  const reservedWithRecord = new Set<string>();
  for (const file of pending) {
    const savedId = savedIdOf(file, ".json");
    if (!savedId) continue;
    if (records.has(savedId)) {
      reservedWithRecord.add(savedId);
    } else if (abandoned(file)) {
      if (contents.has(savedId)) orphans.add(savedId);
      toRemove.push(reservationPath(savedId));
    }
  }
  // Content with no record and no reservation: a small save that failed between its two PUTs.
  for (const [savedId, file] of contents) {
    if (!records.has(savedId) && abandoned(file)) orphans.add(savedId);
  }
  for (const savedId of orphans) toRemove.push(contentPath(savedId));
  report.removedOrphans = orphans.size;

  // Records the index does not know: saves that stopped after their record. A missing or
  // unreadable index knows none, so every record is checked (rare: a first start, or damage).
  const indexed = new Set(
    inspection.status === "ok" ? inspection.entries.map((e) => e.savedId) : [],
  );
  const unfinished = [...records].filter((id) => !indexed.has(id) || reservedWithRecord.has(id));
  const completed = await readRecords(storage, unfinished, signal);
  if (deps.dryRun) return dryRunReport(report, inspection, records, completed.length);
  for (const record of completed) {
    const outcome = await activity.appendIdempotent(savedEvent(record));
    // A rebuild re-checks every record: there only those that lacked their event were repaired.
    if (inspection.status === "ok" || outcome === "appended") report.repaired += 1;
    if (reservedWithRecord.has(record.savedId)) toRemove.push(reservationPath(record.savedId));
  }

  // No index and no records: a new user, nothing to rebuild (the first save creates the index).
  if (inspection.status === "corrupt" || (inspection.status === "missing" && records.size > 0)) {
    await index.rebuild(signal);
    report.indexRebuilt = true;
  } else if (inspection.status === "ok") {
    const extra = inspection.entries.filter((e) => !records.has(e.savedId)).map((e) => e.savedId);
    const upsert = completed.filter((r) => !indexed.has(r.savedId)).map(indexEntryFor);
    if (extra.length > 0 || upsert.length > 0) {
      await index.apply({ upsert, remove: extra }, signal);
      report.indexRebuilt = extra.length > 0;
    }
  }

  if (toRemove.length > 0) {
    const result = await storage.removeMany(toRemove, { signal });
    const failed = result.failed[0];
    if (failed) throw failed.error;
  }
  return report;
}

/**
 * What a run would do, from reads alone: records to complete (at most: a run appends only the
 * events that are missing), orphans to remove, and whether the index would be rewritten.
 */
function dryRunReport(
  report: ReconcileReport,
  inspection: IndexInspection,
  records: ReadonlySet<string>,
  completed: number,
): ReconcileReport {
  const indexRebuilt =
    inspection.status === "ok"
      ? inspection.entries.some((e) => !records.has(e.savedId))
      : inspection.status === "corrupt" || records.size > 0;
  return { ...report, repaired: completed, indexRebuilt };
}

/** The records of these saved ids; unreadable ones are left to the user (they are theirs). */
async function readRecords(
  storage: StoragePort,
  savedIds: string[],
  signal?: AbortSignal,
): Promise<StoredEmailRecord[]> {
  const records = await readStoredRecords(storage, savedIds.map(recordPath), signal);
  return records.filter((r, i): r is StoredEmailRecord => r?.savedId === savedIds[i]);
}
