// The consent gate of one pane, over a ledger whose listings the test answers by hand: one ledger
// read admits a message, one message at a time is past the gate, and a read that started before
// a message took its place never admits it (so a withdrawal landing meanwhile is seen).
import { describe, expect, it } from "vitest";
import {
  ConsentRequiredError,
  type ConsentRecord,
  type ConsentWithdrawal,
  type Purpose,
} from "../../../src/core/consent/consent.js";
import { currentPolicy } from "../../../src/core/consent/policy.js";
import type { ConsentLedgerPort } from "../../../src/core/ports/consent-ledger.js";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import {
  ConsentService,
  MESSAGES_PAST_GATE,
  type ConsentTicket,
} from "../../../src/services/consent/consent-service.js";
import { createMemoryStorage } from "../../support/memory-storage.js";
import { fakeAuth } from "../../support/pane-services.js";
import { testCollection } from "../../support/consent-collection.js";

const V1 = "2024-02-14";
const NEEDED: Purpose[] = ["email_metadata", "email_content"];

/**
 * A ledger as storage holds it: a listing sees what had landed when the server answered it (taken
 * at the call), and reaches the pane when the test says so (`holding`) or at once.
 */
function scriptedLedger() {
  const stored: ConsentRecord[] = [];
  let second = 0;
  const serverTime = () => new Date(Date.UTC(2026, 11, 1, 9, 0, ++second)).toISOString();
  const waiting: Array<() => void> = [];
  let holding = false;
  let lists = 0;
  const port: ConsentLedgerPort = {
    append: async (record) => {
      const kept = { ...record, storedAt: serverTime() };
      stored.push(kept);
      return kept;
    },
    list: () => {
      lists++;
      const snapshot = stored.map((r) => ({ ...r }));
      if (!holding) return Promise.resolve(snapshot);
      return new Promise<ConsentRecord[]>((resolve) => waiting.push(() => resolve(snapshot)));
    },
  };
  return {
    port,
    lists: () => lists,
    hold: () => {
      holding = true;
    },
    /** Answers the listing made `index`-th among those held (0: the oldest still waiting). */
    answer: (index = 0) => {
      const [reply] = waiting.splice(index, 1);
      if (!reply) throw new Error("no listing is waiting");
      reply();
    },
    answerAll: () => {
      holding = false;
      for (const reply of waiting.splice(0)) reply();
    },
    /** Another Outlook window withdraws: its record lands in storage. */
    withdrawElsewhere: (grantId: string) => {
      const record: ConsentWithdrawal = {
        kind: "withdrawal",
        id: `elsewhere-${second}`,
        grantId,
        policyVersion: V1,
        withdrawnAt: "2026-12-01T09:30:00.000Z",
        collection: testCollection({ platform: "PC" }),
        follows: grantId,
        storedAt: serverTime(),
      };
      stored.push(record);
    },
  };
}

async function grantedPane() {
  const ledger = scriptedLedger();
  const consent = new ConsentService({
    ledger: ledger.port,
    activity: createStorageActivityLog(createMemoryStorage()),
    auth: fakeAuth(),
    policy: currentPolicy(V1, "https://septsoftware.com/privacy-policy"),
    retryDelayMs: () => null,
    collection: () => testCollection(),
  });
  await consent.start();
  const state = await consent.grant(NEEDED);
  if (state.status !== "granted") throw new Error("the grant did not take");
  return { consent, ledger, grantId: state.grant.id };
}

