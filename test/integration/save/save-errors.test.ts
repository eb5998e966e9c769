// Every refusal a save can meet gives a typed, translated error and leaves nothing behind:
// no item, a draft, encrypted or rights-protected mail, too large, 403, 507, 404.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { SeptError, type ErrorCode } from "../../../src/core/errors.js";
import { translate } from "../../../src/core/i18n/index.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { carriesEmailData, createPaneStack } from "../../support/pane-stack.js";
import {
  IRM_SUBJECT,
  SMIME_SUBJECT,
  bySubject,
  irmMessage,
  seedFolder,
  smimeMessage,
  storedState,
} from "./save-fixtures.js";

let seedDir: string;
let views: OfficeItemView[];
const t = useTestFake(() => {
  seedDir = seedFolder({ "91-smime.eml": smimeMessage(), "92-irm.eml": irmMessage() });
  return { seedDir };
});

beforeAll(() => {
  views = t.fake.mailbox();
});
afterAll(() => {
  rmSync(seedDir, { recursive: true, force: true });
});

type Pane = ReturnType<typeof createPaneStack>;

async function consentedPane(options: Partial<Parameters<typeof createPaneStack>[0]> = {}) {
  const p = createPaneStack({
    graphBaseUrl: t.fake.graphBaseUrl,
    graphRetry: { delaySeconds: 0, maxRetries: 1 },
    save: { stepRetry: { retries: 0 } },
    ...options,
  });
  await p.consent.grant(["email_metadata", "email_content"]);
  t.fake.clearRequests();
  return p;
}

const plain = () => bySubject(views, "RFI-014");

async function failure(promise: Promise<unknown>, code: ErrorCode): Promise<SeptError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeptError);
  const septError = error as SeptError;
  expect(septError.code).toBe(code);
  // The pane can explain it in both languages.
  for (const language of ["en", "fr"] as const) {
    expect(translate(language, septError.messageKey)).not.toBe(septError.messageKey);
  }
  return septError;
}

/** Nothing the user could see, and nothing for reconcile to find. */
async function expectNothingStored(p: Pane) {
  // Read through the fake afresh, with faults off.
  t.fake.setFaults({});
  const state = await storedState(p);
  expect(state.records).toEqual([]);
  expect(state.contents).toEqual([]);
  expect(state.pending).toEqual([]);
  expect(state.indexIds).toEqual([]);
  expect(state.events.size).toBe(0);
}

const emailDataRequests = () => t.fake.requests().filter(carriesEmailData);

describe("refusals Office can answer: no request at all", () => {
  it("refuses with no_item when nothing is selected", async () => {
    const p = await consentedPane();
    await failure(p.save({ restId: "", projectId: "tower-b", includeContent: true }), "no_item");
    expect(t.fake.requests()).toEqual([]);
  });

  it("refuses a draft being written with compose_mode", async () => {
    const p = await consentedPane();
    await failure(
      p.save({
        restId: plain().restId,
        projectId: "tower-b",
        includeContent: true,
        officeItem: { isCompose: true },
      }),
      "compose_mode",
    );
    expect(t.fake.requests()).toEqual([]);
  });

  it.each(["IPM.Note.rpmsg.Microsoft.Voicemail.UM.CA", "IPM.Note.rpmsg"])(
    "refuses an item of class %s as rights-protected, with no request",
    async (itemClass) => {
      const p = await consentedPane();
      await failure(
        p.save({
          restId: plain().restId,
          projectId: "tower-b",
          includeContent: false,
          officeItem: { itemClass },
        }),
        "rights_protected",
      );
      expect(emailDataRequests()).toEqual([]);
    },
  );

  it("tells an IPM.Note.SMIME item (encrypted or opaque-signed) by its MIME, not its class", async () => {
    const p = await consentedPane();
    // The class says S/MIME, the MIME is plain: opaque-signed and encrypted share that class,
    // so the class alone refuses nothing.
    const result = await p.save({
      restId: plain().restId,
      projectId: "tower-b",
      includeContent: false,
      officeItem: { itemClass: "IPM.Note.SMIME" },
    });
    expect(result.status).toBe("saved");
    // An encrypted one is refused, even for a details-only save.
    const encrypted = bySubject(views, SMIME_SUBJECT);
    await failure(
      p.save({
        restId: encrypted.restId,
        projectId: "tower-b",
        includeContent: false,
        officeItem: { itemClass: "IPM.Note.SMIME" },
      }),
      "encrypted_message",
    );
  });

  it("saves clear-signed mail (IPM.Note.SMIME.MultipartSigned): it stays readable", async () => {
    const p = await consentedPane();
    const result = await p.save({
      restId: plain().restId,
      projectId: "tower-b",
      includeContent: true,
      officeItem: { itemClass: "IPM.Note.SMIME.MultipartSigned" },
    });
    expect(result.status).toBe("saved");
  });
});

