import type { AuthPort } from "../../src/core/ports/auth.js";
import { currentPolicy } from "../../src/core/consent/policy.js";
import { createStorageActivityLog } from "../../src/services/activity-log.js";
import { createStorageConsentLedger } from "../../src/services/consent-ledger.js";
import { ConsentService } from "../../src/services/consent-service.js";
import { deleteAllStoredEmails } from "../../src/services/delete-stored.js";
import type { PaneServices } from "../../src/taskpane/pane-services.js";
import { createMemoryStorage } from "./memory-storage.js";

export function fakeAuth(): AuthPort & { cleared: number } {
  const auth = {
    cleared: 0,
    getAccessToken: async () => "token",
    clearCache: async () => {
      auth.cleared++;
    },
    account: async () => ({ name: "Alex Martin", username: "alex.martin@contoso-build.example" }),
  };
  return auth;
}

/** Pane services over in-memory storage, for component tests. */
export function memoryPaneServices(policyVersion = "2024-02-14") {
  const storage = createMemoryStorage();
  const activity = createStorageActivityLog(storage);
  const auth = fakeAuth();
  const consent = new ConsentService({
    ledger: createStorageConsentLedger(storage),
    activity,
    auth,
    policy: currentPolicy(policyVersion, "https://septsoftware.com/privacy-policy", [
      { version: "2024-02-14", changes: [] },
      {
        version: "2026-12-01",
        changes: [
          {
            en: "Email content is now optional.",
            fr: "Le contenu des courriels est maintenant facultatif.",
          },
        ],
      },
    ]),
    collection: () => ({
      method: "taskpane",
      addinVersion: "test",
      host: "Outlook",
      platform: "OfficeOnline",
      hostVersion: "16.0",
      language: "en",
    }),
  });
  const services: PaneServices = {
    consent,
    principalId: "alex.martin@contoso-build.example",
    deleteAllStoredEmails: () => deleteAllStoredEmails({ storage, activity }),
  };
  return { services, storage, activity, auth, consent };
}
