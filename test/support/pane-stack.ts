// One task pane's services, wired by the pane's own composeServices (src/taskpane/composition.ts)
// over the same adapters (real Graph client, app-folder storage, Graph mail source), against a
// Graph fake; only the sign-in is the dev token provider.
import {
  createDevTokenProvider,
  type DevUser,
} from "../../src/adapters/auth/dev-token-provider.js";
import {
  createAppFolderStorage,
  type AppFolderStorageOptions,
} from "../../src/adapters/graph/app-folder-storage.js";
import { createGraphClients, recordScopes } from "../../src/adapters/graph/graph-clients.js";
import {
  createGraphMailSearch,
  createGraphMailSource,
} from "../../src/adapters/graph/mail-source.js";
import { toRestId } from "../../src/adapters/office/mailbox.js";
import { createOfficeMailSource } from "../../src/adapters/office/office-mail-source.js";
import type { OfficeRuntime } from "../../src/adapters/office/runtime.js";
import { createRequestLimiter } from "../../src/adapters/graph/request-limiter.js";
import {
  currentPolicy,
  type PolicyVersion,
  type PrivacyPolicy,
} from "../../src/core/consent/policy.js";
import type { AuthPort } from "../../src/core/ports/auth.js";
import type { ActivityOutboxPort } from "../../src/core/ports/activity-log.js";
import type {
  ConsentHintPort,
  PendingConsentAct,
  PendingConsentPort,
} from "../../src/core/ports/consent-ledger.js";
import {
  bulkSave,
  type BulkSaveItem,
  type BulkSaveOptions,
} from "../../src/services/save/bulk-save.js";
import { reconcile } from "../../src/services/save/reconcile.js";
import {
  saveEmail,
  type SaveEmailDeps,
  type SaveEmailOptions,
  type SaveEmailRequest,
} from "../../src/services/save/save-email.js";
import type { LoggedRequest } from "../../dev/graph-fake/types.js";
import type { LoadedOrgPolicy } from "../../src/services/consent/org-policy.js";
import type { RetentionBounds } from "../../src/core/retention.js";
import { composeServices } from "../../src/taskpane/composition.js";
import { testCollection } from "./consent-collection.js";
import { SAMPLE_USER } from "./sample-user.js";

export const POLICY_V1 = "2024-02-14";
export const POLICY_V2 = "2026-12-01";
export const TEST_POLICY_HISTORY: PolicyVersion[] = [
  { version: POLICY_V1, changes: [] },
  {
    version: POLICY_V2,
    changes: [{ en: "Retention defaults changed.", fr: "Les durées de conservation ont changé." }],
  },
];

export interface PaneStackOptions {
  graphBaseUrl: string;
  policyVersion?: string;
  hint?: ConsentHintPort;
  /** Storage adapter options (e.g. shorter retry delays); the limiter is the stack's own. */
  storage?: Omit<AppFolderStorageOptions, "limiter">;
  /** The Graph client's RetryHandler (default 1 s, 3 retries). */
  graphRetry?: { delaySeconds?: number; maxRetries?: number };
  /** Save-level settings: step retries, the message size limit. */
  save?: Pick<SaveEmailDeps, "stepRetry" | "maxMessageBytes">;
  /** Reconcile's grace period for leftovers (default 0 here: tests simulate crashes). */
  reconcileGraceMs?: number;
  /** Whose pane (default the demo user, Alex Martin). */
  user?: DevUser;
  /** The device's keeping of pending consent acts (share one between panes of one device). */
  pending?: PendingConsentPort;
  /** This pane's clock (consent records' own times), e.g. an hour fast. */
  now?: () => Date;
  /** The organisation's policy as the pane loaded it. */
  org?: LoadedOrgPolicy;
  /** The privacy policy in force, as the pane computes it (overrides `policyVersion`). */
  policy?: PrivacyPolicy;
  /**
   * The Outlook the pane runs in: then the open item is read through Office.js where the host
   * can (as composition.ts wires it); without it every read goes through Graph.
   */
  office?: OfficeRuntime;
  /** The activity log's outbox (to restart a pane over the same device storage). */
  activityOutbox?: ActivityOutboxPort;
  /** Retention bounds instead of the org policy's (or the built-in defaults). */
  retention?: RetentionBounds;
  /** Bytes of events the activity head holds before they go to a shard (default: production's). */
  activityShardBytes?: number;
}

