// What the tenant job does for one user, each through the very service the pane calls: purge
// (services/rights/purge.ts), repair (services/save/reconcile.ts), a privacy-office withdrawal (the consent
// ledger), "delete all my data" and the export (those three: privacy-requests.ts, re-exported here).
// Every operation is safe to run again: a re-run after a crash finishes the work and logs nothing
// twice, which is what makes the job resumable.
import { SeptError, toSeptError } from "../core/errors.js";
import type { OrgPolicy } from "../core/org-policy.js";
import { DAY_MS, isExpired } from "../core/retention.js";
import { purgeExpired } from "../services/rights/purge.js";
import { reconcile } from "../services/save/reconcile.js";
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
 * `email_purged` event each, deterministic ids, batched deletes. The record shards' catalogue is
 * read first: when no month holds a save older than the org's shortest retention, nothing else is
 * read. Otherwise the user's setting comes next, and only the months holding a save older than
 * it are read: a user with recent emails only costs the catalogue and the settings.
 */
export async function purgeUser(
  services: UserServices,
  orgPolicy: OrgPolicy,
  clock: RunClock,
): Promise<OperationResult> {
  const { index, settings } = services;
  const { now, signal } = clock;
  const savedBefore = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  if (!(await index.anySavedBefore(savedBefore(orgPolicy.retention.minDays), signal))) {
    return { counts: { expired: 0, purged: 0 } };
  }
  const retention = (await settings.read(signal)).effective;
  if (retention.kind === "forever") return { counts: { expired: 0, purged: 0 } };
  const expired = (await index.savedBefore(savedBefore(retention.days), signal)).filter((entry) =>
    isExpired(entry, retention, now),
  );
  if (clock.dryRun) {
    return { counts: { expired: expired.length, purged: 0 }, items: expired.map((e) => e.savedId) };
  }
  if (expired.length === 0) return { counts: { expired: 0, purged: 0 } };
  // The shards just read serve the purge's own read: the index holds them.
  const result = await purgeExpired(
    {
      storage: services.storage,
      activity: services.activity,
      index,
      retention: () => retention,
    },
    { now, ...(signal ? { signal } : {}) },
  );
  return {
    counts: {
      expired: expired.length,
      purged: result.purged.length,
      failed: result.failed.length,
      filesRemoved: result.files.removed,
      filesMissing: result.files.missing,
    },
    ...(result.failed[0] ? { error: result.failed[0].error } : {}),
  };
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
      ...(report.migrated ? { migrated: report.migrated } : {}),
    },
  };
}

/** Any failure as the SeptError the report shows (code, message, retryable). */
export function failureOf(error: unknown): SeptError {
  return toSeptError(error);
}
