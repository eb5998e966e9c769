import type { AuthPort } from "../../src/core/ports/auth.js";
import { currentPolicy } from "../../src/core/consent/policy.js";
import { defaultOrgPolicy } from "../../src/core/org-policy.js";
import { createStorageActivityLog } from "../../src/services/storage/activity-log.js";
import { createStorageConsentLedger } from "../../src/services/storage/consent-ledger.js";
import { ConsentService } from "../../src/services/consent/consent-service.js";
import { deleteAllStoredEmails } from "../../src/services/rights/remove.js";
import type {
  PaneServices,
  ProjectOption,
  SavingFacade,
  StoredFacade,
} from "../../src/taskpane/pane-services.js";
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
  const projects: ProjectOption[] = [];
  const saving: SavingFacade = {
    contentAllowedByOrg: () => true,
    projects: async () => [...projects],
    createProject: async (name) => {
      const project = { id: `p-${projects.length + 1}`, name };
      projects.push(project);
      return project;
    },
    allProjects: async () => projects.map((p) => ({ ...p, archived: false })),
    renameProject: async () => undefined,
    archiveProject: async () => undefined,
    savedCopies: async () => [],
    suggest: async () => null,
    save: async () => {
      throw new Error("saving is not part of these view tests");
    },
    saveMany: async () => {
      throw new Error("saving is not part of these view tests");
    },
  };
  const stored: StoredFacade = {
    list: async () => [],
    retention: async () => ({
      setting: { kind: "days", days: 90 },
      bounds: { minDays: 1, maxDays: 3650, allowForever: true },
    }),
    countExpiring: async () => 0,
    setRetention: async () => undefined,
    purgeNow: async () => 0,
    correct: async () => undefined,
    remove: async () => 0,
    removeAllMyData: async () => undefined,
    downloadEml: async () => new Uint8Array(),
    exportAll: async () => ({ sizeBytes: 0 }),
  };
  const services: PaneServices = {
    consent,
    principalId: "alex.martin@contoso-build.example",
    deleteAllStoredEmails: () => deleteAllStoredEmails({ storage, activity }),
    saving,
    otherMessages: {
      conversation: async () => [],
      fromSender: async () => [],
      search: async () => [],
    },
    permissions: () => ({ scopesAsked: [], hostReadsItem: true }),
    stored,
    orgPolicy: {
      policy: defaultOrgPolicy({
        privacyPolicyUrl: "https://septsoftware.com/privacy-policy",
        privacyPolicyVersion: policyVersion,
      }),
      problems: [],
      issues: [],
      source: "defaults",
      fallback: "missing",
    },
    activity: {
      list: () => activity.list(),
      verify: async () => {
        const verdict = await activity.verify();
        return { ok: verdict.ok, problems: verdict.problems.length };
      },
    },
  };
  return { services, storage, activity, auth, consent };
}
