// Two Outlook windows at once: pane A saves new emails while pane B deletes some stored ones and
// purges the expired ones (a controlled clock), and then the other way round. No index update is
// lost (the index lists exactly the survivors), no activity event is lost (one `email_saved` per
// save, one `email_deleted` per deletion, one `email_purged` per purge), files match the index,
// and the activity chain verifies (forks from concurrent appends are not problems: verify() reports none).
import { beforeAll, describe, expect, it } from "vitest";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { retentionDays } from "../../../src/core/retention.js";
import { purgeExpired } from "../../../src/services/rights/purge.js";
import { saveEmail } from "../../../src/services/save/save-email.js";
import { deleteStored } from "../../../src/services/rights/remove.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";
import { noWaitRetries } from "../../support/no-wait-retries.js";
import { storedState } from "../save/save-fixtures.js";

const t = useTestFake({ resetEachTest: false });
let views: OfficeItemView[];

beforeAll(() => {
  views = t.fake.mailbox();
});

const DAY = 86_400_000;
type Pane = ReturnType<typeof createPaneStack>;

const pane = () =>
  createPaneStack({
    graphBaseUrl: t.fake.graphBaseUrl,
    ...noWaitRetries(3),
  });

/** Saves (message i, project) with savedAt from `now`, returning the savedIds in order. */
async function saveAll(p: Pane, items: Array<[number, string]>, now?: Date): Promise<string[]> {
  const deps = now ? { ...p.saveDeps, now: () => now } : p.saveDeps;
  const ids: string[] = [];
  for (const [i, projectId] of items) {
    const view = views[i % views.length]!;
    const result = await saveEmail(deps, {
      restId: view.restId,
      projectId,
      includeContent: i % 2 === 0,
    });
    expect(result.status).toBe("saved");
    ids.push(result.savedId);
  }
  return ids;
}

async function eventsByKind(p: Pane) {
  const out = new Map<string, string[]>();
  for (const event of await p.activity.list()) {
    const id = event.refs.savedId;
    if (!id) continue;
    out.set(event.kind, [...(out.get(event.kind) ?? []), id]);
  }
  return out;
}

describe("two panes saving, deleting and purging at once", () => {
  it.each([
    ["fresh index caches", false],
    ["both panes have listed first (warm caches)", true],
  ])("loses no index update and no event: %s", async (_label, warm) => {
    await t.fake.reset();
    const a = pane();
    const b = pane();
    await a.consent.grant(["email_metadata", "email_content"]);
    await b.consent.refresh();
    const now = new Date();
    const old = new Date(now.getTime() - 100 * DAY);
    // Set up: 6 emails saved 100 days ago (expire under 30-day retention), 8 saved now.
    const oldIds = await saveAll(
      a,
      Array.from({ length: 6 }, (_, i) => [i, `old-${i}`] as [number, string]),
      old,
    );
    const currentIds = await saveAll(
      a,
      Array.from({ length: 8 }, (_, i) => [i + 1, `current-${i}`] as [number, string]),
    );
    if (warm) {
      await a.index.entries();
      await b.index.entries();
      await a.activity.list();
      await b.activity.list();
    }
    const toDelete = currentIds.slice(0, 4);
    const bDeps = { storage: b.storage, index: b.index, activity: b.activity };
    const aDeps = { storage: a.storage, index: a.index, activity: a.activity };

    // At once: A saves 8 new emails; B deletes 2 one by one and 2 together; A purges with a clock
    // 1 day on (retention 30 days); B purges too (the second purge must not double-log).
    const [newIds, , , purgeA, purgeB] = await Promise.all([
      saveAll(
        a,
        Array.from({ length: 8 }, (_, i) => [i + 2, `new-${i}`] as [number, string]),
      ),
      (async () => {
        await deleteStored(bDeps, [toDelete[0]!]);
        await deleteStored(bDeps, [toDelete[1]!]);
      })(),
      deleteStored(bDeps, toDelete.slice(2)),
      purgeExpired(
        { ...aDeps, retention: () => retentionDays(30) },
        { now: new Date(now.getTime() + DAY) },
      ),
      purgeExpired(
        { ...bDeps, retention: () => retentionDays(30) },
        { now: new Date(now.getTime() + DAY) },
      ),
    ]);
    expect(purgeA.failed).toEqual([]);
    expect(purgeB.failed).toEqual([]);
    // Between them the two purges removed every old email and nothing else.
    const purged = new Set([...purgeA.purged, ...purgeB.purged]);
    expect([...purged].sort()).toEqual([...oldIds].sort());

    const survivors = [...currentIds.slice(4), ...newIds].sort();
    const observer = pane();
    const state = await storedState(observer);
    // No lost index update: exactly the survivors are listed, and their files are there.
    expect(state.indexIds).toEqual(survivors);
    expect(state.records).toEqual(survivors);
    expect(state.contents.every((id) => survivors.includes(id))).toBe(true);
    // No lost event.
    const events = await eventsByKind(observer);
    const saved = events.get("email_saved") ?? [];
    expect([...saved].sort()).toEqual([...oldIds, ...currentIds, ...newIds].sort());
    expect([...(events.get("email_deleted") ?? [])].sort()).toEqual([...toDelete].sort());
    expect([...(events.get("email_purged") ?? [])].sort()).toEqual([...oldIds].sort());
    // The chain holds (concurrent appends may fork it; nothing is edited or missing).
    const verdict = await observer.activity.verify();
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    // Nothing for reconcile to repair; afterwards the usual invariants hold for the survivors.
    const report = await observer.reconcile();
    expect(report).toEqual({ repaired: 0, removedOrphans: 0, indexRebuilt: false });
    const after = await storedState(observer);
    expect(after.indexIds).toEqual(survivors);
    expect(after.contents.filter((id) => !after.records.includes(id))).toEqual([]);
    expect(after.pending).toEqual([]);
  });

  it("keeps the invariants when both panes save and delete the same emails", async () => {
    await t.fake.reset();
    const a = pane();
    const b = pane();
    await a.consent.grant(["email_metadata", "email_content"]);
    await b.consent.refresh();
    const ids = await saveAll(
      a,
      Array.from({ length: 6 }, (_, i) => [i, "shared"] as [number, string]),
    );
    // Both delete the same two; each also saves the same two new ones.
    const [, , fromA, fromB] = await Promise.all([
      deleteStored({ storage: a.storage, index: a.index, activity: a.activity }, ids.slice(0, 2)),
      deleteStored({ storage: b.storage, index: b.index, activity: b.activity }, ids.slice(0, 2)),
      Promise.all(
        [6, 7].map((i) =>
          a.save({ restId: views[i]!.restId, projectId: "shared", includeContent: true }),
        ),
      ),
      Promise.all(
        [6, 7].map((i) =>
          b.save({ restId: views[i]!.restId, projectId: "shared", includeContent: true }),
        ),
      ),
    ]);
    const added = fromA.map((r) => r.savedId);
    expect(fromB.map((r) => r.savedId)).toEqual(added);
    const state = await storedState(pane());
    const survivors = [...ids.slice(2), ...added].sort();
    expect(state.indexIds).toEqual(survivors);
    expect(state.records).toEqual(survivors);
    const events = await eventsByKind(pane());
    // One deletion event per email however many panes deleted it.
    expect([...(events.get("email_deleted") ?? [])].sort()).toEqual(ids.slice(0, 2).sort());
    expect([...(events.get("email_saved") ?? [])].sort()).toEqual([...ids, ...added].sort());
    const verdict = await pane().activity.verify();
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
  });
});
