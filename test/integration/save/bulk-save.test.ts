// A bulk save's Graph requests, counted from the fake's request log: every message still has its
// own admission (a ledger read), its reads, its content and its record (the commit point); the
// `email_saved` events of several saves go together in one move of the activity head.
// And what sharing that write must keep: an event only once its record is stored, each save
// reported only once its event landed, exactly one event per save, and withdrawal from another
// window still stopping the batch.
import { beforeAll, describe, expect, it } from "vitest";
import type { LoggedRequest, OfficeItemView } from "../../../dev/graph-fake/types.js";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import type { ActivityLogPort } from "../../../src/core/ports/activity-log.js";
import { bulkSave, type BulkSaveItemResult } from "../../../src/services/save/bulk-save.js";
import { EVENTS_PER_WRITE } from "../../../src/services/save/saved-events.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";
import { noWaitRetries } from "../../support/no-wait-retries.js";
import { expectConsistent, storedState } from "./save-fixtures.js";

const t = useTestFake();
let smallViews: OfficeItemView[];
let driveId: string;

beforeAll(async () => {
  smallViews = t.fake.mailbox().filter((v) => v.size < 4 * 1024 * 1024);
  if (smallViews.length < 14) throw new Error("these tests need 14 small sample messages");
  driveId = ((await (await t.fetch("/me/drive")).json()) as { id: string }).id;
});

const pane = () => createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl, ...noWaitRetries(1) });

/**
 * A pane with consent that has saved before, so its first read of the index is behind it: one
 * message (details only, another project) of each month of `months`, whose shards then exist.
 */
async function warmPane(months: readonly OfficeItemView[] = [smallViews[13]!]) {
  const p = pane();
  await p.consent.grant(["email_metadata", "email_content"]);
  const seen = new Set<string>();
  for (const view of months) {
    const month = view.receivedDateTime.slice(0, 7);
    if (seen.has(month)) continue;
    seen.add(month);
    await p.save({ restId: view.restId, projectId: "warm-up", includeContent: false });
  }
  return p;
}

/** What a request the pane sent is, for a bulk save. */
function kindOf(r: LoggedRequest): string {
  const path = decodeURIComponent(r.path);
  if (r.method === "GET" && /approot:\/consent:\/children$/.test(path)) return "ledger read";
  if (r.method === "GET" && /\/me\/messages\/[^/]+\/\$value$/.test(path)) return "MIME read";
  if (r.method === "GET" && /\/me\/messages\/[^/]+$/.test(path)) return "metadata read";
  if (r.method === "PUT" && /approot:\/emails\/[^/]+\.eml:\/content$/.test(path)) return "content";
  if (r.method === "PUT" && /approot:\/records\/[^/]+\.json:\/content$/.test(path)) return "record";
  if (r.method === "PUT" && /approot:\/activity\/head\.json:\/content$/.test(path)) return "event";
  return `${r.method} ${path}`;
}

function countByKind(log: readonly LoggedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of log) counts.set(kindOf(r), (counts.get(kindOf(r)) ?? 0) + 1);
  return counts;
}

/** The saved ids in the record shards as the fake holds them now (no request). */
async function storedRecordIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const c of await t.fake.storedContents(driveId)) {
    if (c.where !== "file" || !/^records\/\d{4}-\d{2}\.[^/]+\.json$/.test(c.path)) continue;
    const shard = JSON.parse(c.content.toString("utf8")) as { records?: { savedId: string }[] };
    for (const record of shard.records ?? []) ids.add(record.savedId);
  }
  return ids;
}

/**
 * The pane's activity log, watched: each `email_saved` event handed to it is checked against the
 * records stored at that moment, and its save is marked once the log says it landed.
 */
function watched(inner: ActivityLogPort) {
  const landed = new Set<string>();
  const withoutRecord: string[] = [];
  const held: ActivityEvent[] = [];
  const savedIds = (events: readonly ActivityEvent[]) =>
    events.filter((e) => e.kind === "email_saved").map((e) => e.refs.savedId ?? "");
  const checkRecords = async (events: readonly ActivityEvent[]) => {
    const stored = await storedRecordIds();
    for (const id of savedIds(events)) if (!stored.has(id)) withoutRecord.push(id);
  };
  const log: ActivityLogPort = {
    ...inner,
    async append(event) {
      await checkRecords([event]);
      await inner.append(event);
      for (const id of savedIds([event])) landed.add(id);
    },
    async appendIdempotent(event) {
      await checkRecords([event]);
      const outcome = await inner.appendIdempotent(event);
      for (const id of savedIds([event])) landed.add(id);
      return outcome;
    },
    async hold(events) {
      await checkRecords(events);
      await inner.hold(events);
      held.push(...events);
    },
    async flush(signal) {
      // What was held before this flush was asked for is sent by it (or was sent earlier).
      const before = [...held];
      await inner.flush(signal);
      for (const id of savedIds(before)) landed.add(id);
    },
  };
  return { log, landed, withoutRecord };
}

