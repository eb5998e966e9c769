import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import { activityEventFile } from "../../../src/services/activity-log.js";
import {
  startTestFake,
  trustCertificateGlobally,
  type TestFake,
} from "../../support/graph-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";

let t: TestFake;

beforeAll(async () => {
  t = await startTestFake();
  trustCertificateGlobally(t.ca);
});
afterAll(async () => {
  await t.stop();
});
beforeEach(async () => {
  await t.fake.reset();
});

const pane = () => createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl });

let clock = 0;
function event(id: string, extra: Partial<ActivityEvent> = {}): ActivityEvent {
  const at = new Date(Date.UTC(2026, 0, 1, 10, 0, 0, clock++)).toISOString();
  return {
    id,
    at,
    kind: "email_saved",
    outcome: "success",
    refs: { savedId: `s-${id}` },
    ...extra,
  };
}

describe("the hash-chained activity log against the Graph fake", () => {
  it("appends two windows' runs of 45 at once, one PUT per event, and verifies", async () => {
    const windowA = pane();
    const windowB = pane();
    const run = (prefix: string) => Array.from({ length: 45 }, (_, i) => event(`${prefix}-${i}`));
    t.fake.clearRequests();
    const [a, b] = await Promise.all([
      windowA.activity.appendMany(run("ra")),
      windowB.activity.appendMany(run("rb"), { idempotent: true }),
    ]);
    expect([...a, ...b].every((r) => r.outcome === "appended")).toBe(true);
    const outer = t.fake.requests().filter((r) => !r.batch);
    // File content never goes inside $batch: 90 events, 90 PUTs.
    expect(outer).toHaveLength(90);
    expect(outer.every((r) => r.method === "PUT" && r.path.includes("/activity/"))).toBe(true);

    const reader = pane();
    const listed = await reader.activity.list();
    expect(listed).toHaveLength(90);
    const byId = new Map(listed.map((e) => [e.id, e]));
    for (const prefix of ["ra", "rb"]) {
      expect(byId.get(`${prefix}-0`)?.prevHash).toBeNull();
      for (let i = 1; i < 45; i++) {
        expect(byId.get(`${prefix}-${i}`)?.prevHash).toBe(byId.get(`${prefix}-${i - 1}`)?.hash);
      }
    }
    expect(await reader.activity.verify()).toEqual({ ok: true, problems: [] });
    // A re-run of window B's run logs nothing twice; window A's next event chains onto its run.
    const again = await windowB.activity.appendMany(run("rb"), { idempotent: true });
    expect(again.every((r) => r.outcome === "already_logged")).toBe(true);
    await windowA.activity.append(event("after-ra"));
    expect((await reader.activity.list()).find((e) => e.id === "after-ra")?.prevHash).toBe(
      byId.get("ra-44")?.hash,
    );
    expect(await reader.activity.verify()).toEqual({ ok: true, problems: [] });
  });

  it("keeps all 50 events of two windows appending 25 each at once, and verifies", async () => {
    const windowA = pane();
    const windowB = pane();
    const burst = (p: ReturnType<typeof pane>, prefix: string) =>
      Promise.all(Array.from({ length: 25 }, (_, i) => p.activity.append(event(`${prefix}-${i}`))));
    await Promise.all([burst(windowA, "a"), burst(windowB, "b")]);

    const listed = await pane().activity.list();
    expect(listed).toHaveLength(50);
    expect(new Set(listed.map((e) => e.id)).size).toBe(50);
    const times = listed.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(await windowA.activity.verify()).toEqual({ ok: true, problems: [] });
  });

  it("chains a window's appends onto what the other window wrote once it has listed", async () => {
    const windowA = pane();
    const windowB = pane();
    await windowA.activity.append(event("from-a"));
    await windowB.activity.list();
    await windowB.activity.append(event("from-b"));
    const [fromB, fromA] = await windowA.activity.list();
    expect(fromB?.id).toBe("from-b");
    expect(fromB?.prevHash).toBe(fromA?.hash);
  });

  it("reports an event file rewritten through storage as edited", async () => {
    const p = pane();
    for (const id of ["e1", "e2", "e3"]) await p.activity.append(event(id));
    expect((await p.activity.verify()).ok).toBe(true);

    const path = activityEventFile("e2");
    const { value } = await p.storage.readJson<ActivityEvent>(path);
    await p.storage.writeJson(path, { ...value, outcome: "failure" }, { conflict: "replace" });

    // Both the window that wrote it (and cached it) and a fresh one see the change.
    for (const reader of [p, pane()]) {
      expect(await reader.activity.verify()).toEqual({
        ok: false,
        problems: [{ kind: "edited", eventId: "e2" }],
      });
    }
  });

  it("reports a deleted event as missing, through the event that followed it", async () => {
    const p = pane();
    for (const id of ["e1", "e2", "e3"]) await p.activity.append(event(id));
    await p.storage.remove(activityEventFile("e2"));

    expect((await p.activity.list()).map((e) => e.id)).toEqual(["e3", "e1"]);
    expect(await pane().activity.verify()).toEqual({
      ok: false,
      problems: [{ kind: "missing", eventId: "e3" }],
    });
  });

  it("writes an idempotent event once, even from two windows", async () => {
    const windowA = pane();
    const windowB = pane();
    const saved = event("saved-0123456789abcdef");
    expect(await windowA.activity.appendIdempotent(saved)).toBe("appended");
    expect(await windowA.activity.appendIdempotent(saved)).toBe("already_logged");
    expect(await windowB.activity.appendIdempotent({ ...saved, at: event("x").at })).toBe(
      "already_logged",
    );

    const listed = await windowB.activity.list();
    expect(listed.map((e) => e.id)).toEqual(["saved-0123456789abcdef"]);
    expect(listed[0]?.at).toBe(saved.at);
    expect(await windowB.storage.list("activity")).toHaveLength(1);
    expect((await windowB.activity.verify()).ok).toBe(true);
  });

  it("appends with a single request", async () => {
    const p = pane();
    await p.activity.append(event("warm-up"));
    t.fake.clearRequests();
    await p.activity.append(event("measured"));
    const requests = t.fake.requests();
    expect(requests.map((r) => r.method)).toEqual(["PUT"]);
  });
});
