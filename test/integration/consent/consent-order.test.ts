// Consent order comes from what no device can set: the server's creation time of each record
// file, and a withdrawal's link to the grant it ends. Two panes with clocks an hour apart grant
// and withdraw in every order, and the later act wins; a record dated far ahead outranks nothing.
// A withdrawal the privacy office wrote straight into the ledger counts like one made in the pane.
import { beforeAll, describe, expect, it } from "vitest";
import {
  ConsentRequiredError,
  privacyOfficeWithdrawal,
  type ConsentGrant,
} from "../../../src/core/consent/consent.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { carriesEmailData, createPaneStack, POLICY_V1 } from "../../support/pane-stack.js";
import { testCollection } from "../../support/consent-collection.js";

const t = useTestFake();
let restId: string;

beforeAll(() => {
  restId = t.fake.mailbox()[0]!.restId;
});

const HOUR = 3_600_000;
const pane = (skewMs = 0) =>
  createPaneStack({
    graphBaseUrl: t.fake.graphBaseUrl,
    ...(skewMs ? { now: () => new Date(Date.now() + skewMs) } : {}),
  });

/** Writes a file into the user's app folder as another program would, not through SEPT. */
async function putStraight(name: string, value: unknown): Promise<void> {
  const response = await t.fetch(`/me/drive/special/approot:/consent/${name}:/content`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(value),
  });
  expect(response.status).toBe(201);
}

const clocks = { fast: HOUR, slow: -HOUR } as const;
type Clock = keyof typeof clocks;
const orders: Array<[Clock, Clock]> = [
  ["fast", "slow"],
  ["slow", "fast"],
  ["fast", "fast"],
  ["slow", "slow"],
];

describe("two panes with clocks an hour apart", () => {
  it.each(orders)("a grant (clock %s) then a withdrawal (clock %s): withdrawn", async (g, w) => {
    const granter = pane(clocks[g]);
    const withdrawer = pane(clocks[w]);
    await granter.consent.grant(["email_metadata", "email_content"]);
    await withdrawer.consent.refresh();
    await withdrawer.consent.withdraw();
    for (const p of [granter, withdrawer, pane()]) {
      expect((await p.consent.refresh()).status).toBe("withdrawn");
    }
    const refused = await granter
      .save({ restId, projectId: "tower-b", includeContent: false })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConsentRequiredError);
  });

  it.each(orders)("a withdrawal (clock %s) then a grant (clock %s): granted", async (w, g) => {
    const withdrawer = pane(clocks[w]);
    const granter = pane(clocks[g]);
    await pane().consent.grant(["email_metadata"]);
    await withdrawer.consent.refresh();
    await withdrawer.consent.withdraw();
    await granter.consent.refresh();
    await granter.consent.grant(["email_metadata"]);
    for (const p of [granter, withdrawer, pane()]) {
      expect((await p.consent.refresh()).status).toBe("granted");
    }
  });

  it("a grant file dated a year ahead does not outrank a later withdrawal", async () => {
    const ahead = new Date(Date.now() + 365 * 24 * HOUR).toISOString();
    const grant: ConsentGrant = {
      kind: "grant",
      id: "future-grant",
      policyVersion: POLICY_V1,
      policyUrl: "https://septsoftware.com/privacy-policy",
      purposes: ["email_metadata", "email_content"],
      grantedAt: ahead,
      collection: testCollection(),
    };
    // A `storedAt` inside the file is the device's say, and ignored.
    await putStraight("future-grant.json", { ...grant, storedAt: ahead });
    const p = pane(-HOUR);
    expect((await p.consent.refresh()).status).toBe("granted");
    await p.consent.withdraw();
    expect((await pane().consent.refresh()).status).toBe("withdrawn");
  });
});

describe("a withdrawal recorded by the privacy office", () => {
  it("stops the next save with no email-data request, and shows in the history", async () => {
    const p = pane();
    await p.consent.grant(["email_metadata", "email_content"]);
    const grant = p.consent.current();
    const record = privacyOfficeWithdrawal({
      id: "po-2026-0042",
      at: new Date().toISOString(),
      requestedAt: "2026-11-30T15:20:00Z",
      recordedBy: "privacy@septsoftware.com",
      reference: "PO-2026-0042",
      policyVersion: POLICY_V1,
      grantId: grant.status === "granted" ? grant.grant.id : null,
    });
    await putStraight("20261201T000000Z-withdrawal-po-2026-0042.json", record);
    t.fake.clearRequests();
    const refused = await p
      .save({ restId, projectId: "tower-b", includeContent: true })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConsentRequiredError);
    expect((refused as ConsentRequiredError).reason).toBe("withdrawn");
    expect(t.fake.requests().filter(carriesEmailData)).toEqual([]);
    const state = p.consent.current();
    expect(state.status).toBe("withdrawn");
    expect(state.status === "withdrawn" && state.withdrawal.collection).toMatchObject({
      method: "privacy_office",
      recordedBy: "privacy@septsoftware.com",
      requestedAt: "2026-11-30T15:20:00Z",
    });
    expect(p.consent.history().map((r) => [r.kind, r.collection.method])).toEqual([
      ["grant", "taskpane"],
      ["withdrawal", "privacy_office"],
    ]);
  });

  it("is not accepted without who recorded it and when it was asked for", async () => {
    const p = pane();
    await p.consent.grant(["email_metadata"]);
    await putStraight("20261201T000000Z-withdrawal-anonymous.json", {
      kind: "withdrawal",
      id: "anonymous",
      grantId: null,
      policyVersion: POLICY_V1,
      withdrawnAt: new Date().toISOString(),
      collection: { method: "privacy_office" },
    });
    expect((await p.consent.refresh()).status).toBe("granted");
  });
});
