// Soak: 500 content saves (a few messages × 100 projects) from one pane, 4 at a time, while the
// Graph fake fails about 20 % of requests (429 with Retry-After 0–1, 503, 504, dropped
// connections, added latency). Each save writes its record and event as two PUTs (no file
// content goes in $batch), so the run is long: its time limit is generous, and nothing here
// measures speed. Afterwards storage holds no lost, duplicated or orphaned email,
// exactly one `email_saved` event per completed save, every failure was a typed SeptError with a
// translated message, and a reconcile pass has nothing to repair.
import { beforeAll, describe, expect, it } from "vitest";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { SeptError } from "../../../src/core/errors.js";
import { translate } from "../../../src/core/i18n/index.js";
import type { SaveEmailResult } from "../../../src/services/save/save-email.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";
import { noWaitRetries } from "../../support/no-wait-retries.js";
import { expectConsistent, storedState } from "../save/save-fixtures.js";

const t = useTestFake({ resetEachTest: false });
let views: OfficeItemView[];

beforeAll(() => {
  views = t.fake.mailbox();
});

const pane = () =>
  createPaneStack({
    graphBaseUrl: t.fake.graphBaseUrl,
    ...noWaitRetries(3),
    save: { stepRetry: { retries: 2, delayMs: 20 } },
  });

const SAVES = 500;
const MESSAGES = 5;
const IN_FLIGHT = 4;

describe("soak: 500 saves under 20 % injected faults", () => {
  it("loses, duplicates and orphans nothing; one event per save; typed failures only", async () => {
    const a = pane();
    await a.consent.grant(["email_metadata", "email_content"]);
    // Small messages only (the soak is about counts, not bytes).
    const messages = [...views].sort((x, y) => x.size - y.size).slice(0, MESSAGES);
    const plan = Array.from({ length: SAVES }, (_, i) => {
      const view = messages[i % MESSAGES]!;
      return {
        restId: view.restId,
        projectId: `project-${String(Math.floor(i / MESSAGES)).padStart(3, "0")}`,
        includeContent: true,
        // Half the saves know the internetMessageId from Office (the parallel read path).
        ...(i % 2 === 0 ? { internetMessageId: view.internetMessageId } : {}),
      };
    });
    t.fake.clearRequests();
    t.fake.setFaults({
      seed: 500,
      // 20 % in all. 429s carry Retry-After 0; the SDK backs off ≥ 1 s on 503/504, so those are
      // fewer to keep the run near 90 s.
      rate429: 0.12,
      retryAfterSeconds: 0,
      rate503: 0.03,
      rate504: 0.03,
      rateDrop: 0.02,
      latencyMs: 1,
      // A few throttles with Retry-After 1 up front, on top of the rates.
      queue: [{ status: 429, retryAfterSeconds: 1, times: 3 }],
    });
    const outcomes: Array<SaveEmailResult | SeptError> = new Array(SAVES);
    const untyped: unknown[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < SAVES; i = next++) {
          try {
            outcomes[i] = await a.save(plan[i]!);
          } catch (error) {
            if (error instanceof SeptError) outcomes[i] = error;
            else untyped.push(error);
          }
        }
      }),
    );
    const elapsed = Date.now() - started;
    const log = t.fake.requests();
    t.fake.setFaults({});

    expect(untyped).toEqual([]);
    const failures = outcomes.filter((o): o is SeptError => o instanceof SeptError);
    const succeeded = outcomes.filter((o): o is SaveEmailResult => !(o instanceof SeptError));
    const faulted = log.filter((r) => r.status === 0 || r.status >= 429).length;
    console.info(
      `soak: ${SAVES} saves in ${elapsed} ms: ` +
        `${succeeded.filter((o) => o.status === "saved").length} saved, ` +
        `${succeeded.filter((o) => o.status === "already_saved").length} already saved, ` +
        `${failures.length} failed (${failures.map((f) => f.code).join(", ") || "none"}); ` +
        `${log.length} requests, ${faulted} faulted`,
    );
    expect(succeeded.length + failures.length).toBe(SAVES);
    // The faults really happened (roughly a fifth of all requests).
    expect(faulted).toBeGreaterThan(log.length * 0.12);
    // Every failure is one the pane can show, in both languages.
    for (const failure of failures) {
      expect(["network", "throttled", "service_unavailable", "timeout"]).toContain(failure.code);
      for (const lang of ["en", "fr"] as const) {
        const text = translate(lang, failure.messageKey, failure.params);
        expect(text.length).toBeGreaterThan(0);
        expect(text).not.toContain("errors.");
      }
    }
    // Retries get (nearly) everything through.
    expect(succeeded.length).toBeGreaterThanOrEqual(SAVES * 0.95);
    // Every plan item is a distinct (message, project): each success is its own record.
    const ids = succeeded.map((o) => o.savedId);
    expect(new Set(ids).size).toBe(ids.length);

    const state = await storedState(pane());
    for (const o of succeeded) {
      expect(state.records).toContain(o.savedId);
      expect(state.contents).toContain(o.savedId);
      expect(state.indexIds).toContain(o.savedId);
      expect(state.events.get(o.savedId)).toBe(1);
    }
    expectConsistent(state);

    const report = await pane().reconcile();
    expect(report).toEqual({ repaired: 0, removedOrphans: 0, indexRebuilt: false });
  }, 900_000);
});
