// Moves the records of earlier versions (one `emails/{savedId}.json` per email, and the index in
// `index/`) into the record shards. Resumable and idempotent: a chunk of records is read, added
// to the shards (a record already there is kept), and only then are its old files deleted; the
// old index goes last, once no old record is left. Run by reconcile (the pane, in the background
// after its first view) and by the tenant job.
import { SeptError } from "../../core/errors.js";
import type { StoragePort } from "../../core/ports/storage.js";
import type { StoredEmailRecord } from "../../core/stored-email.js";
import type { EmailIndex } from "./email-index.js";
import { EMAILS_DIR, INDEX_DIR, indexFilePath } from "./layout.js";
import { readStoredRecords } from "./read-records.js";

/** Records read and moved per round: bounds memory, and what a crash makes the next run redo. */
const CHUNK = 400;

export interface MigrationResult {
  /** Records moved into shards by this run. */
  moved: number;
  /** Files in `emails/` that are not records of that layout (left where they are: the user's). */
  unreadable: number;
  /** The old layout is gone (no old record file or index left). */
  done: boolean;
}

/**
 * Moves every old record into the shards. `dryRun`: counts only. A record file deleted by
 * someone else while its chunk was moved (a delete through the old path) is taken out of the
 * shards again, so a delete never comes back.
 */
export async function migrateLegacyRecords(
  storage: StoragePort,
  index: EmailIndex,
  options: { signal?: AbortSignal; dryRun?: boolean; files?: readonly { name: string }[] } = {},
): Promise<MigrationResult> {
  const { signal } = options;
  const listed = options.files ?? (await storage.list(EMAILS_DIR, signal));
  const paths = listed
    .filter((f) => f.name.endsWith(".json"))
    .map((f) => `${EMAILS_DIR}/${f.name}`);
  const result: MigrationResult = { moved: 0, unreadable: 0, done: false };
  if (options.dryRun) {
    result.moved = paths.length;
    return result;
  }
  let failed = false;
  for (let i = 0; i < paths.length; i += CHUNK) {
    const chunk = paths.slice(i, i + CHUNK);
    const read = await readStoredRecords(storage, chunk, signal);
    const records: StoredEmailRecord[] = [];
    const movable: string[] = [];
    read.forEach((record, j) => {
      const path = chunk[j];
      if (!path) return;
      // A file named after another saved id is not this layout's: the user's, left alone.
      if (record && path === `${EMAILS_DIR}/${record.savedId}.json`) {
        records.push(record);
        movable.push(path);
      } else if (record) {
        result.unreadable += 1;
      }
    });
    await index.importRecords(records, signal);
    const outcome = await storage.removeMany(movable, { ...(signal ? { signal } : {}) });
    if (outcome.failed.length > 0) failed = true;
    const gone = new Set(outcome.missing);
    const deleted = records.filter((r) => gone.has(`${EMAILS_DIR}/${r.savedId}.json`));
    if (deleted.length > 0)
      await index.remove(
        deleted.map((r) => ({ savedId: r.savedId })),
        signal,
      );
    result.moved += records.length - deleted.length;
  }
  if (failed) return result;
  // No old record left: the old index goes (every version of it with it), then readers stop
  // looking for it.
  const old = (await storage.list(INDEX_DIR, signal)).map((f) => indexFilePath(f.name));
  if (old.length > 0) {
    const outcome = await storage.removeMany(old, { ...(signal ? { signal } : {}) });
    const first = outcome.failed[0];
    if (first) throw first.error;
  }
  try {
    await index.markMigrated(signal);
  } catch (error) {
    if (error instanceof SeptError && error.code === "cancelled") throw error;
    return result;
  }
  result.done = true;
  return result;
}
