import type { ActivityLogPort } from "../core/ports/activity-log.js";
import type { StoragePort } from "../core/ports/storage.js";
import { EMAILS_DIR } from "./storage-layout.js";

/** Deletes every stored email (content and record), one activity event per email deleted. */
export async function deleteAllStoredEmails(deps: {
  storage: StoragePort;
  activity: ActivityLogPort;
  now?: () => Date;
  newId?: () => string;
}): Promise<number> {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const files = await deps.storage.list(EMAILS_DIR);
  const ids = new Set(files.map((f) => f.name.replace(/\.(json|eml)$/, "")));
  for (const file of files) await deps.storage.remove(`${EMAILS_DIR}/${file.name}`);
  for (const savedId of ids) {
    await deps.activity.append({
      id: newId(),
      at: now().toISOString(),
      kind: "email_deleted",
      outcome: "success",
      refs: { savedId },
      details: { reason: "consent_withdrawn" },
    });
  }
  return ids.size;
}
