// 100 saves from two Outlook windows while the Graph fake fails 20 % of requests (429 with
// Retry-After 0, 503, 504, dropped connections): every save ends saved, already saved or with a
// typed error, and storage holds no duplicate, no orphan and exactly one event per saved email
// (once each pane has sent the events it still holds, as an open pane does on its own).
import { beforeAll, describe, expect, it } from "vitest";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { SeptError } from "../../../src/core/errors.js";
import type { SaveEmailResult } from "../../../src/services/save/save-email.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";
import { noWaitRetries } from "../../support/no-wait-retries.js";
import { expectConsistent, storedState } from "./save-fixtures.js";

const t = useTestFake({ resetEachTest: false });
let views: OfficeItemView[];

beforeAll(() => {
  views = t.fake.mailbox();
});

interface PaneRetries {
  graphRetries: number;
  stepRetries: number;
}

const pane = ({ graphRetries, stepRetries }: PaneRetries = { graphRetries: 3, stepRetries: 2 }) =>
  createPaneStack({
    graphBaseUrl: t.fake.graphBaseUrl,
    // Fast retries: Retry-After 0 from the fake, and the SDK's own backoff from 0 s.
    ...noWaitRetries(graphRetries),
    save: { stepRetry: { retries: stepRetries, delayMs: 50 } },
  });

const PROJECTS = ["tower-b", "riverside", "harbour-view", "north-yard", "depot-9"];
const IN_FLIGHT = 4;
const FAULTS_20_PERCENT = {
  rate429: 0.1,
  retryAfterSeconds: 0,
  rate503: 0.03,
  rate504: 0.03,
  rateDrop: 0.04,
};

/** `saves` saves from two panes, 4 at a time, over 14 messages × 5 projects (repeats included). */
async function run(saves: number, seed: number, retries?: PaneRetries) {
  const a = pane(retries);
  const b = pane(retries);
  await a.consent.grant(["email_metadata", "email_content"]);
  await b.consent.refresh();
  const messages = views.slice(0, 14);
  const plan = Array.from({ length: saves }, (_, i) => {
    const view = messages[i % messages.length]!;
    const project = Math.floor(i / messages.length) % PROJECTS.length;
    return {
      restId: view.restId,
      projectId: PROJECTS[project]!,
      includeContent: project % 2 === 0,
      // Half the saves know the internetMessageId from Office (the parallel read path).
      ...(i % 2 === 0 ? { internetMessageId: view.internetMessageId } : {}),
    };
  });
  t.fake.clearRequests();
  t.fake.setFaults({ seed, ...FAULTS_20_PERCENT });
  const outcomes: Array<SaveEmailResult | SeptError> = new Array(saves);
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, worker) => {
      const p = worker % 2 === 0 ? a : b;
      for (let i = next++; i < saves; i = next++) {
        try {
          outcomes[i] = await p.save(plan[i]!);
        } catch (error) {
          expect(error).toBeInstanceOf(SeptError);
          outcomes[i] = error as SeptError;
        }
      }
    }),
  );
  const elapsed = Date.now() - started;
  const log = t.fake.requests();
  t.fake.setFaults({});
  const failures = outcomes.filter((o): o is SeptError => o instanceof SeptError);
  const succeeded = outcomes.filter((o): o is SaveEmailResult => !(o instanceof SeptError));
  const faulted = log.filter((r) => r.status === 0 || r.status >= 429).length;
  console.info(
    `${saves} saves in ${elapsed} ms: ${succeeded.filter((o) => o.status === "saved").length} saved, ` +
      `${succeeded.filter((o) => o.status === "already_saved").length} already saved, ` +
      `${failures.length} failed (${failures.map((f) => f.code).join(", ") || "none"}); ` +
      `${log.length} requests, ${faulted} faulted`,
  );
  expect(outcomes.every((o) => o !== undefined)).toBe(true);
  expect(faulted).toBeGreaterThan(log.length * 0.1);
  for (const failure of failures) {
    expect(["network", "throttled", "service_unavailable", "timeout"]).toContain(failure.code);
  }
  return { outcomes, failures, succeeded, panes: [a, b] };
}

type Pane = ReturnType<typeof pane>;

/**
 * Each pane sends what its outbox still holds (with the faults over), as the open pane's retry or
 * its next start does: a save reported with `eventPending` has its event in its pane's outbox.
 */
async function sendOwedEvents(panes: Pane[], succeeded: SaveEmailResult[]) {
  // Their events were sent again at their pane's next append, or wait in its outbox still.
  const owed = succeeded.filter((o) => o.status === "saved" && o.eventPending);
  for (const p of panes) await p.activity.flush();
  for (const p of panes) expect(await p.activity.pending()).toBe(0);
  return owed.length;
}

/** Reconcile from a fresh pane, then every invariant holds and every reported save is there. */
async function expectRepaired(succeeded: SaveEmailResult[]) {
  const fresh = pane();
  const report = await fresh.reconcile();
  const after = await storedState(fresh);
  expectConsistent(after);
  for (const o of succeeded) expect(after.records).toContain(o.savedId);
  console.info(`reconcile after the run: ${JSON.stringify(report)}`);
  return report;
}

describe("saving under 20 % injected faults", () => {
  it("ends 100 saves cleanly: saved once each, visible, one event each", async () => {
    const { succeeded, panes } = await run(100, 20261125);
    // Faults are retried: (nearly) every save gets through.
    expect(succeeded.length).toBeGreaterThanOrEqual(90);
    await sendOwedEvents(panes, succeeded);
    // Saves reported done are visible and complete, and none was done twice.
    const before = await storedState(pane());
    for (const o of succeeded) {
      expect(before.records).toContain(o.savedId);
      expect(before.indexIds).toContain(o.savedId);
      expect(before.events.get(o.savedId)).toBe(1);
    }
    const claimedSaved = succeeded.filter((o) => o.status === "saved").map((o) => o.savedId);
    expect(new Set(claimedSaved).size).toBe(claimedSaved.length);
    expect(before.records.length).toBeLessThanOrEqual(70);
    await expectRepaired(succeeded);
  }, 180_000);

  it("with retries cut short, failed saves stay invisible and reconcile repairs what they left", async () => {
    await t.fake.reset();
    const { failures, succeeded, panes } = await run(60, 7, { graphRetries: 1, stepRetries: 0 });
    expect(failures.length).toBeGreaterThan(0);
    const listed = await storedState(pane());
    // An event never lands twice, nor without its record.
    for (const [savedId, count] of listed.events) {
      expect(listed.records).toContain(savedId);
      expect(count).toBe(1);
    }
    const owed = await sendOwedEvents(panes, succeeded);
    console.info(`saves reported with their event still to send: ${owed}`);
    const before = await storedState(pane());
    // Visible means in the index: only committed saves are, each with its one event once sent.
    for (const savedId of before.indexIds) {
      expect(before.records).toContain(savedId);
      expect(before.events.get(savedId)).toBe(1);
    }
    for (const o of succeeded) expect(before.indexIds).toContain(o.savedId);
    await expectRepaired(succeeded);
  }, 180_000);
});
