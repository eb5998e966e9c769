import { SeptError } from "../../core/errors.js";
import type { StoragePort } from "../../core/ports/storage.js";
import { parseStoredEmailRecord, type StoredEmailRecord } from "../../core/stored-email.js";

/** Records downloaded at once: storage limits requests itself, this only bounds memory. */
const READ_BATCH = 8;

/**
 * The saved-email records at these paths, read a few at a time, in the order given. A file removed
 * since it was listed, or one that is not a record, gives `undefined`: it is no saved email, and the
 * caller decides what that means. Any other failure (cancelled, throttled...) rejects.
 */
export async function readStoredRecords(
  storage: StoragePort,
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<(StoredEmailRecord | undefined)[]> {
  const records: (StoredEmailRecord | undefined)[] = [];
  for (let i = 0; i < paths.length; i += READ_BATCH) {
    const batch = await Promise.all(
      paths.slice(i, i + READ_BATCH).map(async (path) => {
        try {
          const { value } = await storage.readJson<unknown>(path, signal);
          return parseStoredEmailRecord(value) ?? undefined;
        } catch (error) {
          if (
            error instanceof SeptError &&
            (error.code === "not_found" || error.code === "unknown")
          ) {
            return undefined;
          }
          throw error;
        }
      }),
    );
    records.push(...batch);
  }
  return records;
}
