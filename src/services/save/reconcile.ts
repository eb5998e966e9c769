import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort, StoredFile } from "../../core/ports/storage.js";
import type { StoredEmailRecord } from "../../core/stored-email.js";
import type { EmailIndex } from "../storage/email-index.js";
import { contentPath, EMAILS_DIR, PENDING_DIR, reservationPath } from "../storage/layout.js";
import { migrateLegacyRecords } from "../storage/migrate-records.js";
import { indexFor, savedEvent } from "./save-email.js";

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
  /**
   * "recent" (the pane at start-up): only what the last EVENT_CHECK_MS (or the oldest pending
   * save) can have left behind is looked at, reading only the record shards changed since then,
   * not every shard (over 2,000 at 100,000 emails). Content left older than that is found by a
   * full run ("all", the default: the tenant job, which visits every user nightly).
   */
  scope?: "recent" | "all";
}

export interface ReconcileReport {
  /** Saves whose record was stored but whose `email_saved` event was missing, now logged. */
  repaired: number;
  /** Content files without a record (a save that failed before its record), removed. */
  removedOrphans: number;
  /** Record shards needed repair: a split or removal a crash cut short, or a stray shard file. */
  indexRebuilt: boolean;
  /** Records of earlier versions moved into the shards by this run (absent: none). */
  migrated?: number;
}

/**
 * Saves of this age or younger have their `email_saved` event checked (a look-up in the log's
 * head, which holds the recent events): a crash between a save's commit and its event is repaired
 * at any start within this time.
 */
export const EVENT_CHECK_MS = 31 * 24 * 60 * 60 * 1000;

/** Slack for the clocks of the device and of storage, which need not agree. */
const CLOCK_SLACK_MS = 24 * 60 * 60 * 1000;

/**
 * Where a "recent" reconcile starts looking (ms): the event check's reach, or the oldest
 * pending save when older, less a day of clock slack.
 */
function recentWindow(now: number, pending: readonly StoredFile[]): number {
  let start = now - EVENT_CHECK_MS;
  for (const file of pending) {
    const at = Date.parse(file.lastModified);
    if (!Number.isNaN(at)) start = Math.min(start, at);
  }
  return start - CLOCK_SLACK_MS;
}

const savedIdOf = (file: StoredFile, extension: string): string | null =>
  file.name.endsWith(extension) ? file.name.slice(0, -extension.length) : null;

/**
 * The records to check against, and the content files to judge: all of them, or with scope
 * "recent" only since the window opened (a record written after it lies in a shard changed after
 * it; content is written before its record, so a younger file's record is among those read).
 */
async function whatToCheck(
  deps: ReconcileDeps,
  index: ReturnType<typeof indexFor>,
  pending: readonly StoredFile[],
  emailFiles: readonly StoredFile[],
  now: number,
  signal?: AbortSignal,
): Promise<{ records: StoredEmailRecord[]; contents: Map<string, StoredFile> }> {
  const windowStart = deps.scope === "recent" ? recentWindow(now, pending) : null;
  const records =
    windowStart === null
      ? await index.records(signal)
      : await index.recordsModifiedSince(new Date(windowStart).toISOString(), signal);
  const contents = new Map<string, StoredFile>();
  for (const file of emailFiles) {
    const contentId = savedIdOf(file, ".eml");
    if (contentId && (windowStart === null || !(Date.parse(file.lastModified) < windowStart))) {
      contents.set(contentId, file);
    }
  }
  return { records, contents };
}

/** Moves the records of earlier versions (`emails/{id}.json`, `index/`) into the shards. */
async function migrateOldRecords(
  deps: ReconcileDeps,
  index: ReturnType<typeof indexFor>,
  emailFiles: StoredFile[],
  signal?: AbortSignal,
): Promise<number> {
  const oldRecords = emailFiles.filter((f) => f.name.endsWith(".json"));
  if (oldRecords.length === 0 && !(await index.legacy(signal))) return 0;
  const moved = await migrateLegacyRecords(deps.storage, index, {
    files: oldRecords,
    ...(deps.dryRun ? { dryRun: true } : {}),
    ...(signal ? { signal } : {}),
  });
  return moved.moved;
}

