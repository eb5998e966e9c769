// The activity log against the Graph fake: one chain per user across panes and sessions, the
// attacks the integrity check must see, every event landing through faults, and every save act
// logged.
import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import { hashEvent } from "../../../src/core/activity/chain.js";
import {
  activityEventFile,
  createMemoryOutbox,
} from "../../../src/services/storage/activity-log.js";
import { ACTIVITY_HEAD_PATH, ACTIVITY_SHARDS_DIR } from "../../../src/services/storage/layout.js";
import { deleteStored } from "../../../src/services/rights/remove.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack, type PaneStackOptions } from "../../support/pane-stack.js";

const t = useTestFake();

const pane = (options: Partial<PaneStackOptions> = {}) =>
  createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, ...options });

let clock = 0;
function event(id: string, extra: Partial<ActivityEvent> = {}): ActivityEvent {
  const at = new Date(Date.UTC(2026, 0, 1, 10, 0, 0, clock++)).toISOString();
  return { id, at, kind: "data_exported", outcome: "success", refs: {}, ...extra };
}

/** Writes a run of events from one pane (one "session"). */
async function session(p: ReturnType<typeof pane>, ids: string[]) {
  for (const id of ids) await p.activity.append(event(id));
}

const HEAD_PUT = "^PUT /v1\\.0/me/drive/special/approot:/activity/head\\.json:/content";
/** A head that holds about four of these events, so a few sessions fill several shards. */
const SMALL_SHARD = 1200;

interface Shard {
  events: ActivityEvent[];
}
const shardFiles = async (p: ReturnType<typeof pane>) =>
  (await p.storage.list(ACTIVITY_SHARDS_DIR)).map((f) => `${ACTIVITY_SHARDS_DIR}/${f.name}`).sort();