/** Lets every promise that can move on do so. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "admitted",
    (error: unknown) => error,
  );
}

describe("the consent gate of a pane", () => {
  it("admits a message on one ledger read, and lets its later requests go without another", async () => {
    const { consent, ledger } = await grantedPane();
    const before = ledger.lists();
    // A single save: its place first, then the guard's read, which admits it too.
    const pass = await consent.awaitTurn();
    const ticket = await consent.guard(NEEDED);
    await consent.admitMessage(ticket, NEEDED, undefined, pass);
    expect(ledger.lists()).toBe(before + 1);
    // Its metadata, MIME, content and record: local checks only.
    for (let i = 0; i < 4; i++) consent.check(ticket, NEEDED);
    expect(ledger.lists()).toBe(before + 1);
    pass.release();
    // The next message is read for afresh.
    const next = await consent.admitMessage(ticket, NEEDED);
    expect(ledger.lists()).toBe(before + 2);
    next.release();
  });

  it("lets the bulk save's guard read admit its first message only", async () => {
    const { consent, ledger } = await grantedPane();
    const ticket = await consent.guard(NEEDED);
    const before = ledger.lists();
    const first = await consent.admitMessage(ticket, NEEDED);
    expect(ledger.lists()).toBe(before);
    first.release();
    const second = await consent.admitMessage(ticket, NEEDED);
    expect(ledger.lists()).toBe(before + 1);
    second.release();
  });

  it("keeps the next message waiting until the ones past the gate have sent their last request", async () => {
    const { consent } = await grantedPane();
    const ticket = await consent.guard(NEEDED);
    const admitted = await Promise.all(
      Array.from({ length: MESSAGES_PAST_GATE }, () => consent.admitMessage(ticket, NEEDED)),
    );
    let secondIn = false;
    const second = consent.admitMessage(ticket, NEEDED).then((pass) => {
      secondIn = true;
      return pass;
    });
    await settle();
    expect(secondIn).toBe(false);
    for (const pass of admitted) pass.release();
    (await second).release();
    expect(secondIn).toBe(true);
  });

  it("lets the admitted message finish when another window withdraws, and refuses the next", async () => {
    const { consent, ledger, grantId } = await grantedPane();
    const ticket: ConsentTicket = await consent.guard(NEEDED);
    const first = await consent.admitMessage(ticket, NEEDED);
    ledger.withdrawElsewhere(grantId);
    // The admitted message's later requests go on its read: no request, nothing seen yet.
    expect(() => consent.check(ticket, NEEDED)).not.toThrow();
    const next = outcome(consent.admitMessage(ticket, NEEDED));
    first.release();
    const refused = await next;
    expect(refused).toBeInstanceOf(ConsentRequiredError);
    expect((refused as ConsentRequiredError).reason).toBe("withdrawn");
    // What the pane read stops everything holding the grant, at its next step.
    expect(ticket.signal.aborted).toBe(true);
    expect(() => consent.check(ticket, NEEDED)).toThrow(ConsentRequiredError);
  });

  it("never admits a message on a read that started before it took its place", async () => {
    const { consent, ledger, grantId } = await grantedPane();
    const ticket = await consent.guard(NEEDED);
    const first = await consent.admitMessage(ticket, NEEDED);
    // A read is answered while the first message is past the gate (the pane's view refreshing),
    // and the withdrawal lands just after the server answered it...
    ledger.hold();
    const early = consent.refresh();
    const next = outcome(consent.admitMessage(ticket, NEEDED));
    ledger.withdrawElsewhere(grantId);
    ledger.answerAll();
    expect((await early).status).toBe("granted");
    // ...then the first message finishes: the next one does not go on that read.
    first.release();
    const refused = await next;
    expect(refused).toBeInstanceOf(ConsentRequiredError);
    expect((refused as ConsentRequiredError).reason).toBe("withdrawn");
  });

  it("reads the ledger afresh before every fragment of a large upload", async () => {
    const { consent, ledger, grantId } = await grantedPane();
    const ticket = await consent.guard(NEEDED);
    const pass = await consent.admitMessage(ticket, NEEDED);
    const before = ledger.lists();
    await consent.recheck(ticket, NEEDED);
    await consent.recheck(ticket, NEEDED);
    expect(ledger.lists()).toBe(before + 2);
    ledger.withdrawElsewhere(grantId);
    await expect(consent.recheck(ticket, NEEDED)).rejects.toBeInstanceOf(ConsentRequiredError);
    pass.release();
  });

  it("keeps what a newer read saw when an older one answers after it", async () => {
    const { consent, ledger, grantId } = await grantedPane();
    ledger.hold();
    const older = consent.refresh();
    ledger.withdrawElsewhere(grantId);
    const newer = consent.refresh();
    ledger.answer(1);
    expect((await newer).status).toBe("withdrawn");
    ledger.answer(0);
    expect((await older).status).toBe("withdrawn");
    expect(consent.current().status).toBe("withdrawn");
  });

  it("stops waiting for a place when the save is cancelled", async () => {
    const { consent } = await grantedPane();
    const ticket = await consent.guard(NEEDED);
    const first = await consent.admitMessage(ticket, NEEDED);
    const cancel = new AbortController();
    const waiting = outcome(consent.admitMessage(ticket, NEEDED, cancel.signal));
    cancel.abort();
    expect(await waiting).toMatchObject({ code: "cancelled" });
    first.release();
    // The place went back: the next message gets it.
    (await consent.admitMessage(ticket, NEEDED)).release();
  });
});
