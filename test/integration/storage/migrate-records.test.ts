// Emails saved by earlier versions (one `emails/{id}.json` per email and `index/emails.json`),
// written exactly as those versions wrote them: still listed, deleted and found before the move,
// then moved into the record shards by reconcile, losing nothing, and the old files gone after.
import { describe, expect, it } from "vitest";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import { createEmailIndex } from "../../../src/services/storage/email-index.js";
import { migrateLegacyRecords } from "../../../src/services/storage/migrate-records.js";
import { reconcile } from "../../../src/services/save/reconcile.js";
import { seededRecord, seedLegacyStoredEmails } from "../../support/rights-stack.js";
import { useStorageHarness } from "./storage-harness.js";

const h = useStorageHarness();

const records = (count: number) =>
  Array.from({ length: count }, (_, n) =>
    seededRecord(n, new Date(Date.UTC(2026, n % 5, 1 + (n % 27), 8)).toISOString(), {
      content: n % 3 === 0,
    }),
  );

describe("moving the records of earlier versions into shards", () => {
  it("lists and finds old emails before the move, then moves every one of them", async () => {
    const storage = h.storage();
    const old = records(300);
    await seedLegacyStoredEmails(storage, old);
    const before = createEmailIndex(storage);
    expect(await before.entries()).toHaveLength(300);
    const one = old[17]!;
    expect(
      (await before.find(one.message.receivedDateTime, [one.savedId])).map((r) => r.savedId),
    ).toEqual([one.savedId]);

    const report = await reconcile({
      storage,
      activity: createStorageActivityLog(storage),
      index: createEmailIndex(storage),
      graceMs: 0,
    });
    expect(report.migrated).toBe(300);
    const names = (await storage.list("emails")).map((f) => f.name);
    expect(names.filter((n) => n.endsWith(".json"))).toEqual([]);
    expect(names.filter((n) => n.endsWith(".eml"))).toHaveLength(100);
    expect(await storage.list("index")).toEqual([]);
    const after = createEmailIndex(storage);
    const entries = await after.entries();
    expect(entries.map((e) => e.savedId).sort()).toEqual(old.map((r) => r.savedId).sort());
    expect((await after.records()).find((r) => r.savedId === one.savedId)).toEqual(one);
  });

  it("is resumable and idempotent: a second run finds nothing left and changes nothing", async () => {
    const storage = h.storage();
    const old = records(120);
    await seedLegacyStoredEmails(storage, old);
    const index = createEmailIndex(storage);
    // A first run that stopped after moving some records into shards, before deleting old files.
    await index.importRecords(old.slice(0, 50));
    const first = await migrateLegacyRecords(storage, createEmailIndex(storage));
    expect(first).toMatchObject({ moved: 120, done: true });
    const second = await migrateLegacyRecords(storage, createEmailIndex(storage));
    expect(second).toMatchObject({ moved: 0, done: true });
    expect(await createEmailIndex(storage).entries()).toHaveLength(120);
  });

  it("never brings back an old email deleted while it was being moved", async () => {
    const storage = h.storage();
    const old = records(10);
    await seedLegacyStoredEmails(storage, old);
    const gone = old[3]!;
    const index = createEmailIndex(storage);
    // The delete lands on the old files after the move read them, before it deleted them.
    const original = storage.removeMany.bind(storage);
    let deleted = false;
    storage.removeMany = async (paths, options) => {
      if (!deleted && paths.some((p) => p.startsWith("emails/"))) {
        deleted = true;
        await original([`emails/${gone.savedId}.json`]);
      }
      return original(paths, options);
    };
    await migrateLegacyRecords(storage, index);
    storage.removeMany = original;
    const ids = (await createEmailIndex(storage).entries()).map((e) => e.savedId);
    expect(ids).toHaveLength(9);
    expect(ids).not.toContain(gone.savedId);
  });
});
