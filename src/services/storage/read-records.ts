import type { StoragePort } from "../../core/ports/storage.js";
import { parseStoredEmailRecord, type StoredEmailRecord } from "../../core/stored-email.js";

/**
 * The saved-email records at these paths, in the order given, read together (storage batches the
 * metadata and bounds what it holds at once). A file removed since it was listed, or one that is
 * not a record, gives `undefined`: it is no saved email, and the caller decides what that means.
 * Any other failure (cancelled, throttled...) rejects.
 */
export async function readStoredRecords(
  storage: StoragePort,
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<(StoredEmailRecord | undefined)[]> {
  const read = await storage.readJsonMany<unknown>(paths, signal ? { signal } : {});
  return read.map((file) => {
    if (file === undefined) return undefined;
    if (file.error) {
      // Not JSON: no record.
      if (file.error.code === "unknown") return undefined;
      throw file.error;
    }
    return parseStoredEmailRecord(file.value) ?? undefined;
  });
}