describe("bulk save", () => {
  it("writes the events of several saves in one move of the head; all else once per message", async () => {
    const twelve = smallViews.slice(0, 12);
    const p = await warmPane(twelve);
    const items = twelve.map((v) => ({ restId: v.restId }));
    t.fake.clearRequests();
    const results = await p.bulkSave(items, "tower-b", true);
    const saved = results.filter((r) => r.status === "saved").length;
    expect(saved).toBe(items.length);

    const log = t.fake.requests().filter((r) => !r.batch);
    const counts = countByKind(log);
    const perMessage = [...counts].map(([kind, n]) => `${kind} ${(n / saved).toFixed(2)}`);
    console.info(
      `bulk save of ${saved}: ${log.length} requests, ${(log.length / saved).toFixed(2)} per ` +
        `message (${perMessage.join(", ")})`,
    );
    // Each message: admitted by a ledger read of its own, then read, stored and committed.
    for (const kind of ["ledger read", "metadata read", "MIME read", "content", "record"]) {
      expect([kind, counts.get(kind)]).toEqual([kind, saved]);
    }
    // The events: one move of the head for every EVENTS_PER_WRITE saves at most, not one each
    // (a move may carry more when the next group's first events are kept before it starts).
    expect(counts.get("event")).toBeLessThan(saved);
    expect(counts.get("event")).toBeLessThanOrEqual(Math.ceil(saved / EVENTS_PER_WRITE));
    // Nothing else.
    expect(log.length).toBe(5 * saved + (counts.get("event") ?? 0));
    expectConsistent(await storedState(pane()));
  });

  it("logs an event only once its record is stored, and reports a save only once its event landed", async () => {
    const p = await warmPane();
    const watch = watched(p.saveDeps.activity);
    const items = smallViews.slice(0, 10).map((v) => ({ restId: v.restId }));
    // One message twice: the second finds it saved already.
    items.push({ restId: smallViews[0]!.restId });
    const reportedEarly: string[] = [];
    const results = await bulkSave({ ...p.saveDeps, activity: watch.log }, items, "tower-b", true, {
      onResult: (r) => {
        if (r.status === "saved" && !watch.landed.has(r.savedId)) reportedEarly.push(r.savedId);
      },
    });
    expect(results.filter((r) => r.status === "saved")).toHaveLength(10);
    expect(results.filter((r) => r.status === "already_saved")).toHaveLength(1);
    expect(watch.withoutRecord).toEqual([]);
    expect(reportedEarly).toEqual([]);
    // Exactly one event per stored record, none for anything else.
    expectConsistent(await storedState(pane()));
  });

  it("with the activity head unreachable: every committed save is saved, its event owed and sent later", async () => {
    const p = await warmPane();
    const items = smallViews.slice(0, 6).map((v) => ({ restId: v.restId }));
    t.fake.setFaults({
      queue: [{ status: "drop", match: "^PUT .*activity/head\\.json:", times: 1000 }],
    });
    const results = await p.bulkSave(items, "tower-b", false);
    t.fake.setFaults({});
    // Committed, so listed: each says its event waits on the device, none says "not saved".
    expect(results.map((r) => r.status === "saved" && r.eventPending)).toEqual(
      items.map(() => true),
    );
    expect(await p.activity.pending()).toBe(items.length);
    await p.activity.flush();
    const state = await storedState(pane());
    expectConsistent(state);
    for (const r of results) if (r.status === "saved") expect(state.events.get(r.savedId)).toBe(1);
  });

  it("a withdrawal in another window mid-batch: what committed has its one event, the rest stops", async () => {
    const a = pane();
    await a.consent.grant(["email_metadata", "email_content"]);
    const b = await warmPane();
    const items = smallViews.slice(0, 12).map((v) => ({ restId: v.restId }));
    let withdrawal: Promise<unknown> | null = null;
    const seen: BulkSaveItemResult[] = [];
    const results = await b.bulkSave(items, "tower-b", true, {
      onResult: (r) => {
        seen.push(r);
        // A withdraws once B's first group of saves is reported.
        if (seen.length === 1) withdrawal = a.consent.withdraw();
      },
    });
    await withdrawal;
    const saved = results.filter((r) => r.status === "saved");
    const failed = results.filter((r) => r.status === "failed");
    expect(saved.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect(r.status === "failed" && r.error.code).toBe("consent_required");
    const state = await storedState(pane());
    // Stored: the warm-up save and every save reported saved, nothing else, each with one event.
    const savedIds = saved.flatMap((r) => (r.status === "saved" ? [r.savedId] : []));
    expect(state.records.filter((id) => !savedIds.includes(id))).toHaveLength(1);
    expect(savedIds.filter((id) => !state.records.includes(id))).toEqual([]);
    expect([...state.events.keys()].sort()).toEqual(state.records);
    expect([...state.events.values()].every((n) => n === 1)).toBe(true);
  });
});