describe("refusals found in the message", () => {
  it("refuses an S/MIME encrypted message from its MIME, storing nothing", async () => {
    const p = await consentedPane();
    const view = bySubject(views, SMIME_SUBJECT);
    expect(view.protection).toBe("smime");
    await failure(
      p.save({ restId: view.restId, projectId: "tower-b", includeContent: true }),
      "encrypted_message",
    );
    expect(emailDataRequests().filter((r) => r.method !== "GET")).toEqual([]);
    await expectNothingStored(p);
  });

  it("refuses an IRM message (message.rpmsg) from its MIME, storing nothing", async () => {
    const p = await consentedPane();
    const view = bySubject(views, IRM_SUBJECT);
    expect(view.protection).toBe("irm");
    await failure(
      p.save({ restId: view.restId, projectId: "tower-b", includeContent: true }),
      "rights_protected",
    );
    await expectNothingStored(p);
  });

  it("refuses a message over the size limit before storing anything", async () => {
    const view = plain();
    const p = await consentedPane({ save: { maxMessageBytes: view.size - 1 } });
    const error = await failure(
      p.save({ restId: view.restId, projectId: "tower-b", includeContent: true }),
      "too_large",
    );
    expect(error.params.limitMb).toBe(0);
    expect(emailDataRequests().filter((r) => r.method !== "GET")).toEqual([]);
    await expectNothingStored(p);
    // The limit is about content: the same message's metadata still saves.
    const result = await p.save({
      restId: view.restId,
      projectId: "tower-b",
      includeContent: false,
    });
    expect(result.status).toBe("saved");
  });

  it("refuses an unknown message with not_found", async () => {
    const p = await consentedPane();
    await failure(
      p.save({ restId: "AAkALgAAunknownmessage0000", projectId: "tower-b", includeContent: true }),
      "not_found",
    );
    await expectNothingStored(p);
  });

  it("reports a MIME export the server gives up on as a timeout, storing nothing", async () => {
    const p = await consentedPane();
    t.fake.setFaults({ mimeSizeLimitBytes: 100 });
    await failure(
      p.save({ restId: plain().restId, projectId: "tower-b", includeContent: true }),
      "timeout",
    );
    await expectNothingStored(p);
  });
});

describe("refusals from SEPT storage", () => {
  it("reports an app folder refused with 403 as app_folder_refused", async () => {
    const p = await consentedPane();
    t.fake.setFaults({ approotForbidden: true });
    await failure(
      p.save({ restId: plain().restId, projectId: "tower-b", includeContent: true }),
      "app_folder_refused",
    );
    await expectNothingStored(p);
  });

  it("reports a 403 on the content upload alone as access_denied: the app folder still answers", async () => {
    const p = await consentedPane();
    t.fake.setFaults({ queue: [{ status: 403, match: "^PUT .*approot:/emails/" }] });
    await failure(
      p.save({ restId: plain().restId, projectId: "tower-b", includeContent: true }),
      "access_denied",
    );
    await expectNothingStored(p);
  });

  it("reports a full OneDrive (507) as quota_full, for content and for metadata only", async () => {
    const p = await consentedPane();
    t.fake.setFaults({ quotaFull: true });
    await failure(
      p.save({ restId: plain().restId, projectId: "tower-b", includeContent: true }),
      "quota_full",
    );
    t.fake.setFaults({ quotaFull: true });
    await failure(
      p.save({ restId: plain().restId, projectId: "tower-b", includeContent: false }),
      "quota_full",
    );
    await expectNothingStored(p);
  });

  it("removes the uploaded content again when the record cannot be written", async () => {
    const p = await consentedPane();
    t.fake.setFaults({ queue: [{ status: 507, match: "^PUT .*approot:/records/[^/]+\\.json" }] });
    await failure(
      p.save({ restId: plain().restId, projectId: "tower-b", includeContent: true }),
      "quota_full",
    );
    const log = t.fake.requests().map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
    expect(log.some((r) => /^PUT .*\.eml:\/content$/.test(r))).toBe(true);
    expect(log.some((r) => /^DELETE .*\.eml$/.test(r))).toBe(true);
    await expectNothingStored(p);
  });
});