/** A device's local keeping of pending consent acts, shared by the panes given it. */
export function devicePendingStore(): PendingConsentPort & { acts(): PendingConsentAct[] } {
  let acts: PendingConsentAct[] = [];
  return {
    load: () => structuredClone(acts),
    save: async (next) => {
      acts = structuredClone([...next]);
    },
    acts: () => structuredClone(acts),
  };
}

/** One task pane (one Outlook window): its own client, caches and consent service. */
export function createPaneStack(options: PaneStackOptions) {
  const auth = createDevTokenProvider(options.user ?? SAMPLE_USER);
  let cleared = 0;
  // The sign-in stand-in records every scope set asked, as MSAL would be asked.
  const countingAuth = recordScopes<AuthPort>({
    ...auth,
    clearCache: async () => {
      cleared++;
      await auth.clearCache();
    },
  });
  const clients = createGraphClients({
    graphBaseUrl: options.graphBaseUrl,
    auth: countingAuth,
    retry: { delaySeconds: 1, maxRetries: 3, ...options.graphRetry },
  });
  const client = clients.files;
  const limiter = createRequestLimiter();
  const storage = createAppFolderStorage(client, { ...options.storage, limiter });
  const graphMail = createGraphMailSource(clients.mail, limiter);
  const mail = options.office ? createOfficeMailSource(options.office, graphMail) : graphMail;
  const search = createGraphMailSearch(clients.mail, limiter);
  const user = options.user ?? SAMPLE_USER;
  const pane = composeServices(
    {
      auth: countingAuth,
      storage,
      mail,
      search,
      ...(options.activityOutbox ? { outbox: options.activityOutbox } : {}),
      ...(options.hint ? { hint: options.hint } : {}),
      ...(options.pending ? { pending: options.pending } : {}),
      restId: (itemId) => (options.office ? toRestId(options.office, itemId) : itemId),
      hostReadsItem: () => true,
    },
    {
      principal: { principalId: user.username, language: "en" },
      policy:
        options.policy ??
        currentPolicy(
          options.policyVersion ?? POLICY_V1,
          "https://septsoftware.com/privacy-policy",
          TEST_POLICY_HISTORY,
        ),
      ...(options.org ? { org: options.org } : {}),
      ...(options.retention ? { retention: options.retention } : {}),
      ...(options.activityShardBytes ? { activityShardBytes: options.activityShardBytes } : {}),
      // Tests retry by hand: no background timers.
      consent: { retryDelayMs: () => null, ...(options.now ? { now: options.now } : {}) },
      ...(options.save ? { save: options.save } : {}),
      collection: () => testCollection(),
    },
  );
  const { activity, consent, index, saveDeps } = pane.parts;
  return {
    /** The pane's facades, as the views get them. */
    services: pane.services,
    parts: pane.parts,
    storage,
    mail,
    activity,
    consent,
    index,
    saveDeps,
    search,
    /** Every Graph scope the pane asked the sign-in for so far. */
    scopesAsked: () => countingAuth.scopesAsked(),
    cleared: () => cleared,
    save: (request: SaveEmailRequest, signal?: AbortSignal | SaveEmailOptions) =>
      saveEmail(saveDeps, request, signal),
    bulkSave: (
      items: BulkSaveItem[],
      projectId: string,
      includeContent: boolean,
      bulkOptions?: BulkSaveOptions,
    ) => bulkSave(saveDeps, items, projectId, includeContent, bulkOptions),
    reconcile: (signal?: AbortSignal) =>
      reconcile({ storage, activity, index, graceMs: options.reconcileGraceMs ?? 0 }, signal),
  };
}

/**
 * Whether a request the fake received carried email data: anything read from a message
 * (metadata, MIME, attachments) or any write or upload under the stored-emails folder.
 */
export function carriesEmailData(request: LoggedRequest): boolean {
  const path = decodeURIComponent(request.path);
  if (/\/me\/messages\b|\/mailFolders\//.test(path)) return true;
  // Deleting carries nothing (a cancelled upload session, a partial save undone).
  if (request.method === "DELETE") return false;
  if (request.path.startsWith("/_upload/")) return true;
  return request.method !== "GET" && /approot:\/emails\//.test(path);
}
