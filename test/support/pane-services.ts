// The pane's services for component tests: composed by the pane's own composeServices, over
// in-memory storage; the mailbox is not part of these tests (reading it rejects).
import { recordScopes } from "../../src/adapters/graph/graph-clients.js";
import { currentPolicy } from "../../src/core/consent/policy.js";
import { SeptError } from "../../src/core/errors.js";
import type { AuthPort } from "../../src/core/ports/auth.js";
import type { MailSearchPort, MailSourcePort } from "../../src/core/ports/mail-source.js";
import { composeServices } from "../../src/taskpane/composition.js";
import { createMemoryStorage } from "./memory-storage.js";
import { testCollection } from "./consent-collection.js";

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

const noMailbox = (): never => {
  throw new SeptError("bad_request", { message: "The mailbox is not part of these view tests." });
};
const noMail: MailSourcePort = {
  getMetadata: async () => noMailbox(),
  getMime: async () => noMailbox(),
};
const noSearch: MailSearchPort = {
  conversation: async () => [],
  fromSender: async () => [],
  search: async () => [],
};

/** Pane services over in-memory storage, for component tests. */
export function memoryPaneServices(policyVersion = "2024-02-14") {
  const storage = createMemoryStorage();
  const auth = fakeAuth();
  const pane = composeServices(
    {
      auth: recordScopes(auth),
      storage,
      mail: noMail,
      search: noSearch,
      restId: (itemId) => itemId,
      hostReadsItem: () => true,
    },
    {
      principal: { principalId: "alex.martin@contoso-build.example", language: "en" },
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
      collection: () => testCollection(),
    },
  );
  const { activity, consent } = pane.parts;
  return { services: pane.services, storage, activity, auth, consent };
}
