// Wires ports to adapters for the pane: instantiation only, every use case is in src/services.
// Production and the local demo differ only in the token provider and the Graph base URL, both
// from configuration; the org policy comes from the host. composeServices is the one wiring the
// pane and the test stacks (test/support/pane-stack.ts) share. Over 300 lines on purpose: the
// composition root is the one place every adapter and service is instantiated, read top to bottom.
import { createLocalOutbox, browserStorage } from "../adapters/browser/local-outbox.js";
import { createDevTokenProvider } from "../adapters/auth/dev-token-provider.js";
import { createAppFolderStorage } from "../adapters/graph/app-folder-storage.js";
import { loadOnce } from "../core/load-once.js";
import { createGraphClients, recordScopes } from "../adapters/graph/graph-clients.js";
import { createGraphMailSearch, createGraphMailSource } from "../adapters/graph/mail-source.js";
import { createRequestLimiter } from "../adapters/graph/request-limiter.js";
import { REQUIREMENTS, requirementMet } from "../adapters/office/capabilities.js";
import { hostInfo, toRestId } from "../adapters/office/mailbox.js";
import { createOfficeMailSource } from "../adapters/office/office-mail-source.js";
import { createPendingConsentStore } from "../adapters/office/pending-consent.js";
import { createRoamingConsentHint } from "../adapters/office/roaming-consent-hint.js";
import type { OfficeRuntime } from "../adapters/office/runtime.js";
import type { AddinConfig } from "../core/config.js";
import type { CollectionContext } from "../core/consent/consent.js";
import { currentPolicy, type PrivacyPolicy } from "../core/consent/policy.js";
import type { Language } from "../core/i18n/index.js";
import { defaultOrgPolicy, type OrgPolicy } from "../core/org-policy.js";
import type { ActivityOutboxPort } from "../core/ports/activity-log.js";
import type { AuthPort } from "../core/ports/auth.js";
import type { ConsentHintPort, PendingConsentPort } from "../core/ports/consent-ledger.js";
import type { MailSearchPort, MailSourcePort } from "../core/ports/mail-source.js";
import type { StoragePort } from "../core/ports/storage.js";
import type { RetentionBounds } from "../core/retention.js";
import { createLazyActivityLog } from "../services/storage/lazy-activity-log.js";
import { createStorageConsentLedger } from "../services/storage/consent-ledger.js";
import { ConsentService, type ConsentServiceDeps } from "../services/consent/consent-service.js";
import { createLazyEmailIndex } from "../services/storage/lazy-email-index.js";
import {
  loadOrgPolicy,
  type FetchLike,
  type LoadedOrgPolicy,
} from "../services/consent/org-policy.js";
import { createProjectCatalogue } from "../services/storage/project-catalogue.js";
import { retryOwedEvents } from "../services/storage/owed-events.js";
import type { MyRights, MyRightsDeps } from "../services/rights/my-rights.js";
import type { PaneSaving, PaneSavingDeps } from "../services/save/from-pane.js";
import { startHousekeeping } from "../services/save/housekeeping.js";
import { createOtherMessageFinder } from "../services/save/other-messages.js";
import { createSaveAdvice } from "../services/save/suggestions.js";
import type { SaveEmailDeps } from "../services/save/save-email.js";
import { createSettingsService } from "../services/storage/settings.js";
import { createProjectList } from "../services/storage/project-list.js";
import type { GraphScope } from "./features/privacy/facade.js";
import type { PaneServices } from "./pane-services.js";
import { afterFirstView } from "./shared/idle.js";

/** What the pane's start-up needs besides the services. */
export interface StartupHooks {
  /** The first useful view is on screen: housekeeping may start. Called once; later calls do nothing. */
  firstViewShown(): void;
}

export interface SignOutCapable {
  signOut(): Promise<unknown>;
}

/** The adapters the services run over: production's (composePane) or a test stack's. */
export interface PanePorts {
  /** The sign-in, recording every scope asked (graph-clients.ts recordScopes). */
  auth: AuthPort & { scopesAsked(): string[] } & Partial<SignOutCapable>;
  storage: StoragePort;
  mail: MailSourcePort;
  search: MailSearchPort;
  /** Where events not written yet wait (default: this pane's memory). */
  outbox?: ActivityOutboxPort;
  hint?: ConsentHintPort;
  pending?: PendingConsentPort;
  /** The REST id of an item Office.js names (identity where there is no Office). */
  restId: (itemId: string) => string;
  /** Whether the host hands over the open message itself (Mailbox 1.14 getAsFileAsync). */
  hostReadsItem: () => boolean;
}

