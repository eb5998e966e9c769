// Wires ports to adapters for the pane. Production and the local demo differ only in the token
// provider and the Graph base URL, both from configuration; the org policy comes from the host.
import { createDevTokenProvider } from "../adapters/auth/dev-token-provider.js";
import { createAppFolderStorage } from "../adapters/graph/app-folder-storage.js";
import { createGraphClients, recordScopes } from "../adapters/graph/graph-clients.js";
import { createGraphMailSearch, createGraphMailSource } from "../adapters/graph/mail-source.js";
import { createRequestLimiter } from "../adapters/graph/request-limiter.js";
import { REQUIREMENTS, requirementMet } from "../adapters/office/capabilities.js";
import { hostInfo, toRestId } from "../adapters/office/mailbox.js";
import { createPendingConsentStore } from "../adapters/office/pending-consent.js";
import { createOfficeMailSource } from "../adapters/office/office-mail-source.js";
import { createRoamingConsentHint } from "../adapters/office/roaming-consent-hint.js";
import type { OfficeRuntime } from "../adapters/office/runtime.js";
import type { AddinConfig } from "../core/config.js";
import { currentPolicy } from "../core/consent/policy.js";
import type { Language } from "../core/i18n/index.js";
import type { MessageSummary } from "../core/message.js";
import { defaultOrgPolicy, type OrgPolicy } from "../core/org-policy.js";
import type { AuthPort } from "../core/ports/auth.js";
import type { MessageListing } from "../core/ports/mail-source.js";
import { isSameMessage } from "../core/stored-email.js";
import { suggestProject, type Project } from "../core/projects.js";
import { countExpiring } from "../core/retention.js";
import { createStorageActivityLog } from "../services/storage/activity-log.js";
import { browserStorage, createLocalOutbox } from "../adapters/browser/local-outbox.js";
import { bulkSave } from "../services/save/bulk-save.js";
import { createStorageConsentLedger } from "../services/storage/consent-ledger.js";
import { ConsentService } from "../services/consent/consent-service.js";
import { deleteAllStoredEmails } from "../services/rights/remove.js";
import { createEmailIndex } from "../services/storage/email-index.js";
import {
  loadOrgPolicy,
  type FetchLike,
  type LoadedOrgPolicy,
} from "../services/consent/org-policy.js";
import { createProjectCatalogue } from "../services/storage/project-catalogue.js";
import { saveEmail, type SaveEmailDeps } from "../services/save/save-email.js";
import { createSettingsService } from "../services/storage/settings.js";
import {
  correct,
  deleteAllMyData,
  deleteStored,
  downloadEml,
  listStored,
} from "../services/rights/stored-emails.js";
import type {
  GraphScope,
  OtherMessage,
  OtherMessagesFacade,
  PaneServices,
  SavingFacade,
  StoredFacade,
} from "./pane-services.js";

/** What the pane's start-up needs besides the services. */
export interface StartupHooks {
  /** The first useful view is on screen: housekeeping may start. Called once; later calls do nothing. */
  firstViewShown(): void;
}

export interface ComposeOptions {
  /** How org-policy.json is fetched (the composition root starts it early); default: fetch. */
  fetch?: FetchLike;
}

/** Resolves once the pane has shown its first view and the browser has had a quiet moment. */
function afterFirstView(): { shown: () => void; settled: Promise<void> } {
  let resolve: () => void = () => undefined;
  const settled = new Promise<void>((done) => (resolve = done));
  const shown = () => {
    if ("requestIdleCallback" in window) window.requestIdleCallback(resolve, { timeout: 2000 });
    else setTimeout(resolve, 500);
  };
  return { shown, settled };
}

export interface SignOutCapable {
  signOut(): Promise<unknown>;
}

function lazyAccountManager(
  config: AddinConfig,
  runtime: OfficeRuntime,
): AuthPort & SignOutCapable {
  // MSAL is large: it is fetched the first time a token is needed, not with the first view.
  const manager = import("../adapters/auth/account-manager.js").then((m) =>
    m.createAccountManager({
      clientId: config.clientId,
      tenant: config.tenant,
      authPageUrl: `${config.addinBaseUrl}/auth.html`,
      runtime: () => runtime,
    }),
  );
  return {
    getAccessToken: async (scopes, options) => (await manager).getAccessToken(scopes, options),
    clearCache: async () => (await manager).clearCache(),
    account: async () => (await manager).account(),
    signOut: async () => (await manager).signOut(),
  };
}