/**
 * Run at pane start (after the first view) and by the tenant job: repairs what a crash between
 * the steps of a save left behind, so that every stored record has its one `email_saved` event,
 * no content lies around without a record, and no split or removal of a record shard stays half
 * done; then moves any record of earlier versions into the shards. Everything it does is
 * idempotent, so two panes may run it at once.
 */
export async function reconcile(
  deps: ReconcileDeps,
  signal?: AbortSignal,
): Promise<ReconcileReport> {
  const { storage, activity } = deps;
  const index = indexFor(deps);
  const now = (deps.now ?? (() => new Date()))().getTime();
  const cutoff = now - (deps.graceMs ?? DEFAULT_RECONCILE_GRACE_MS);
  const abandoned = (file: StoredFile) => {
    const at = Date.parse(file.lastModified);
    return Number.isNaN(at) || at <= cutoff;
  };

  // The pending folder first, then the rest together: its listing is where a repair visibly
  // begins (the pane's start-up waits for its own reads to finish before that point).
  const pending = await storage.list(PENDING_DIR, signal);
  const [emailFiles, shards] = await Promise.all([
    storage.list(EMAILS_DIR, signal),
    index.repair({
      olderThan: new Date(cutoff).toISOString(),
      ...(deps.dryRun ? { dryRun: true } : {}),
      ...(signal ? { signal } : {}),
    }),
  ]);
  const report: ReconcileReport = {
    repaired: 0,
    removedOrphans: 0,
    indexRebuilt: shards.needed,
  };

  // Records of earlier versions (`emails/{id}.json`) move into the shards before anything below
  // asks which saved ids have a record.
  const migrated = await migrateOldRecords(deps, index, emailFiles, signal);
  if (migrated > 0) report.migrated = migrated;

  const { records, contents } = await whatToCheck(deps, index, pending, emailFiles, now, signal);
  const stored = new Set(records.map((r) => r.savedId));
  const toRemove: string[] = [];
  const orphans = new Set<string>();

  // Reservations: the record decides. Stored → the save completes below; absent → it never will.
  const reservedWithRecord = new Set<string>();
  for (const file of pending) {
    const savedId = savedIdOf(file, ".json");
    if (!savedId) continue;
    if (stored.has(savedId)) {
      reservedWithRecord.add(savedId);
    } else if (abandoned(file)) {
      if (contents.has(savedId)) orphans.add(savedId);
      toRemove.push(reservationPath(savedId));
    }
  }
  // Content with no record and no reservation: a small save that failed between its two PUTs.
  for (const [savedId, file] of contents) {
    if (!stored.has(savedId) && abandoned(file)) orphans.add(savedId);
  }
  for (const savedId of orphans) toRemove.push(contentPath(savedId));
  report.removedOrphans = orphans.size;

  // Recent saves (and reserved ones) whose event a crash after the commit may have cut off.
  const since = new Date(now - EVENT_CHECK_MS).toISOString();
  const check: StoredEmailRecord[] = records.filter(
    (r) => r.savedAt >= since || reservedWithRecord.has(r.savedId),
  );
  // A dry run cannot tell which events are missing without looking: at most these.
  if (deps.dryRun) return { ...report, repaired: check.length };
  if (check.length > 0) {
    const outcomes = await activity.appendMany(check.map(savedEvent), {
      idempotent: true,
      ...(signal ? { signal } : {}),
    });
    const failed = outcomes.find((o) => o.error);
    if (failed?.error) throw failed.error;
    report.repaired = outcomes.filter((o) => o.outcome === "appended").length;
  }
  for (const savedId of reservedWithRecord) toRemove.push(reservationPath(savedId));

  if (toRemove.length > 0) {
    const result = await storage.removeMany(toRemove, { signal });
    const failed = result.failed[0];
    if (failed) throw failed.error;
  }
  return report;
}
