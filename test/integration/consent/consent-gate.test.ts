import { beforeAll, describe, expect, it } from "vitest";
import { ConsentRequiredError } from "../../../src/core/consent/consent.js";
import { createRoamingConsentHint } from "../../../src/adapters/office/roaming-consent-hint.js";
import { createFakeOffice } from "../../support/fake-office.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { carriesEmailData, createPaneStack, POLICY_V2 } from "../../support/pane-stack.js";

const t = useTestFake();
let restId: string;

beforeAll(() => {
  const message = t.fake.mailbox().find((m) => m.hasAttachments);
  if (!message) throw new Error("the sample mailbox has no message with attachments");
  restId = message.restId;
});

const pane = (policyVersion?: string) =>
  createPaneStack({
    graphBaseUrl: t.fake.graphBaseUrl,
    ...(policyVersion ? { policyVersion } : {}),
  });
const emailDataRequests = () => t.fake.requests().filter(carriesEmailData);
const saveRequest = (includeContent: boolean) => ({ restId, projectId: "tower-b", includeContent });

async function refusal(promise: Promise<unknown>): Promise<ConsentRequiredError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConsentRequiredError);
  return error as ConsentRequiredError;
}

describe("the consent gate against the Graph fake", () => {
  it("lets a consented save through, and the request log shows its email data (control)", async () => {
    const p = pane();
    await p.consent.grant(["email_metadata", "email_content"]);
    const result = await p.save(saveRequest(true));
    expect(result.status).toBe("saved");
    const seen = emailDataRequests().map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
    expect(seen.some((r) => r.includes("/$value"))).toBe(true);
    expect(seen.some((r) => /^PUT .*emails\/.*\.eml/.test(r))).toBe(true);
  });

  it("makes no email-data request without consent", async () => {
    const error = await refusal(pane().save(saveRequest(false)));
    expect(error.reason).toBe("none");
    expect(error.missing).toEqual(["email_metadata"]);
    expect(emailDataRequests()).toEqual([]);
  });

  it("makes no email-data request, and writes nothing at all, when consent was declined", async () => {
    const p = pane();
    // "Not now" records nothing: the pane only reads the ledger.
    await p.consent.refresh();
    await refusal(p.save(saveRequest(true)));
    expect(emailDataRequests()).toEqual([]);
    expect(t.fake.requests().filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("refuses a content save under metadata-only consent before any request", async () => {
    const p = pane();
    await p.consent.grant(["email_metadata"]);
    t.fake.clearRequests();
    const error = await refusal(p.save(saveRequest(true)));
    expect(error.reason).toBe("not_granted");
    expect(error.missing).toEqual(["email_content"]);
    expect(emailDataRequests()).toEqual([]);
  });

  it("refuses under consent given to an older policy version", async () => {
    await pane().consent.grant(["email_metadata", "email_content"]);
    t.fake.clearRequests();
    const error = await refusal(pane(POLICY_V2).save(saveRequest(false)));
    expect(error.reason).toBe("outdated");
    expect(emailDataRequests()).toEqual([]);
  });

  it("refuses after withdrawal, and the withdrawal cleared the sign-in cache", async () => {
    const p = pane();
    await p.consent.grant(["email_metadata", "email_content"]);
    await p.consent.withdraw();
    expect(p.cleared()).toBe(1);
    t.fake.clearRequests();
    const error = await refusal(p.save(saveRequest(false)));
    expect(error.reason).toBe("withdrawn");
    expect(emailDataRequests()).toEqual([]);
  });

  it("cancels a save waiting on a slow fake when consent is withdrawn meanwhile", async () => {
    const p = pane();
    await p.consent.grant(["email_metadata", "email_content"]);
    t.fake.clearRequests();
    t.fake.setFaults({ latencyMs: 600 });
    const outcome = refusal(p.save(saveRequest(true)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await p.consent.withdraw();
    const error = await outcome;
    expect(error.reason).toBe("withdrawn");
    expect(emailDataRequests()).toEqual([]);
  });

  it("stops a save in flight before it writes anything once consent is withdrawn", async () => {
    const p = pane();
    await p.consent.grant(["email_metadata", "email_content"]);
    t.fake.clearRequests();
    // The MIME download is slow: the user withdraws while the save waits for it.
    t.fake.setFaults({ latencyMs: 800, match: "\\$value" });
    const outcome = refusal(p.save(saveRequest(true)));
    // Wait until the metadata has been read and the save is waiting on the MIME download.
    await expect
      .poll(() => emailDataRequests().filter((r) => !r.path.endsWith("$value")).length, {
        timeout: 5000,
      })
      .toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await p.consent.withdraw();
    expect((await outcome).reason).toBe("withdrawn");
    await new Promise((resolve) => setTimeout(resolve, 900));
    const writes = emailDataRequests().filter((r) => r.method !== "GET");
    expect(writes).toEqual([]);
    expect(await p.storage.list("emails")).toEqual([]);
  });

  it("ignores a roamingSettings hint tampered to claim consent", async () => {
    const office = createFakeOffice({
      roamingSettings: {
        "sept.consentHint": { status: "granted", policyVersion: "2024-02-14" },
        "sept.consent": { kind: "grant", purposes: ["email_metadata", "email_content"] },
      },
    });
    const hint = createRoamingConsentHint(office.runtime);
    expect(hint.read()).toEqual({ status: "granted", policyVersion: "2024-02-14" });
    const p = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, hint });
    const error = await refusal(p.save(saveRequest(true)));
    expect(error.reason).toBe("none");
    expect(emailDataRequests()).toEqual([]);
    // The ledger's truth overwrote the tampered hint.
    expect(hint.read()?.status).toBe("none");
  });

  it("sees a withdrawal made in another Outlook window before its next save", async () => {
    const windowA = pane();
    const windowB = pane();
    await windowA.consent.grant(["email_metadata", "email_content"]);
    expect((await windowB.consent.refresh()).status).toBe("granted");
    await windowA.consent.withdraw();
    t.fake.clearRequests();
    const error = await refusal(windowB.save(saveRequest(true)));
    expect(error.reason).toBe("withdrawn");
    expect(emailDataRequests()).toEqual([]);
  });

  it("keeps every grant and withdrawal as its own file, never overwritten", async () => {
    const windowA = pane();
    const windowB = pane();
    await Promise.all([
      windowA.consent.grant(["email_metadata"]),
      windowB.consent.grant(["email_metadata", "email_content"]),
    ]);
    await windowA.consent.withdraw();
    const files = await windowA.storage.list("consent");
    expect(files).toHaveLength(3);
    const events = await windowB.activity.list();
    expect(events.map((e) => e.kind).sort()).toEqual([
      "consent_granted",
      "consent_granted",
      "consent_withdrawn",
    ]);
  });
});
