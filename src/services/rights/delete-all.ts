// "Delete all", the one entry point for both of its scopes: every stored email (with a withdrawal
// of consent) or every file SEPT keeps for the user ("delete all my data"). The caller's own
// copies (index, settings, consent state) are refreshed, so none shows what is gone.
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { StoragePort } from "../../core/ports/storage.js";
import { deleteAllStoredEmails } from "./remove.js";
import type { EmailIndex } from "../storage/email-index.js";
import { deleteAllMyData } from "./stored-emails.js";

export type DeleteAllScope =
  /** Every stored email (content, record, index entry), one `email_deleted` event each. */
  | "stored_emails"
  /** Everything: emails, index, projects, settings, consent records, activity; one record left. */
  | "my_data";

export interface DeleteAllDeps {
  storage: StoragePort;
  activity: ActivityLogPort;
  /** The caller's index (re-read); a fresh one otherwise. */
  index?: Pick<EmailIndex, "entries" | "apply">;
  /** The caller's settings (dropped with "my_data": the file is gone). */
  settings?: { forget(): void };
  /** The caller's consent state (re-read with "my_data": the ledger is gone). */
  consent?: { refresh(): Promise<unknown> };
}

export interface DeleteAllOutcome {
  /** Stored emails deleted. */
  emails: number;
  /** Paths Microsoft 365 would not delete for good (they sit in the user's recycle bin). */
  recycled: number;
}

/**
 * Deletes every stored email ("stored_emails", reason consent_withdrawn), or all the user's data
 * ("my_data"). Rejects when anything could not be deleted; for "my_data", nothing is then written.
 */
export async function deleteAll(
  deps: DeleteAllDeps,
  scope: DeleteAllScope,
): Promise<DeleteAllOutcome> {
  if (scope === "stored_emails") {
    const emails = await deleteAllStoredEmails({
      storage: deps.storage,
      activity: deps.activity,
      ...(deps.index ? { index: deps.index } : {}),
    });
    return { emails, recycled: 0 };
  }
  const result = await deleteAllMyData({
    storage: deps.storage,
    activity: deps.activity,
    ...(deps.index ? { index: deps.index } : {}),
    ...(deps.settings ? { settings: deps.settings } : {}),
  });
  await deps.consent?.refresh();
  return { emails: result.emails, recycled: result.recycled.length };
}
