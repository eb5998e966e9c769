// A withdrawal that fails to write is never lost, never shown as done, and never lets saving go
// on: under 507, 403 or a dropped connection the pane says "withdrawing" with the error, keeps the
// withdrawal on the device, a new pane on that device is never "granted", and the withdrawal
// lands (first, before anything else) once storage takes it again.
import { beforeAll, describe, expect, it } from "vitest";
import type { FaultQueueEntry } from "../../../dev/graph-fake/types.js";
import { ConsentRequiredError } from "../../../src/core/consent/consent.js";
import { SeptError } from "../../../src/core/errors.js";
import { consentEventId } from "../../../src/services/consent/consent-service.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { carriesEmailData, createPaneStack, devicePendingStore } from "../../support/pane-stack.js";

const t = useTestFake();
let restId: string;

beforeAll(() => {
  restId = t.fake.mailbox()[0]!.restId;
});

const pane = (pending = devicePendingStore()) =>
  createPaneStack({
    graphBaseUrl: t.fake.graphBaseUrl,
    pending,
    graphRetry: { delaySeconds: 0, maxRetries: 2 },
  });
const emailData = () => t.fake.requests().filter(carriesEmailData);
const consentWrites = "^PUT .*consent";

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}

describe.each<[string, FaultQueueEntry["status"], string]>([
  ["storage full (507)", 507, "quota_full"],
  ["access refused (403)", 403, "access_denied"],
  ["a dropped connection", "drop", "network"],
])("a withdrawal that cannot be written: %s", (_label, status, code) => {
  it("stops saving at once, says why, keeps the withdrawal and writes it first on retry", async () => {
    const device = devicePendingStore();
    const a = pane(device);
    await a.consent.grant(["email_metadata", "email_content"]);
    const events = async () => (await pane().activity.list()).map((e) => e.id);
    const granted = await events();

    t.fake.setFaults({ queue: [{ status, match: consentWrites, times: 50 }] });
    const error = await failure(a.consent.withdraw());
    expect(error).toBeInstanceOf(SeptError);
    expect((error as SeptError).code).toBe(code);
    // Not shown as done: the state is "withdrawing", with the error the pane explains.
    const state = a.consent.current();
    expect(state.status).toBe("withdrawing");
    expect(state.status === "withdrawing" && state.error?.code).toBe(code);
    // Nothing follows an unwritten record: no event, the sign-in cache untouched.
    expect(await events()).toEqual(granted);
    expect(a.cleared()).toBe(0);
    // The withdrawal is kept on the device.
    expect(device.acts().map((act) => [act.record.kind, act.recorded])).toEqual([
      ["withdrawal", false],
    ]);
    // Saving stopped in this pane, with no request at all.
    t.fake.clearRequests();
    const refused = await failure(a.save({ restId, projectId: "tower-b", includeContent: true }));
    expect(refused).toBeInstanceOf(ConsentRequiredError);
    expect(emailData()).toEqual([]);

    // The pane is closed; a new one opens on the same device while storage still refuses.
    const b = pane(device);
    expect(b.consent.current().status).toBe("withdrawing");
    expect((await b.consent.start()).status).toBe("withdrawing");
    const refusedAgain = await failure(
      b.save({ restId, projectId: "tower-b", includeContent: false }),
    );
    expect(refusedAgain).toBeInstanceOf(ConsentRequiredError);
    expect(emailData()).toEqual([]);

    // Storage takes writes again: the next pane writes the withdrawal first, then its event and
    // the clearing of the sign-in cache.
    t.fake.setFaults({});
    t.fake.clearRequests();
    const c = pane(device);
    const after = await c.consent.start();
    expect(after.status).toBe("withdrawn");
    const firstWrite = t.fake.requests().find((r) => r.method !== "GET");
    expect(decodeURIComponent(firstWrite?.path ?? "")).toMatch(/consent\/.*-withdrawal-/);
    expect(c.cleared()).toBe(1);
    expect(device.acts()).toEqual([]);
    const withdrawal = after.status === "withdrawn" ? after.withdrawal : null;
    expect(await events()).toContain(consentEventId(withdrawal!));
    // Another device, knowing nothing of this one, reads the same from the ledger.
    expect((await pane().consent.refresh()).status).toBe("withdrawn");
  }, 60_000);
});

describe("a withdrawal's follow-ups", () => {
  it("retries the event until it lands, without writing the record twice", async () => {
    const device = devicePendingStore();
    const a = pane(device);
    await a.consent.grant(["email_metadata"]);
    t.fake.setFaults({ queue: [{ status: 507, match: "^PUT .*activity", times: 50 }] });
    const state = await a.consent.withdraw();
    // The record is written: that is what the pane reports.
    expect(state.status).toBe("withdrawn");
    expect(a.cleared()).toBe(1);
    expect(device.acts().map((act) => [act.recorded, act.logged])).toEqual([[true, false]]);
    t.fake.setFaults({});
    await a.consent.retryPending();
    expect(device.acts()).toEqual([]);
    const ids = (await pane().activity.list()).map((e) => e.id);
    const withdrawal = state.status === "withdrawn" ? state.withdrawal : null;
    expect(ids.filter((id) => id === consentEventId(withdrawal!))).toHaveLength(1);
    const records = await a.storage.list("consent");
    expect(records.filter((f) => f.name.includes("-withdrawal-"))).toHaveLength(1);
  });

  it("shows a grant only once the ledger holds it", async () => {
    const a = pane();
    t.fake.setFaults({ queue: [{ status: 507, match: consentWrites, times: 50 }] });
    const error = await failure(a.consent.grant(["email_metadata"]));
    expect((error as SeptError).code).toBe("quota_full");
    expect(a.consent.current().status).toBe("none");
    t.fake.setFaults({});
    expect((await pane().consent.refresh()).status).toBe("none");
  });
});
