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
  const message = current.message;
  const save = () => p.services.saving.save(message, "tower-b", true, {});
  return { p, save, message };
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

describe("a conversation saved together", () => {
  it("reads each message once, beside its own ledger read, and stores none before it", async () => {
    const root = t.fake
      .mailbox()
      .find((m) => m.subject.includes("steel delivery schedule") && !/^re/i.test(m.subject));
    if (!root) throw new Error("the sample conversation is missing");
    const { p, message } = paneOn(root);
    await p.consent.grant(["email_metadata", "email_content"]);
    const others = await p.services.otherMessages.conversation(message);
    expect(others.length).toBeGreaterThan(1);
    await p.index.entries();
    t.fake.clearRequests();
    const results: string[] = [];
    await p.services.saving.saveMany(message, others, "tower-b", true, {
      onResult: (r) => results.push(r.status),
    });
    expect(results).toEqual(Array.from({ length: others.length + 1 }, () => "saved"));
    const log = t.fake.requests().sort((a, b) => a.seq - b.seq);
    const keys = [root.restId, ...others.map((o) => o.key)];
    // Mail: each message's MIME once, and no message read for its metadata (Office.js gave the
    // open one's, the conversation's list the others').
    const mail = log.filter((r) => /\/me\/messages\//.test(path(r)));
    expect(mail.map((r) => path(r)).sort()).toEqual(
      keys.map((key) => `/v1.0/me/messages/${key}/$value`).sort(),
    );
    // One ledger read per message (the batch's guard admits the first), and between the stored
    // data of two messages the ledger was read again.
    expect(log.filter(isLedgerListing)).toHaveLength(keys.length);
    let listedSince = true;
    let current: string | undefined;
    for (const r of log) {
      if (isLedgerListing(r)) listedSince = true;
      else if (emailWrites([r]).length > 0) {
        const id = /approot:\/emails\/([0-9a-f]+)\./.exec(path(r))?.[1];
        if (id === current) continue;
        expect(listedSince).toBe(true);
        listedSince = false;
        current = id;
      }
    }
  });
});
