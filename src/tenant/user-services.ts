// The tenant job's composition root for one user: the pane's own services (storage, activity log,
// consent ledger, index, settings), wired exactly as src/taskpane/composition.ts wires them, but
// over app-only Graph and `/users/{id}/drive/special/approot` instead of `/me/drive/...`.
import type { Client } from "@microsoft/microsoft-graph-client";
import {
  createAppFolderStorage,
  type AppFolderStorageOptions,
} from "../adapters/graph/app-folder-storage.js";
import { createRequestLimiter, type RequestLimiter } from "../adapters/graph/request-limiter.js";
import { SeptError } from "../core/errors.js";
import type { OrgPolicy } from "../core/org-policy.js";
import type { ActivityLogPort } from "../core/ports/activity-log.js";
import type { ConsentLedgerPort } from "../core/ports/consent-ledger.js";
import type { StoragePort } from "../core/ports/storage.js";
import { createStorageActivityLog } from "../services/storage/activity-log.js";
import { createStorageConsentLedger } from "../services/storage/consent-ledger.js";
import { createEmailIndex, type EmailIndex } from "../services/storage/email-index.js";
import { createSettingsService, type SettingsService } from "../services/storage/settings.js";

/** A user the job visits: a directory object id or user principal name (Graph takes either). */
export interface TenantUser {
  id: string;
  /** The sign-in name, when known: exports name their principal by it, as the pane does. */
  userPrincipalName?: string;
}

/** What every user's services share: one app-only Graph client and the organisation's policy. */
export interface TenantEnvironment {
  client: Client;
  orgPolicy: OrgPolicy;
  /** Storage adapter tuning (retries of inner $batch requests, downloads); never the limiter. */
  storage?: Omit<AppFolderStorageOptions, "limiter" | "driveRoot" | "maxConcurrent">;
  /** Requests in flight per mailbox (default 4: Outlook and OneDrive throttle a fifth). */
  perMailboxConcurrency?: number;
}

export interface UserServices {
  user: TenantUser;
  storage: StoragePort;
  activity: ActivityLogPort;
  ledger: ConsentLedgerPort;
  index: EmailIndex;
  settings: SettingsService;
  limiter: RequestLimiter;
}

/** User ids and principal names only: anything else must not be spliced into a Graph path. */
const USER_KEY = /^[A-Za-z0-9._@'+-]{1,256}$/;

export function isUserKey(value: unknown): value is string {
  return typeof value === "string" && USER_KEY.test(value) && !value.includes("..");
}

/**
 * The user's app folder as Graph documents it for app-only access: the same `Apps/{app}` folder
 * the add-in reaches through `/me/drive/special/approot`, since it is the same Entra app.
 */
export function userDriveRoot(userId: string): string {
  if (!isUserKey(userId)) {
    throw new SeptError("bad_request", { message: `'${userId}' is not a user id.` });
  }
  return `/users/${encodeURIComponent(userId)}/drive/special/approot`;
}

/** One user's services; every request for this mailbox goes through one limiter. */
export function createUserServices(env: TenantEnvironment, user: TenantUser): UserServices {
  if (env.orgPolicy.storage.kind !== "appFolder") {
    // A shared SharePoint library needs its own per-user folder layout and permissions: the job
    // refuses rather than touch a library it was not designed for.
    throw new SeptError("bad_request", {
      message: "The tenant job supports the app-folder storage of the org policy only.",
      params: { reason: "storage_not_supported" },
    });
  }
  const limiter = createRequestLimiter(env.perMailboxConcurrency ?? 4);
  const storage = createAppFolderStorage(env.client, {
    ...env.storage,
    limiter,
    driveRoot: userDriveRoot(user.id),
  });
  const activity = createStorageActivityLog(storage);
  return {
    user,
    storage,
    activity,
    ledger: createStorageConsentLedger(storage),
    index: createEmailIndex(storage),
    settings: createSettingsService({ storage, activity, bounds: env.orgPolicy.retention }),
    limiter,
  };
}
