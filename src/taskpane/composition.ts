// Wires ports to adapters for the pane. Production and the local demo differ only in the token
// provider and the Graph base URL, both from configuration.
import { hostInfo } from "../adapters/office/mailbox.js";
import { createRoamingConsentHint } from "../adapters/office/roaming-consent-hint.js";
import type { OfficeRuntime } from "../adapters/office/runtime.js";
import { createDevTokenProvider } from "../adapters/auth/dev-token-provider.js";
import { createAppFolderStorage } from "../adapters/graph/app-folder-storage.js";
import { createGraphClient } from "../adapters/graph/graph-client.js";
import { currentPolicy } from "../core/consent/policy.js";
import type { AddinConfig } from "../core/config.js";
import type { Language } from "../core/i18n/index.js";
import { GRAPH_SCOPES, type AuthPort } from "../core/ports/auth.js";
import { createStorageActivityLog } from "../services/activity-log.js";
import { createStorageConsentLedger } from "../services/consent-ledger.js";
import { ConsentService } from "../services/consent-service.js";
import { deleteAllStoredEmails } from "../services/delete-stored.js";
import type { PaneServices } from "./pane-services.js";

function lazyMsal(config: AddinConfig): AuthPort {
  // MSAL is large: it is fetched the first time a token is needed, not with the first view.
  const provider = import("../adapters/auth/msal-token-provider.js").then((m) =>
    m.createMsalTokenProvider({
      clientId: config.clientId,
      tenant: config.tenant,
      redirectUri: `${config.addinBaseUrl}/taskpane.html`,
    }),
  );
  return {
    getAccessToken: async (scopes) => (await provider).getAccessToken(scopes),
    clearCache: async () => (await provider).clearCache(),
    account: async () => (await provider).account(),
  };
}

export function composeServices(
  runtime: OfficeRuntime,
  config: AddinConfig,
  language: Language,
): PaneServices {
  const profile = runtime.context.mailbox.userProfile;
  const username = profile?.emailAddress ?? "unknown@localhost";
  const auth =
    config.authMode === "dev"
      ? createDevTokenProvider({ id: username, username, name: profile?.displayName ?? username })
      : lazyMsal(config);
  const client = createGraphClient({
    graphBaseUrl: config.graphBaseUrl,
    auth,
    scopes: [GRAPH_SCOPES.profile, GRAPH_SCOPES.mail, GRAPH_SCOPES.storage],
  });
  const storage = createAppFolderStorage(client);
  const activity = createStorageActivityLog(storage);
  const host = hostInfo(runtime);
  const consent = new ConsentService({
    ledger: createStorageConsentLedger(storage),
    activity,
    auth,
    policy: currentPolicy(config.privacyPolicyVersion, config.privacyPolicyUrl),
    hint: createRoamingConsentHint(runtime),
    collection: () => ({
      method: "taskpane",
      addinVersion: config.addinVersion,
      host: host.host,
      platform: host.platform,
      hostVersion: host.version,
      language,
    }),
  });
  return {
    consent,
    principalId: username,
    deleteAllStoredEmails: () => deleteAllStoredEmails({ storage, activity }),
  };
}