function driveRoot(policy: OrgPolicy): string {
  return policy.storage.kind === "sharePoint"
    ? `/drives/${encodeURIComponent(policy.storage.driveId)}/special/approot`
    : "/me/drive/special/approot";
}

const addresses = (list: MessageSummary["to"]) => list.map((a) => a.address);

export async function composeServices(
  runtime: OfficeRuntime,
  config: AddinConfig,
  language: Language,
  options: ComposeOptions = {},
): Promise<PaneServices & StartupHooks> {
  const org: LoadedOrgPolicy = await loadOrgPolicy(
    options.fetch ?? ((url, init) => fetch(url, init)),
    `${config.addinBaseUrl}/org-policy.json`,
    { defaults: defaultOrgPolicy(config), language },
  );
  const policy = org.policy;
  const profile = runtime.context.mailbox.userProfile;
  const username = profile?.emailAddress ?? "unknown@localhost";
  const auth = recordScopes<AuthPort & Partial<SignOutCapable>>(
    config.authMode === "dev"
      ? createDevTokenProvider({ id: username, username, name: profile?.displayName ?? username })
      : lazyAccountManager(config, runtime),
  );
  const inLibrary = policy.storage.kind === "sharePoint";
  // Storage asks for User.Read + Files.ReadWrite.AppFolder only (or, for an org's SharePoint
  // library, the site permission an admin granted: docs/admin/org-policy.md); Mail.Read is asked
  // by the mail client's first request, which a save read through Office.js never makes.
  const clients = createGraphClients({
    graphBaseUrl: config.graphBaseUrl,
    auth,
    sharePointStorage: inLibrary,
  });
  const client = clients.files;
  // One limiter for the mailbox: Outlook throttles a fifth concurrent request.
  const limiter = createRequestLimiter();
  const storage = createAppFolderStorage(client, {
    limiter,
    driveRoot: driveRoot(policy),
    // A library's app folder is shared by all its users: each keeps to a folder of their own.
    perUserFolder: inLibrary,
    // A throttled request inside a $batch waits its own Retry-After; without one, a short back-off
    // keeps a save in the pane from hanging for minutes.
    innerRetry: { maxRetries: 3, delaySeconds: 1 },
  });
  const mail = createOfficeMailSource(runtime, createGraphMailSource(clients.mail, limiter));
  const search = createGraphMailSearch(clients.mail, limiter);
  // Events that could not be written wait in this device's storage (per user) until they land.
  const activity = createStorageActivityLog(storage, {
    outbox: createLocalOutbox(browserStorage(), `sept.activity-outbox.${username}`),
  });
  const ledger = createStorageConsentLedger(storage);
  const host = hostInfo(runtime);
  const consent = new ConsentService({
    ledger,
    activity,
    auth,
    policy: currentPolicy(policy.requiredPolicyVersion, policy.privacyPolicyUrl),
    hint: createRoamingConsentHint(runtime),
    pending: createPendingConsentStore(runtime),
    org,
    collection: () => ({
      method: "taskpane",
      addinVersion: config.addinVersion,
      host: host.host,
      platform: host.platform,
      hostVersion: host.version,
      language,
    }),
  });
  // Read the consent ledger now, in parallel with the first render, not after it.
  consent.start().catch(() => undefined);

  const index = createEmailIndex(storage);
  const catalogue = createProjectCatalogue(storage, { activity, seed: policy.projects });
  const settings = createSettingsService({ storage, activity, bounds: policy.retention });
  const retention = async () => (await settings.current()).effective;
  const storedDeps = { storage, index, activity };
  const saveDeps: SaveEmailDeps = { consent, mail, storage, activity, index };
  // Loaded with the first purge, not with the first view.
  const purge = async () =>
    (await import("../services/rights/purge.js")).purgeExpired({ ...storedDeps, retention });

  // Housekeeping once the first view is up and the pane's own first reads are done: repair a save
  // a crash interrupted, then purge what expired. Before, it would race the first view for Graph.
  const firstView = afterFirstView();
  let firstReads: Array<Promise<unknown>> | null = [];
  let panelAsked: () => void = () => undefined;
  const asked = new Promise<void>((resolve) => (panelAsked = resolve));
  /** The save panel's opening reads, which housekeeping lets finish first. */
  const opening = <T>(read: Promise<T>): Promise<T> => {
    if (firstReads) {
      firstReads.push(read);
      panelAsked();
    }
    return read;
  };
  void Promise.all([consent.start(), firstView.settled])
    // With consent given, the save panel's script may still be on its way: wait for its reads
    // (or 10 s, for a view that has none, such as the bulk save).
    .then(([state]) =>
      state.status === "granted"
        ? Promise.race([asked, new Promise((resolve) => setTimeout(resolve, 10_000))])
        : undefined,
    )
    .then(() => Promise.allSettled(firstReads ?? []))
    // Events a crash or a fault left on this device land first.
    .then(() => activity.flush())
    .catch(() => undefined)
    .then(async () => {
      firstReads = null;
      return (await import("../services/save/reconcile.js")).reconcile(storedDeps);
    })
    .then(() => purge())
    .catch(() => undefined);

  /** What the lists read of each message offered, so saving it reads its metadata no more. */
  const listed = new Map<string, MessageListing>();

  // The save panel asks for the projects and a suggestion at once: one catalogue read serves both.
  let projectsRead: Promise<Project[]> | null = null;
  const activeProjects = () =>
    (projectsRead ??= catalogue.list().finally(() => {
      projectsRead = null;
    }));

  const saving: SavingFacade = {
    contentAllowedByOrg: () => policy.allowContent,
    projects: async () =>
      (await opening(activeProjects())).map((p) => ({ id: p.id, name: p.name })),
    createProject: async (name) => {
      const p = await catalogue.create(name);
      return { id: p.id, name: p.name };
    },
    allProjects: async () =>
      (await catalogue.list({ includeArchived: true })).map((p) => ({
        id: p.id,
        name: p.name,
        archived: p.archived,
      })),
    renameProject: async (id, name) => {
      await catalogue.rename(id, name);
    },
    archiveProject: async (id, archived) => {
      await catalogue.setArchived(id, archived);
    },
    savedCopies: async (message) => {
      if (!message.internetMessageId) return [];
      const entries = await opening(index.entries());
      return entries
        .filter((e) => isSameMessage(e, message))
        .map((e) => ({ projectId: e.projectId, savedAt: e.savedAt }));
    },
    suggest: async (message) => {
      const [entries, projects] = await opening(Promise.all([index.entries(), activeProjects()]));
      // Earlier saves of this very message say nothing new about where it belongs.
      const others = entries.filter((e) => !isSameMessage(e, message));
      return suggestProject(
        others.map((e) => ({
          projectId: e.projectId,
          conversationId: e.conversationId,
          fromAddress: e.from?.address ?? null,
          toAddresses: e.to,
          savedAt: e.savedAt,
        })),
        {
          conversationId: message.conversationId,
          from: message.from?.address ?? null,
          to: addresses(message.to),
          cc: addresses(message.cc),
        },
        projects,
        username,
      );
    },
    save: async (message, projectId, includeContent, options) => {
      const result = await saveEmail(
        saveDeps,
        {
          restId: toRestId(runtime, message.itemId),
          projectId,
          includeContent: includeContent && policy.allowContent,
          internetMessageId: message.internetMessageId,
          from: message.from,
          subject: message.subject,
          ...(message.itemClass ? { officeItem: { itemClass: message.itemClass } } : {}),
        },
        {
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: (p) => options.onProgress?.({ sent: p.sent, total: p.total }),
        },
      );
      void purge().catch(() => undefined);
      return { status: result.status, savedId: result.savedId };
    },
    saveMany: async (message, others, projectId, includeContent, options) => {
      // The open message first (read through Office.js where the host can), then the others
      // (read through Graph: Office.js reads only the open item).
      const items: Array<{
        key: string;
        subject: string;
        internetMessageId: string | null;
        from: MessageSummary["from"];
        officeItem?: { itemClass: string };
        metadata?: MessageListing;
      }> = [
        {
          key: toRestId(runtime, message.itemId),
          subject: message.subject,
          internetMessageId: message.internetMessageId,
          from: message.from,
          ...(message.itemClass ? { officeItem: { itemClass: message.itemClass } } : {}),
        },
        ...others.map((o) => {
          const metadata = listed.get(o.key);
          return {
            key: o.key,
            subject: o.subject,
            internetMessageId: o.internetMessageId,
            from: o.from,
            ...(metadata ? { metadata } : {}),
          };
        }),
      ];
      await bulkSave(
        saveDeps,
        items.map((i) => ({
          restId: i.key,
          internetMessageId: i.internetMessageId,
          from: i.from,
          subject: i.subject,
          ...(i.officeItem ? { officeItem: i.officeItem } : {}),
          ...(i.metadata ? { metadata: i.metadata } : {}),
        })),
        projectId,
        includeContent && policy.allowContent,
        {
          ...(options.signal ? { signal: options.signal } : {}),
          onResult: (r) => {
            const item = items[r.index];
            if (!item) return;
            options.onResult(
              r.status === "failed"
                ? { key: item.key, subject: item.subject, status: "failed", error: r.error }
                : { key: item.key, subject: item.subject, status: r.status },
            );
          },
        },
      );
      void purge().catch(() => undefined);
    },
  };

  // What the last delete left in the recycle bin, so the pane can say so (not "gone for good").
  let lastRecycled = 0;
  const toOther = (m: MessageListing): OtherMessage => {
    listed.set(m.restId, m);
    return {
      key: m.restId,
      subject: m.subject,
      from: m.from,
      receivedDateTime: m.receivedDateTime,
      internetMessageId: m.internetMessageId,
    };
  };
  /** The open message is never offered as "another" one (Graph lists it with its REST id). */
  const withoutOpen = (message: MessageSummary, found: MessageListing[]) => {
    const openId = toRestId(runtime, message.itemId);
    return found.filter((m) => m.restId !== openId).map(toOther);
  };
  const otherMessages: OtherMessagesFacade = {
    conversation: async (message) =>
      message.conversationId
        ? withoutOpen(message, await search.conversation(message.conversationId))
        : [],
    fromSender: async (message) =>
      message.from?.address
        ? withoutOpen(message, await search.fromSender(message.from.address))
        : [],
    search: async (words, message) => withoutOpen(message, await search.search(words)),
  };

  const stored: StoredFacade = {
    list: () => listStored({ index, retention }),
    retention: async () => {
      const state = await settings.current();
      return { setting: state.chosen, bounds: state.bounds };
    },
    countExpiring: async (setting) => countExpiring(await index.entries(), setting, new Date()),
    setRetention: async (setting) => {
      await settings.setRetention(setting);
    },
    purgeNow: async () => {
      const result = await purge();
      lastRecycled = result.recycled.length;
      return result.purged.length;
    },
    correct: async (savedId, change) => {
      await correct(storedDeps, savedId, change);
    },
    remove: async (savedIds) => {
      const result = await deleteStored(storedDeps, savedIds);
      lastRecycled = result.recycled.length;
      return result.removed.length;
    },
    recycled: () => lastRecycled,
    removeAllMyData: async () => {
      lastRecycled = (await deleteAllMyData({ storage, activity })).recycled.length;
      settings.forget();
      await index.entries({ fresh: true });
      await consent.refresh();
    },
    downloadEml: (savedId) => downloadEml({ storage }, savedId),
    // The ZIP writer (fflate) loads when an export is asked for.
    exportAll: async (sink, onProgress) =>
      (await import("../services/rights/export.js")).exportMyDataTo(
        {
          storage,
          activity,
          ledger,
          principal: { principalId: username, language },
          parties: consent.receiptParties(),
        },
        sink,
        { onProgress },
      ),
  };

  return {
    consent,
    principalId: username,
    deleteAllStoredEmails: () => deleteAllStoredEmails({ storage, activity, index }),
    saving,
    otherMessages,
    permissions: () => ({
      scopesAsked: auth
        .scopesAsked()
        .filter((s): s is GraphScope =>
          ["User.Read", "Files.ReadWrite.AppFolder", "Mail.Read"].includes(s),
        ),
      hostReadsItem: requirementMet(runtime, REQUIREMENTS.emlFile),
    }),
    stored,
    activity: {
      list: () => activity.list(),
      verify: async () => {
        const [verdict, pending] = await Promise.all([activity.verify(), activity.pending()]);
        return {
          ok: verdict.ok,
          problems: verdict.problems.length,
          legacy: verdict.legacy,
          consentLegacy: verdict.consentLegacy,
          pending,
        };
      },
    },
    orgPolicy: org,
    ...(auth.signOut ? { signOut: auth.signOut } : {}),
    firstViewShown: firstView.shown,
  };
}