describe("one chain per user, against the Graph fake", () => {
  it("keeps two windows appending 12 events each at once in one valid chain", async () => {
    const windowA = pane();
    const windowB = pane();
    await session(windowA, ["opening"]);
    const burst = (p: ReturnType<typeof pane>, prefix: string) =>
      Promise.all(Array.from({ length: 12 }, (_, i) => p.activity.append(event(`${prefix}-${i}`))));
    await Promise.all([burst(windowA, "a"), burst(windowB, "b")]);

    const reader = pane();
    const listed = await reader.activity.list();
    expect(listed).toHaveLength(25);
    expect(new Set(listed.map((e) => e.id)).size).toBe(25);
    expect(listed.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    expect(await reader.activity.verify()).toMatchObject({ ok: true, chained: 25, headSeq: 25 });
  });

  it("keeps two windows and the tenant job in one chain while the head is archived in shards", async () => {
    const writers = ["window-a", "window-b", "tenant"].map(() =>
      pane({ activityShardBytes: SMALL_SHARD }),
    );
    await session(writers[0]!, ["opening"]);
    await Promise.all(
      writers.map((p, w) =>
        Promise.all(Array.from({ length: 8 }, (_, i) => p.activity.append(event(`w${w}-${i}`)))),
      ),
    );
    const reader = pane();
    const listed = await reader.activity.list();
    expect(listed).toHaveLength(25);
    expect(listed.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    expect((await shardFiles(reader)).length).toBeGreaterThanOrEqual(3);
    expect(await reader.activity.verify()).toMatchObject({ ok: true, chained: 25, headSeq: 25 });
  });

  it("continues yesterday's chain: a new pane reads the head first, then writes it once", async () => {
    await session(pane(), ["yesterday-1", "yesterday-2"]);
    const today = pane();
    t.fake.clearRequests();
    await today.activity.append(event("today"));
    const requests = t.fake.requests().filter((r) => !r.batch);
    const named = requests.map((r) => {
      const path = decodeURIComponent(r.path);
      return `${r.method} ${path.includes("approot:") ? path.split("approot:")[1] : "(download)"}`;
    });
    expect(named).toEqual([
      // The head: its item, then its content through the download URL (a few hundred bytes).
      `GET /${ACTIVITY_HEAD_PATH}`,
      "GET (download)",
      // One write: the head, holding the new event with the others of its shard.
      `PUT /${ACTIVITY_HEAD_PATH}:/content`,
    ]);
    const listed = await today.activity.list();
    expect(listed[0]).toMatchObject({ id: "today", seq: 3, prevHash: listed[1]?.hash });
  });
});

describe("a run bigger than a head (a purge)", () => {
  const run = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => event(`${prefix}-${i}`, { kind: "email_purged" }));
  const activityPuts = () =>
    t.fake
      .requests()
      .filter((r) => !r.batch && r.method === "PUT")
      .map((r) =>
        decodeURIComponent(r.path)
          .split("approot:/")[1]
          ?.replace(/:\/content$/, ""),
      );

  it("is written as the head, one archive shard and the head again", async () => {
    const window = pane({ activityShardBytes: SMALL_SHARD });
    await session(window, ["opening"]);
    t.fake.clearRequests();
    const purged = run("purged", 40);
    const results = await window.activity.appendMany(purged, { idempotent: true });
    expect(results.every((r) => r.outcome === "appended")).toBe(true);
    const [shard, ...more] = await shardFiles(window);
    expect(more).toEqual([]);
    expect(activityPuts()).toEqual([ACTIVITY_HEAD_PATH, shard, ACTIVITY_HEAD_PATH]);
    const { value } = await window.storage.readJson<Shard>(shard!);
    expect(value.events.map((e) => e.id)).toEqual(["opening", ...purged.map((e) => e.id)]);

    // A new pane finds every id in that shard and logs none of them again.
    const later = pane({ activityShardBytes: SMALL_SHARD });
    const again = await later.activity.appendMany(purged, { idempotent: true });
    expect(again.every((r) => r.outcome === "already_logged")).toBe(true);
    expect(await later.activity.verify()).toMatchObject({ ok: true, chained: 41, headSeq: 41 });
  });

  it("keeps one chain while two windows append beside it", async () => {
    const [job, windowA, windowB] = ["job", "a", "b"].map(() =>
      pane({ activityShardBytes: SMALL_SHARD }),
    );
    await session(windowA!, ["opening"]);
    const purged = run("purged", 40);
    await Promise.all([
      job!.activity.appendMany(purged, { idempotent: true }),
      session(windowA!, ["a-0", "a-1", "a-2", "a-3"]),
      session(windowB!, ["b-0", "b-1", "b-2", "b-3"]),
    ]);
    const reader = pane();
    const listed = await reader.activity.list();
    expect(listed).toHaveLength(49);
    expect(new Set(listed.map((e) => e.id)).size).toBe(49);
    expect(listed.map((e) => e.seq)).toEqual(Array.from({ length: 49 }, (_, i) => 49 - i));
    expect(await reader.activity.verify()).toMatchObject({ ok: true, chained: 49, headSeq: 49 });
  });
});

describe("the integrity check sees what another app or a partial delete did", () => {
  /** Three pane sessions, whose events fill several archive shards and the head. */
  async function threeSessions() {
    const sharded = () => pane({ activityShardBytes: SMALL_SHARD });
    await session(sharded(), ["mon-1", "mon-2", "mon-3", "mon-4"]);
    await session(sharded(), ["tue-1", "tue-2", "tue-3", "tue-4", "tue-5"]);
    await session(sharded(), ["wed-1", "wed-2", "wed-3"]);
    const p = pane();
    expect(await p.activity.verify()).toMatchObject({ ok: true, chained: 12 });
    expect((await shardFiles(p)).length).toBeGreaterThanOrEqual(2);
    return p;
  }
  const readShard = async (p: ReturnType<typeof pane>, path: string) =>
    (await p.storage.readJson<Shard>(path)).value;

  it("detects a whole shard of events deleted", async () => {
    const p = await threeSessions();
    const [first, second] = await shardFiles(p);
    const dropped = await readShard(p, first!);
    const after = (await readShard(p, second!)).events[0]!;
    await p.storage.remove(first!);
    const verdict = await pane().activity.verify();
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      { kind: "gap", eventId: after.id, seq: dropped.events[dropped.events.length - 1]!.seq },
    ]);
  });

  it("detects the newest events cut off", async () => {
    const p = await threeSessions();
    const { value } = await p.storage.readJson<{ seq: number; events: ActivityEvent[] }>(
      ACTIVITY_HEAD_PATH,
    );
    // The head keeps its newest event; the ones before it in the head are cut.
    await p.storage.writeJson(
      ACTIVITY_HEAD_PATH,
      { ...value, events: value.events.slice(-1) },
      { conflict: "replace" },
    );
    expect(value.events.length).toBeGreaterThan(1);
    expect((await pane().activity.verify()).problems).toEqual([
      { kind: "gap", eventId: value.events[value.events.length - 1]!.id, seq: value.seq - 1 },
    ]);
    // All of the head's events cut: the tail itself is reported.
    await p.storage.writeJson(
      ACTIVITY_HEAD_PATH,
      { ...value, events: [] },
      { conflict: "replace" },
    );
    expect((await pane().activity.verify()).problems).toEqual([
      { kind: "tail_cut", eventId: "head", seq: value.seq },
    ]);
  });

  it("detects a forged stand-alone event or shard, however well it is sealed", async () => {
    const p = await threeSessions();
    const [, , prior] = await p.activity.list();
    const forged: ActivityEvent = {
      ...event("forged", { kind: "consent_granted" }),
      seq: (prior?.seq ?? 0) + 1,
      prevHash: prior?.hash ?? null,
    };
    const sealed = { ...forged, hash: await hashEvent(forged) };
    // As a file of its own, the layout of earlier versions.
    await p.storage.writeJson(activityEventFile("forged"), sealed);
    expect((await pane().activity.verify()).problems).toEqual([
      { kind: "outside_chain", eventId: "forged", seq: forged.seq },
    ]);
    await p.storage.remove(activityEventFile("forged"));
    // As a shard.
    await p.storage.writeJson(`${ACTIVITY_SHARDS_DIR}/9999999999-0000000000000000.json`, {
      format: "sept-activity-shard/1",
      events: [sealed],
      prior: null,
      legacySeq: 0,
    });
    expect((await pane().activity.verify()).problems).toEqual([
      { kind: "outside_chain", eventId: "forged", seq: forged.seq },
    ]);
  });

  it("detects an edited event in a shard, and a removed head", async () => {
    const p = await threeSessions();
    const [path] = await shardFiles(p);
    const { value } = await p.storage.readJson<Shard & Record<string, unknown>>(path!);
    const [target, ...rest] = value.events;
    await p.storage.writeJson(
      path!,
      { ...value, events: [{ ...target, outcome: "failure" }, ...rest] },
      { conflict: "replace" },
    );
    // The pane that cached it and a fresh one both see it.
    for (const reader of [p, pane()]) {
      expect((await reader.activity.verify()).problems).toContainEqual({
        kind: "edited",
        eventId: target!.id,
        seq: target!.seq,
      });
    }
    await p.storage.remove(ACTIVITY_HEAD_PATH);
    expect((await pane().activity.verify()).problems).toContainEqual({
      kind: "head_missing",
      eventId: "head",
    });
  });

  it("detects a consent record changed after its event was logged", async () => {
    const p = pane();
    await p.consent.grant(["email_metadata"]);
    expect(await p.activity.verify()).toMatchObject({ ok: true, consentCovered: 1 });
    const [file] = await p.storage.list("consent");
    const path = `consent/${file!.name}`;
    const { value } = await p.storage.readJson<Record<string, unknown>>(path);
    await p.storage.writeJson(
      path,
      { ...value, purposes: ["email_metadata", "email_content"] },
      { conflict: "replace" },
    );
    const verdict = await pane().activity.verify();
    expect(verdict.problems).toEqual([
      { kind: "consent_edited", eventId: (value as { id: string }).id },
    ]);
  });
});