/** Who the pane is for and under which policies, plus the few settings tests tune. */
export interface PaneSetup {
  principal: { principalId: string; language: Language };
  policy: PrivacyPolicy;
  /** The admin's org policy as loaded; absent (tests of other parts): the built-in defaults. */
  org?: LoadedOrgPolicy;
  collection: () => CollectionContext;
  /** Retention bounds instead of the org policy's. */
  retention?: RetentionBounds;
  consent?: Pick<ConsentServiceDeps, "now" | "retryDelayMs">;
  save?: Pick<SaveEmailDeps, "stepRetry" | "maxMessageBytes">;
  /** Bytes of events the activity head holds before they go to a shard (default: production's). */
  activityShardBytes?: number;
}

/** The services under the facades: storage repositories, consent, and the save's dependencies. */
function composeParts(
  ports: PanePorts,
  setup: PaneSetup,
  policy: OrgPolicy,
  firstViewSettled: Promise<void>,
) {
  const { storage } = ports;
  // The log's and the index's code come after the first view, which reads the consent ledger only.
  const activity = createLazyActivityLog(
    storage,
    {
      ...(ports.outbox ? { outbox: ports.outbox } : {}),
      ...(setup.activityShardBytes ? { shardBytes: setup.activityShardBytes } : {}),
    },
    firstViewSettled,
  );
  const ledger = createStorageConsentLedger(storage);
  const consent = new ConsentService({
    ledger,
    activity,
    auth: ports.auth,
    policy: setup.policy,
    collection: setup.collection,
    ...(ports.hint ? { hint: ports.hint } : {}),
    ...(ports.pending ? { pending: ports.pending } : {}),
    ...(setup.org ? { org: setup.org } : {}),
    ...setup.consent,
  });
  const index = createLazyEmailIndex(storage, firstViewSettled);
  const catalogue = createProjectCatalogue(storage, { activity, seed: policy.projects });
  const settings = createSettingsService({
    storage,
    activity,
    bounds: setup.retention ?? policy.retention,
  });
  const saveDeps: SaveEmailDeps = {
    consent,
    mail: ports.mail,
    storage,
    activity,
    index,
    ...setup.save,
  };
  // Loaded with the first purge, not with the first view.
  const purge = async () =>
    (await import("../services/rights/purge.js")).purgeExpired({
      storage,
      index,
      activity,
      retention: async () => (await settings.current()).effective,
    });
  return { storage, activity, ledger, consent, index, catalogue, settings, saveDeps, purge };
}

type PaneParts = ReturnType<typeof composeParts>;

/** The Privacy view's facade: consent, withdrawal with "delete all", permissions, sign-out. */
function privacyFacade(ports: PanePorts, setup: PaneSetup, parts: PaneParts) {
  const { auth } = ports;
  const { storage, activity, index } = parts;
  return {
    consent: parts.consent,
    principalId: setup.principal.principalId,
    deleteAllStoredEmails: async () =>
      (
        await (
          await import("../services/rights/remove.js")
        ).deleteAll({ storage, activity, index }, "stored_emails")
      ).emails,
    permissions: () => ({
      scopesAsked: auth
        .scopesAsked()
        .filter((s): s is GraphScope =>
          ["User.Read", "Files.ReadWrite.AppFolder", "Mail.Read"].includes(s),
        ),
      hostReadsItem: ports.hostReadsItem(),
    }),
    ...(auth.signOut ? { signOut: auth.signOut } : {}),
  } satisfies PaneServices["privacy"];
}

// The save and the user's rights are not needed by the first view (the consent gate or the
// message): their code (save steps, MIME, bulk save; listing, export, deletes) is fetched once the
// first view has settled, or at the first call of one of their methods if that comes sooner,
// never before the first view as part of the services' chunk.

