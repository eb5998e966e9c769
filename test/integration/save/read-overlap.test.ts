// The save's read overlaps the consent guard's ledger read, and nothing is stored before that read
// admits the message: a withdrawal made in another window stops the save with the MIME read but
// nothing written, and under a slow ledger every write waits for its answer.
import { describe, expect, it } from "vitest";
import type { LoggedRequest, OfficeItemView } from "../../../dev/graph-fake/types.js";
import { readCurrentItem } from "../../../src/adapters/office/mailbox.js";
import { ConsentRequiredError } from "../../../src/core/consent/consent.js";
import { createFakeOffice, officeItemOf } from "../../support/fake-office.js";
import { carriesEmailData, createPaneStack } from "../../support/pane-stack.js";
import { useTestFake } from "../../support/use-test-fake.js";

const t = useTestFake();

/** A pane on a host without getAsFileAsync (the MIME is read through Graph), `view` open. */
function paneOn(view: OfficeItemView) {
  const office = createFakeOffice({
    requirements: { Mailbox: "1.3" },
    item: officeItemOf(view),
  });
  const p = createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, office: office.runtime });
  const current = readCurrentItem(office.runtime);
  if (current.status !== "message") throw new Error("not a read item");
  const save = () => p.services.saving.save(current.message, "tower-b", true, {});
  return { p, save };
}

const someMessage = () => {
  const view = t.fake.mailbox().find((m) => m.hasAttachments && m.protection === "none");
  if (!view) throw new Error("the sample mailbox has no plain message with attachments");
  return view;
};
const path = (r: LoggedRequest) => decodeURIComponent(r.path);
const isLedgerListing = (r: LoggedRequest) => /approot:\/consent:\/children/.test(path(r));
const isMimeRead = (r: LoggedRequest) => path(r).endsWith("/$value");
const emailWrites = (log: LoggedRequest[]) =>
  log.filter((r) => carriesEmailData(r) && r.method !== "GET");

describe("the save's read beside the consent guard", () => {
  it("stores nothing when the ledger says consent was withdrawn in another window, though the read had started", async () => {
    const view = someMessage();
    const windowA = paneOn(view);
    const windowB = paneOn(view);
    await windowA.p.consent.grant(["email_metadata", "email_content"]);
    expect((await windowB.p.consent.refresh()).status).toBe("granted");
    // An index read now, so that the save's first requests are the ledger and the MIME.
    await windowB.p.index.entries();
    await windowA.p.consent.withdraw();
    t.fake.clearRequests();
    const error = await windowB.save().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsentRequiredError);
    expect((error as ConsentRequiredError).reason).toBe("withdrawn");
    const log = t.fake.requests();
    // The read went out beside the ledger read (it waited for no answer)...
    expect(log.some(isLedgerListing)).toBe(true);
    expect(log.some(isMimeRead)).toBe(true);
    // ...and nothing of the message was stored.
    expect(emailWrites(log)).toEqual([]);
    expect(await windowB.p.storage.list("emails")).toEqual([]);
  });

  it("sends no email-data request when this pane knows of no consent", async () => {
    const view = someMessage();
    const { p, save } = paneOn(view);
    await p.consent.refresh();
    t.fake.clearRequests();
    await expect(save()).rejects.toBeInstanceOf(ConsentRequiredError);
    expect(t.fake.requests().filter(carriesEmailData)).toEqual([]);
  });

  it("writes the message only once the ledger read that admits it has answered", async () => {
    const view = someMessage();
    const { p, save } = paneOn(view);
    await p.consent.grant(["email_metadata", "email_content"]);
    await p.index.entries();
    const slow = 400;
    t.fake.setFaults({ latencyMs: slow, match: "consent:/children" });
    t.fake.clearRequests();
    expect((await save()).status).toBe("saved");
    t.fake.setFaults({});
    const log = t.fake.requests();
    const listing = log.find(isLedgerListing);
    expect(listing).toBeDefined();
    const writes = emailWrites(log);
    expect(writes.length).toBeGreaterThan(0);
    // The fake holds the listing's answer back `slow` ms after it arrived: a write that arrived
    // before then was sent before the pane knew the ledger.
    const answered = Date.parse(listing!.time) + slow;
    for (const write of writes) expect(Date.parse(write.time)).toBeGreaterThanOrEqual(answered);
    // No Graph metadata read: Office.js answered it.
    expect(log.filter((r) => /\/me\/messages\/[^/]+$/.test(path(r)))).toEqual([]);
  });
});
