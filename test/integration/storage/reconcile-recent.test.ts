// The pane's reconcile at start-up ("recent" scope) against the Graph fake: it reads only the
// record shards changed within the window a crash can have left something in, finds what such a
// crash left, and leaves older leftovers to a full run (the tenant job's), which finds them.
import { describe, expect, it } from "vitest";
import type { StoragePort, StoredFile } from "../../../src/core/ports/storage.js";
import { reconcile } from "../../../src/services/save/reconcile.js";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import { createEmailIndex } from "../../../src/services/storage/email-index.js";
import { CATALOGUE_PATH, contentPath, RECORDS_DIR } from "../../../src/services/storage/layout.js";
import { seededRecord } from "../../support/rights-stack.js";
import { useStorageHarness } from "./storage-harness.js";

const h = useStorageHarness();
const DAY = 86_400_000;

/**
 * Storage whose listings show every file written before `mark` as 60 days older (the fake has
 * no clock to turn back), and which counts shard reads.
 */
function agedBefore(storage: StoragePort, mark: number) {
  const reads: string[] = [];
  const age = (f: StoredFile): StoredFile =>
    Date.parse(f.lastModified) < mark
      ? { ...f, lastModified: new Date(Date.parse(f.lastModified) - 60 * DAY).toISOString() }
      : f;
  const aged: StoragePort = {
    ...storage,
    async list(folder, signal) {
      return (await storage.list(folder, signal)).map(age);
    },
    async readJson(path, signal) {
      if (path.startsWith(`${RECORDS_DIR}/`) && path !== CATALOGUE_PATH) reads.push(path);
      return storage.readJson(path, signal);
    },
  };
  return { aged, reads };
}

const record = (n: number, month: number) =>
  seededRecord(n, new Date(Date.UTC(2026, month, 1 + (n % 27), 8)).toISOString(), {
    content: true,
  });

describe("reconcile at start-up (recent scope)", () => {
  it("reads only the shards changed lately, and finds what a recent crash left", async () => {
    const storage = h.storage();
    // Long ago: 400 emails over five months (many shards), and content a crash left then.
    const old = Array.from({ length: 400 }, (_, n) => record(n, n % 5));
    await createEmailIndex(storage).importRecords(old);
    await storage.write(contentPath(record(9000, 1).savedId), new TextEncoder().encode("old"));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const mark = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // Lately: one save whose event a crash cut off, and content without a record.
    const recent = record(500, 10);
    await createEmailIndex(storage).commit(recent);
    await storage.write(contentPath(recent.savedId), new TextEncoder().encode("kept"));
    await storage.write(contentPath(record(9001, 10).savedId), new TextEncoder().encode("orphan"));

    const { aged, reads } = agedBefore(storage, mark);
    const shardFiles = (await storage.list(RECORDS_DIR)).length - 1;
    const report = await reconcile({
      storage: aged,
      activity: createStorageActivityLog(aged),
      index: createEmailIndex(aged),
      graceMs: 0,
      scope: "recent",
    });
    expect(report).toMatchObject({ repaired: 1, removedOrphans: 1 });
    // One shard read (the recent save's), of the many there are.
    expect(shardFiles).toBeGreaterThan(5);
    expect(reads).toEqual([expect.stringMatching(/^records\/2026-11/)]);
    const names = (await storage.list("emails")).map((f) => f.name);
    expect(names).toContain(`${recent.savedId}.eml`);
    expect(names).not.toContain(`${record(9001, 10).savedId}.eml`);
    // The old leftover waits for a full run, which finds it.
    expect(names).toContain(`${record(9000, 1).savedId}.eml`);
    const full = await reconcile({
      storage,
      activity: createStorageActivityLog(storage),
      index: createEmailIndex(storage),
      graceMs: 0,
    });
    expect(full.removedOrphans).toBe(1);
    expect((await storage.list("emails")).map((f) => f.name)).not.toContain(
      `${record(9000, 1).savedId}.eml`,
    );
  });
});