/** Saving, its code loaded on the first save or once `warm` resolves. */
function lazySaving(deps: PaneSavingDeps, warm: Promise<void>): PaneSaving {
  const load = loadOnce(() =>
    import("../services/save/from-pane.js").then((m) => m.createPaneSaving(deps)),
  );
  void warm.then(load).catch(() => undefined);
  return {
    save: async (...args) => (await load()).save(...args),
    saveMany: async (...args) => (await load()).saveMany(...args),
  };
}

/** The rights over stored emails, code loaded at the first call or once `warm` resolves. */
function lazyRights(deps: MyRightsDeps, warm: Promise<void>): MyRights {
  let rights: MyRights | null = null;
  const load = loadOnce(() =>
    import("../services/rights/my-rights.js").then((m) => (rights = m.createMyRights(deps))),
  );
  void warm.then(load).catch(() => undefined);
  return {
    list: async () => (await load()).list(),
    pages: (signal) =>
      (async function* loadThenPage() {
        yield* (await load()).pages(signal);
      })(),
    retention: async () => (await load()).retention(),
    countExpiring: async (setting) => (await load()).countExpiring(setting),
    setRetention: async (setting) => (await load()).setRetention(setting),
    purgeNow: async () => (await load()).purgeNow(),
    correct: async (savedId, change) => (await load()).correct(savedId, change),
    remove: async (savedIds) => (await load()).remove(savedIds),
    removeAllMyData: async () => (await load()).removeAllMyData(),
    // Nothing was deleted through these rights before their code loaded.
    recycled: () => rights?.recycled() ?? 0,
    downloadEml: async (savedId) => (await load()).downloadEml(savedId),
    exportAll: async (sink, onProgress) => (await load()).exportAll(sink, onProgress),
  };
}

/** Every service of one pane, wired once: the facades the views get, and the parts under them. */
export function composeServices(ports: PanePorts, setup: PaneSetup) {
  const policy: OrgPolicy =
    setup.org?.policy ??
    defaultOrgPolicy({
      privacyPolicyUrl: setup.policy.url,
      privacyPolicyVersion: setup.policy.version,
    });
  const firstView = afterFirstView();
  const parts = composeParts(ports, setup, policy, firstView.settled);
  const { storage, activity, index, consent, purge } = parts;
  const housekeeping = startHousekeeping({
    consent,
    activity,
    reconcile: async () =>
      (await import("../services/save/reconcile.js")).reconcile({
        storage,
        index,
        activity,
        // At start-up only what the last weeks can have left; the tenant job runs it all.
        scope: "recent",
      }),
    purge,
    firstViewSettled: firstView.settled,
  });
  // Observable once start-up housekeeping is over and the pane is idle (the bench measures views
  // from then on; an end-to-end test can wait for it).
  void housekeeping.done.then(() => {
    if (typeof document !== "undefined") document.documentElement.dataset.septHousekeeping = "done";
  });
  const owedEvents = retryOwedEvents(activity);
  const projects = createProjectList(parts.catalogue, housekeeping.track);
  const { listed, ...otherMessages } = createOtherMessageFinder({
    search: ports.search,
    restId: ports.restId,
  });
  const services: PaneServices = {
    consent,
    saving: {
      contentAllowedByOrg: () => policy.allowContent,
      ...createSaveAdvice({
        index,
        activeProjects: projects.activeProjects,
        self: setup.principal.principalId,
        track: housekeeping.track,
      }),
      ...lazySaving(
        {
          save: parts.saveDeps,
          restId: ports.restId,
          allowContent: policy.allowContent,
          listed,
          afterSave: () => {
            // A save whose event did not land says so; the pane sends it again while open.
            void owedEvents.check();
            void purge().catch(() => undefined);
          },
        },
        firstView.settled,
      ),
    },
    otherMessages,
    projects,
    stored: lazyRights({ ...parts, principal: setup.principal }, firstView.settled),
    activity: {
      list: () => activity.list(),
      verify: async () =>
        (await import("../services/rights/activity-check.js")).checkActivity(activity),
    },
    privacy: privacyFacade(ports, setup, parts),
    orgPolicy: setup.org ?? {
      policy,
      problems: [],
      issues: [],
      source: "defaults",
      fallback: "missing",
    },
  };
  return { services, parts, firstViewShown: firstView.shown };
}

export interface ComposeOptions {
  /** How org-policy.json is fetched (the composition root starts it early); default: fetch. */
  fetch?: FetchLike;
}

