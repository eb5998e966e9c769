// What the tenant job does for one user, each through the very service the pane calls: purge
// (services/rights/purge.ts), repair (services/save/reconcile.ts), a privacy-office withdrawal (the consent
// ledger), "delete all my data" and the export (those three: privacy-requests.ts, re-exported here).
// Every operation is safe to run again: a re-run after a crash finishes the work and logs nothing
// twice, which is what makes the job resumable.
import { SeptError, toSeptError } from "../core/errors.js";
import type { OrgPolicy } from "../core/org-policy.js";
import { isExpired, retentionDays } from "../core/retention.js";
import type { IndexEntry } from "../core/stored-email.js";
import { purgeExpired } from "../services/rights/purge.js";
import { reconcile } from "../services/save/reconcile.js";
import { EMAILS_DIR } from "../services/storage/layout.js";
import type { UserServices } from "./user-services.js";

export {
  assertReference,
  deleteUser,
  deletionEventId,
  exportUser,
  withdrawalEventId,
  withdrawalRecordId,
  withdrawUser,
  type ExportSink,
  type PrivacyRequest,
} from "./privacy-requests.js";

export const TENANT_COMMANDS = ["purge", "repair", "withdraw", "delete", "export"] as const;
export type TenantCommand = (typeof TENANT_COMMANDS)[number];

export function isTenantCommand(value: unknown): value is TenantCommand {
  return TENANT_COMMANDS.includes(value as TenantCommand);
}

/** What one operation did (or, in a dry run, would do) for one user: numbers only, no content. */
export interface OperationResult {
  counts: Record<string, number>;
  /** Saved ids or file names concerned, for a dry run's listing (never subjects or addresses). */
  items?: string[];
  /** Part of the work failed: the rest is done, and a re-run finishes it. */
  error?: SeptError;
}

export interface RunClock {
  /** The run's "now": fixed when a run starts, so a resumed run decides exactly as the first. */
  now: Date;
  dryRun: boolean;
  signal?: AbortSignal;
}

/**
 * Purges the user's expired stored emails exactly as the pane does (services/rights/purge.ts): one
 * `email_purged` event each, deterministic ids, batched deletes. The index is read first: when no
 * entry is older than the org's shortest retention nothing can have expired, so the settings are
 * not even read: a user with nothing to purge costs two requests.
 */
export async function purgeUser(
  services: UserServices,
  orgPolicy: OrgPolicy,
  clock: RunClock,
): Promise<OperationResult> {
  const { index, settings } = services;
  const { now, signal } = clock;
  const entries = await indexEntries(services, signal);
  const shortest = retentionDays(orgPolicy.retention.minDays);
  const candidates = entries.filter((entry) => isExpired(entry, shortest, now));
  if (candidates.length === 0) return { counts: { stored: entries.length, purged: 0 } };

  const retention = (await settings.read(signal)).effective;
  const expired = candidates.filter((entry) => isExpired(entry, retention, now));
  if (clock.dryRun) {
    return {
      counts: { stored: entries.length, expired: expired.length, purged: 0 },
      items: expired.map((e) => e.savedId),
    };
  }
  if (expired.length === 0) return { counts: { stored: entries.length, purged: 0 } };
  // The entries just read serve the purge's own first read; its index update re-reads the index
  // for its eTag (two requests, only for users with something to purge).
  let first: IndexEntry[] | null = entries;
  const readOnce = {
    entries: (options?: Parameters<typeof index.entries>[0]) => {
      const held = first;
      first = null;
      return held ? Promise.resolve(held) : index.entries(options);
    },
    apply: index.apply,
  };
  const result = await purgeExpired(
    {
      storage: services.storage,
      activity: services.activity,
      index: readOnce,
      retention: () => retention,
    },
    { now, signal },
  );
  return {
    counts: {
      stored: entries.length,
      expired: expired.length,
      purged: result.purged.length,
      failed: result.failed.length,
      filesRemoved: result.files.removed,
      filesMissing: result.files.missing,
    },
    ...(result.failed[0] ? { error: result.failed[0].error } : {}),
  };
}

/**
 * The index as it is (one read, two requests). A user who never saved has neither an index nor
 * records: one listing says so, and nothing is rebuilt. Otherwise a missing or unreadable index is
 * rebuilt from the records, as the pane does, so that no record escapes retention.
 */
async function indexEntries(services: UserServices, signal?: AbortSignal): Promise<IndexEntry[]> {
  const inspection = await services.index.inspect(signal);
  if (inspection.status === "ok") return inspection.entries;
  if (inspection.status === "missing") {
    const files = await services.storage.list(EMAILS_DIR, signal);
    if (!files.some((f) => f.name.endsWith(".json"))) return [];
  }
  return services.index.rebuild(signal);
}

/** The pane's reconcile, with its grace period: a save still running in Outlook is left alone. */
export async function repairUser(
  services: UserServices,
  clock: RunClock,
  graceMs?: number,
): Promise<OperationResult> {
  const report = await reconcile(
    {
      storage: services.storage,
      activity: services.activity,
      index: services.index,
      now: () => clock.now,
      dryRun: clock.dryRun,
      ...(graceMs === undefined ? {} : { graceMs }),
    },
    clock.signal,
  );
  return {
    counts: {
      repaired: report.repaired,
      removedOrphans: report.removedOrphans,
      indexRebuilt: report.indexRebuilt ? 1 : 0,
    },
  };
}

/** Any failure as the SeptError the report shows (code, message, retryable). */
export function failureOf(error: unknown): SeptError {
  return toSeptError(error);
}