describe("every event lands", () => {
  for (const [name, status] of [
    ["a 503", 503],
    ["a full mailbox (507)", 507],
    ["a dropped connection", "drop"],
  ] as const) {
    it(`keeps an event refused by ${name} and sends it first at the next start`, async () => {
      const outbox = createMemoryOutbox();
      const options = { activityOutbox: outbox, graphRetry: { maxRetries: 0, delaySeconds: 0 } };
      const first = pane(options);
      await first.activity.append(event("before"));
      t.fake.setFaults({ queue: [{ status, match: HEAD_PUT, times: 4 }] });
      await expect(first.activity.append(event("withdrawal-logged"))).rejects.toBeDefined();
      expect(outbox.entries.map((e) => e.event.id)).toEqual(["withdrawal-logged"]);
      t.fake.setFaults({});

      // The pane is closed; a new one over the same device storage sends it at start.
      const restarted = pane(options);
      await restarted.activity.flush();
      expect(outbox.entries).toEqual([]);
      await restarted.activity.append(event("after"));
      const listed = await pane().activity.list();
      expect(listed.map((e) => e.id)).toEqual(["after", "withdrawal-logged", "before"]);
      expect((await pane().activity.verify()).ok).toBe(true);
    });
  }
});

describe("every save act is logged", () => {
  it("logs save, delete and a save again of the same message as three events", async () => {
    const p = pane();
    await p.consent.grant(["email_metadata", "email_content"]);
    const message = t.fake.mailbox().find((m) => m.protection === "none");
    if (!message) throw new Error("the sample mailbox has no plain message");
    const request = { restId: message.restId, projectId: "tower-b", includeContent: true };
    const first = await p.save(request);
    expect(first.status).toBe("saved");
    const removed = await deleteStored(p, [first.savedId]);
    expect(removed.removed).toEqual([first.savedId]);
    const again = await p.save(request);
    expect(again).toMatchObject({ status: "saved", savedId: first.savedId });
    // A reconcile of the second save (a pane starting meanwhile) logs nothing more.
    await pane().reconcile();

    const events = await pane().activity.list();
    const kinds = events.filter((e) => e.refs.savedId === first.savedId).map((e) => e.kind);
    expect(kinds).toEqual(["email_saved", "email_deleted", "email_saved"]);
    expect((await pane().activity.verify()).ok).toBe(true);
  });
});