function lazyAccountManager(
  config: AddinConfig,
  runtime: OfficeRuntime,
): AuthPort & SignOutCapable {
  // MSAL is large: it is its own script, requested as the services are composed, and started
  // (nested app auth or the dialog) at once, so the first token does not wait for either.
  const manager = import("../adapters/auth/account-manager.js").then((m) => {
    const accounts = m.createAccountManager({
      clientId: config.clientId,
      tenant: config.tenant,
      authPageUrl: `${config.addinBaseUrl}/auth.html`,
      runtime: () => runtime,
    });
    void accounts.flow().catch(() => undefined);
    return accounts;
  });
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

/** The sign-in: MSAL (or dev tokens), its script requested at once. */
function paneAuth(
  runtime: OfficeRuntime,
  config: AddinConfig,
  username: string,
): PanePorts["auth"] {
  const profile = runtime.context.mailbox.userProfile;
  return recordScopes<AuthPort & Partial<SignOutCapable>>(
    config.authMode === "dev"
      ? createDevTokenProvider({ id: username, username, name: profile?.displayName ?? username })
      : lazyAccountManager(config, runtime),
  );
}

/** The production adapters over Office, Graph and the sign-in, for `policy`. */
function paneAdapters(
  runtime: OfficeRuntime,
  config: AddinConfig,
  policy: OrgPolicy,
  username: string,
  auth: PanePorts["auth"],
): PanePorts {
  const inLibrary = policy.storage.kind === "sharePoint";
  // Storage asks for User.Read + Files.ReadWrite.AppFolder only (or, for an org's SharePoint
  // library, the site permission an admin granted: docs/admin/org-policy.md); Mail.Read is asked
  // by the mail client's first request, which a save read through Office.js never makes.
  const clients = createGraphClients({
    graphBaseUrl: config.graphBaseUrl,
    auth,
    sharePointStorage: inLibrary,
  });
  // One limiter for the mailbox: Outlook throttles a fifth concurrent request.
  const limiter = createRequestLimiter();
  const storage = createAppFolderStorage(clients.files, {
    limiter,
    driveRoot: driveRoot(policy),
    // A library's app folder is shared by all its users: each keeps to a folder of their own.
    perUserFolder: inLibrary,
    // A throttled request inside a $batch waits its own Retry-After; without one, a short back-off
    // keeps a save in the pane from hanging for minutes.
    innerRetry: { maxRetries: 3, delaySeconds: 1 },
  });
  return {
    auth,
    storage,
    mail: createOfficeMailSource(runtime, createGraphMailSource(clients.mail, limiter)),
    search: createGraphMailSearch(clients.mail, limiter),
    // Events that could not be written wait in this device's storage (per user) until they land.
    outbox: createLocalOutbox(browserStorage(), `sept.activity-outbox.${username}`),
    hint: createRoamingConsentHint(runtime),
    pending: createPendingConsentStore(runtime),
    restId: (itemId) => toRestId(runtime, itemId),
    hostReadsItem: () => requirementMet(runtime, REQUIREMENTS.emlFile),
  };
}

/** The pane's services in Outlook: the org policy first (it says where storage is), then the rest. */
export async function composePane(
  runtime: OfficeRuntime,
  config: AddinConfig,
  language: Language,
  options: ComposeOptions = {},
): Promise<PaneServices & StartupHooks> {
  const username = runtime.context.mailbox.userProfile?.emailAddress ?? "unknown@localhost";
  // MSAL's script and its start do not depend on the org policy: they do not wait for it.
  const auth = paneAuth(runtime, config, username);
  const org: LoadedOrgPolicy = await loadOrgPolicy(
    options.fetch ?? ((url, init) => fetch(url, init)),
    `${config.addinBaseUrl}/org-policy.json`,
    { defaults: defaultOrgPolicy(config), language },
  );
  const host = hostInfo(runtime);
  const pane = composeServices(paneAdapters(runtime, config, org.policy, username, auth), {
    principal: { principalId: username, language },
    policy: currentPolicy(org.policy.requiredPolicyVersion, org.policy.privacyPolicyUrl),
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
  pane.parts.consent.start().catch(() => undefined);
  return { ...pane.services, firstViewShown: pane.firstViewShown };
}
