import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import { createEmailIndex, type EmailIndex } from "../storage/email-index.js";
import { EMAILS_DIR } from "../storage/layout.js";
import { deleteStored, isSavedId } from "./stored-emails.js";

/**
 * Deletes every stored email (content, record and index entry) when consent is withdrawn, one
 * `email_deleted` event per email (reason "consent_withdrawn"). What is in the folder counts, not
 * only what the index lists. Resolves to the number deleted; rejects if any could not be.
 */
export async function deleteAllStoredEmails(deps: {
  storage: StoragePort;
  activity: ActivityLogPort;
  /** The pane's index, so its copy stays current; a fresh one otherwise. */
  index?: Pick<EmailIndex, "entries" | "apply">;
  now?: () => Date;
  newId?: () => string;
  signal?: AbortSignal;
}): Promise<number> {
  const index = deps.index ?? createEmailIndex(deps.storage);
  const [files, entries] = await Promise.all([
    deps.storage.list(EMAILS_DIR, deps.signal),
    index.entries({ fresh: true, signal: deps.signal }),
  ]);
  const ids = new Set(entries.map((e) => e.savedId));
  for (const file of files) {
    const savedId = file.name.replace(/\.(json|eml)$/, "");
    if (savedId !== file.name && isSavedId(savedId)) ids.add(savedId);
  }
  const result = await deleteStored({ ...deps, index }, [...ids], {
    reason: "consent_withdrawn",
    signal: deps.signal,
  });
  const first = result.failed[0];
  if (first) throw first.error;
  return result.removed.length;
}
