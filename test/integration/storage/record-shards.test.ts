// The record shards (`records/`) against the Graph fake: a save's record is one write into its
// month's shard; two panes writing at once, a split racing a save, a crash mid-split and a
// removal lose nothing and leave no removed email in any file or version.
import { describe, expect, it } from "vitest";
import {
  isRemovalLeftover,
  type ReadManyOptions,
  type StoragePort,
} from "../../../src/core/ports/storage.js";
import type { StoredEmailRecord } from "../../../src/core/stored-email.js";
import { createEmailIndex } from "../../../src/services/storage/email-index.js";
import { SHARD_READS_AT_ONCE } from "../../../src/services/storage/email-index-state.js";
import {
  SHARDS_PER_LATER_PAGE,
  SHARDS_PER_PAGE,
} from "../../../src/services/storage/email-index-read.js";
import { CATALOGUE_PATH, RECORDS_DIR } from "../../../src/services/storage/layout.js";
import {
  hashBits,
  parseCatalogue,
  parseShardName,
  SHARD_CAP_BYTES,
  shardPath,
  type ShardFile,
} from "../../../src/services/storage/record-shards.js";
import { seededRecord } from "../../support/rights-stack.js";
import { DOWNLOAD_PATH, useStorageHarness } from "./storage-harness.js";

const h = useStorageHarness();

/** Emails of November 2026, saved a minute apart (n from 0). */
const november = (n: number, extra: Partial<StoredEmailRecord> = {}): StoredEmailRecord => ({
  ...seededRecord(n, new Date(Date.UTC(2026, 10, 3, 9, n)).toISOString(), { content: false }),
  ...extra,
});

/** Requests as sent over HTTP, without the fake's pre-authenticated downloads. */
const sent = () => h.requests().filter((r) => !r.batch && !r.path.startsWith("/_download/"));
const describeRequest = (r: { method: string; path: string }) =>
  `${r.method} ${decodeURIComponent(r.path).replace(/\.[0-9a-z]{10}\.json/, ".{suffix}.json")}`;

async function shardFiles(storage: StoragePort) {
  return (await storage.list(RECORDS_DIR)).flatMap((f) => {
    const name = parseShardName(f.name);
    return name ? [{ ...name, file: f }] : [];
  });
}

/** How many shards a catalogue (as read) names. */
async function shardCount(catalogue: unknown): Promise<number> {
  const months = parseCatalogue(catalogue)?.months ?? {};
  return Object.values(months).reduce((n, m) => n + Object.keys(m.shards).length, 0);
}

/** How many records it takes to go over the cap in one shard. */
function overCap(): number {
  const one = JSON.stringify(november(0)).length;
  return Math.ceil(SHARD_CAP_BYTES / one) + 5;
}

describe("record shards", () => {
  it("commits a save's record into its month's shard in one write once the pane holds it", async () => {
    const storage = h.storage();
    const index = createEmailIndex(storage);
    expect((await index.commit(november(1))).mine).toBe(true);
    h.fake().fake.clearRequests();
    expect((await index.commit(november(2))).mine).toBe(true);
    expect(sent().map(describeRequest)).toEqual([
      "PUT /v1.0/me/drive/special/approot:/records/2026-11.{suffix}.json:/content",
    ]);
    // A second pane sees both, and "already saved" under their month finds each.
    const other = createEmailIndex(storage);
    expect((await other.entries()).map((e) => e.savedId).sort()).toEqual(
      [november(1).savedId, november(2).savedId].sort(),
    );
    const found = await other.find(november(2).message.receivedDateTime, [november(2).savedId]);
    expect(found.map((r) => r.savedId)).toEqual([november(2).savedId]);
  });

  it("keeps one copy when the same record is committed twice, and says whose it is", async () => {
    const storage = h.storage();
    const a = createEmailIndex(storage);
    const b = createEmailIndex(storage);
    await a.entries();
    await b.entries();
    const first = november(3);
    const again = { ...november(3), savedAt: "2026-11-30T00:00:00.000Z" };
    const [one, two] = await Promise.all([a.commit(first), b.commit(again)]);
    expect([one.mine, two.mine].sort()).toEqual([false, true]);
    expect(one.record).toEqual(two.record);
    expect(await createEmailIndex(storage).entries()).toHaveLength(1);
  });

  it("never takes a record found on a save's first attempt for its own, even at the same time", async () => {
    const index = createEmailIndex(h.storage());
    const record = november(5);
    expect((await index.commit(record)).mine).toBe(true);
    // Another save of the same pane, same message, same millisecond and grant: found, not its own.
    expect((await index.commit({ ...record }, undefined, { firstAttempt: true })).mine).toBe(false);
    // A later attempt of a save whose write landed before its answer was lost: its own.
    expect((await index.commit({ ...record }, undefined, { firstAttempt: false })).mine).toBe(true);
  });

  it("loses nothing when two panes save into the same shard at once", async () => {
    const storage = h.storage();
    const a = createEmailIndex(storage);
    const b = createEmailIndex(storage);
    await a.commit(november(0));
    await b.entries();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).commit(november(10 + i))),
    );
    const ids = (await createEmailIndex(storage).entries()).map((e) => e.savedId);
    expect(ids).toHaveLength(13);
    for (let i = 0; i < 12; i++) expect(ids).toContain(november(10 + i).savedId);
  });

  it("writes one pane's saves in flight together into one shard without racing itself", async () => {
    const storage = h.storage();
    const index = createEmailIndex(storage);
    await index.commit(november(0));
    h.fake().fake.clearRequests();
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => index.commit(november(n))));
    expect(results.every((r) => r.mine)).toBe(true);
    // Each write starts from the copy the one before it wrote: no 412, one PUT per save.
    const puts = sent().filter((r) => r.method === "PUT");
    expect(puts.filter((r) => r.status === 412)).toEqual([]);
    expect(puts).toHaveLength(6);
    expect(await createEmailIndex(storage).entries()).toHaveLength(7);
  });

  it("reads a full listing a few shards at a time, so a read the user waits for is not queued behind it", async () => {
    const storage = h.storage();
    const all = Array.from({ length: 3 * overCap() }, (_, n) => november(n));
    await createEmailIndex(storage).importRecords(all);
    const asked: Array<{ paths: number; downloadsAtOnce: number | undefined }> = [];
    const counting: StoragePort = {
      ...storage,
      readJsonMany(paths, options) {
        asked.push({ paths: paths.length, downloadsAtOnce: options?.downloadsAtOnce });
        return storage.readJsonMany(paths, options);
      },
    };
    h.fake().fake.clearRequests();
    const records = await createEmailIndex(counting).records();
    expect(records).toHaveLength(all.length);
    const shards = (await shardFiles(storage)).length;
    expect(shards).toBeGreaterThan(4);
    // Every shard's metadata in one $batch, its downloads SHARD_READS_AT_ONCE at a time.
    expect(asked.reduce((n, a) => n + a.paths, 0)).toBe(shards);
    expect(asked.every((a) => a.downloadsAtOnce === SHARD_READS_AT_ONCE)).toBe(true);
    expect(
      sent().filter((r) => r.path.includes("/records/") && !r.path.endsWith("catalogue.json")),
    ).toEqual([]);
  });

  it("lists a month split into many shards a few shards a page, the first before the rest is read", async () => {
    const storage = h.storage();
    const all = Array.from({ length: 16 * overCap() }, (_, n) => november(n));
    await createEmailIndex(storage).importRecords(all);
    const shards = (await shardFiles(storage)).length;
    expect(shards).toBeGreaterThan(SHARDS_PER_PAGE + SHARDS_PER_LATER_PAGE);
    let downloaded = 0;
    const counting: StoragePort = {
      ...storage,
      async readJsonMany<T>(paths: readonly string[], options?: ReadManyOptions) {
        const read = await storage.readJsonMany<T>(paths, options);
        downloaded += read.filter(
          (r) => r?.path.startsWith(`${RECORDS_DIR}/2026-11`) && !r.unchanged,
        ).length;
        return read;
      },
    };
    const pages = createEmailIndex(counting).pages({ fresh: true });
    const first = await pages.next();
    // The first rows needed only the first page's shards.
    expect(downloaded).toBe(SHARDS_PER_PAGE);
    const listed = first.done ? [] : [...first.value.entries];
    let count = 1;
    for await (const page of pages) {
      expect(page.month).toBe("2026-11");
      const times = page.entries.map((e) => e.savedAt);
      expect(times).toEqual([...times].sort().reverse());
      listed.push(...page.entries);
      count += 1;
    }
    expect(count).toBe(1 + Math.ceil((shards - SHARDS_PER_PAGE) / SHARDS_PER_LATER_PAGE));
    expect(listed.map((e) => e.savedId).sort()).toEqual(all.map((r) => r.savedId).sort());
    expect(downloaded).toBe(shards);
  });

  it("lists again from its copies, downloading only what another pane changed, in one $batch a page", async () => {
    const storage = h.storage();
    const all = Array.from({ length: 3 * overCap() }, (_, n) => november(n));
    await createEmailIndex(storage).importRecords(all);
    const pane = createEmailIndex(storage);
    const listAll = async () => {
      const ids: string[] = [];
      for await (const page of pane.pages({ fresh: true }))
        ids.push(...page.entries.map((e) => e.savedId));
      return ids.sort();
    };
    await listAll();
    // Another pane deletes one email: its shard changes, nothing else does.
    const gone = all[5]!;
    await createEmailIndex(storage).remove([gone]);
    h.fake().fake.clearRequests();

    const ids = await listAll();

    expect(ids).toEqual(
      all
        .map((r) => r.savedId)
        .filter((id) => id !== gone.savedId)
        .sort(),
    );
    const requests = h
      .fake()
      .fake.requests()
      .filter((r) => !r.batch);
    const downloads = requests.filter((r) => DOWNLOAD_PATH.test(r.path));
    // The catalogue (changed by the delete's generation) and the successors of the one shard.
    expect(downloads.length).toBeLessThan((await shardFiles(storage)).length);
    expect(requests.filter((r) => r.path.endsWith("$batch")).length).toBeLessThanOrEqual(2);
  });

  it("splits a full shard by hash bits, and then finds a message with one small read", async () => {
    const storage = h.storage();
    const index = createEmailIndex(storage);
    const count = overCap();
    for (let n = 0; n < count; n++) await index.commit(november(n));
    const files = await shardFiles(storage);
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) {
      expect(f.bits.length).toBeGreaterThan(0);
      expect(f.file.size).toBeLessThanOrEqual(SHARD_CAP_BYTES);
    }
    const fresh = createEmailIndex(storage);
    expect(await fresh.entries()).toHaveLength(count);
    const target = november(7);
    const reader = createEmailIndex(storage);
    h.fake().fake.clearRequests();
    const found = await reader.find(target.message.receivedDateTime, [target.savedId]);
    expect(found.map((r) => r.savedId)).toEqual([target.savedId]);
    const shardReads = sent().filter((r) => /records\/2026-11~/.test(decodeURIComponent(r.path)));
    expect(shardReads).toHaveLength(1);
    const leaf = files.find((f) => hashBits(target.savedId).startsWith(f.bits));
    expect(decodeURIComponent(shardReads[0]?.path ?? "")).toContain(`2026-11~${leaf?.bits}.`);
  });

  it("loses no save that races a split of its shard", async () => {
    const storage = h.storage();
    const splitter = createEmailIndex(storage);
    const saver = createEmailIndex(storage);
    const count = overCap();
    for (let n = 0; n < count - 1; n++) await splitter.commit(november(n));
    // The saver holds the shard as it was before the split.
    await saver.entries();
    await Promise.all([splitter.commit(november(count)), saver.commit(november(500))]);
    const ids = new Set((await createEmailIndex(storage).entries()).map((e) => e.savedId));
    expect(ids.size).toBe(count + 1);
    expect(ids.has(november(500).savedId)).toBe(true);
    expect(ids.has(november(count).savedId)).toBe(true);
  });

  it("finishes a split that a crash cut short after the freeze, and loses nothing", async () => {
    const storage = h.storage();
    const index = createEmailIndex(storage);
    const records = Array.from({ length: 6 }, (_, n) => november(n));
    for (const r of records) await index.commit(r);
    const [file] = await shardFiles(storage);
    if (!file) throw new Error("no shard");
    // The crash: the shard frozen for a split (If-Match on its eTag), nothing after.
    const frozen: ShardFile = {
      schema: 1,
      month: file.month,
      bits: "",
      records,
      successor: { reason: "split", shards: { "0": "aaaaaaaaaa", "1": "bbbbbbbbbb" } },
    };
    await storage.writeJson(shardPath(file.month, "", file.suffix), frozen, {
      ifMatch: file.file.eTag,
    });
    const next = createEmailIndex(storage);
    await next.commit(november(40));
    const names = (await shardFiles(storage)).map((f) => `${f.bits}.${f.suffix}`).sort();
    expect(names.every((n) => n.startsWith("0.aaaa") || n.startsWith("1.bbbb"))).toBe(true);
    const { value } = await storage.readJson<unknown>(CATALOGUE_PATH);
    expect(Object.keys(parseCatalogue(value)?.months["2026-11"]?.shards ?? {}).sort()).toEqual([
      "0",
      "1",
    ]);
    expect(await createEmailIndex(storage).entries()).toHaveLength(7);
  });

  it("removes records with a new shard generation: no file or version keeps them", async () => {
    // Where Microsoft 365 allows permanentDelete (elsewhere the pane says what sits in the bin).
    h.fake().fake.setFaults({ permanentDelete: "allowed" });
    const storage = h.storage();
    const index = createEmailIndex(storage);
    const secret = { ...november(1) };
    secret.message = { ...secret.message, subject: "Quarterly secret plan" };
    await index.commit(secret);
    await index.commit(november(2));
    await index.update(november(2).savedId, (r) => ({ ...r, note: "kept note" }));
    const removed = await index.remove([{ savedId: secret.savedId }]);
    expect(removed).toEqual([secret.savedId]);
    expect((await createEmailIndex(storage).entries()).map((e) => e.savedId)).toEqual([
      november(2).savedId,
    ]);
    const driveId = ((await (await h.fake().fetch("/me/drive")).json()) as { id: string }).id;
    const stored = (await h.fake().fake.storedContents(driveId))
      .map((c) => c.content.toString("utf8"))
      .join("\n");
    expect(stored).not.toContain("Quarterly secret plan");
    expect(stored).toContain("kept note");
    // One live shard file for the month: the old generation is gone for good.
    expect(await shardFiles(storage)).toHaveLength(1);
  });

  it("says in its next catalogue write that no earlier layout is left, so later readers stop looking", async () => {
    const storage = h.storage();
    const seeding = createEmailIndex(storage);
    await seeding.commit(november(1));
    const listsOldIndex = () =>
      sent().some((r) => decodeURIComponent(r.path).endsWith("approot:/index:/children"));
    // A reader that has not found the marker looks for the earlier layout's index, once.
    const pane = createEmailIndex(storage);
    h.fake().fake.clearRequests();
    await pane.entries();
    expect(listsOldIndex()).toBe(true);
    // Its next write of the catalogue (a new month) says what it found, with no request of its own.
    h.fake().fake.clearRequests();
    await pane.commit(
      seededRecord(2, new Date(Date.UTC(2026, 11, 1, 9)).toISOString(), { content: false }),
    );
    expect(sent().filter((r) => r.method === "PUT" && r.path.includes("catalogue"))).toHaveLength(
      1,
    );
    expect(
      (await storage.readJson<{ legacyMigrated?: string }>(CATALOGUE_PATH)).value.legacyMigrated,
    ).toBeTypeOf("string");
    // A later reader (another pane, the tenant job's next night) lists no earlier index.
    h.fake().fake.clearRequests();
    expect(await createEmailIndex(storage).entries()).toHaveLength(2);
    expect(listsOldIndex()).toBe(false);
  });

  it("hands a removal over from its held catalogue, and keeps another pane's new month", async () => {
    h.fake().fake.setFaults({ permanentDelete: "allowed" });
    const storage = h.storage();
    const index = createEmailIndex(storage);
    await index.commit(november(1));
    await index.commit(november(2));
    // Another pane saves an email of another month: a catalogue this pane does not hold yet.
    const december = seededRecord(3, new Date(Date.UTC(2026, 11, 1, 9)).toISOString(), {
      content: false,
    });
    await createEmailIndex(storage).commit(december);
    h.fake().fake.clearRequests();
    await index.remove([
      { savedId: november(1).savedId, receivedDateTime: november(1).message.receivedDateTime },
    ]);
    // The update from the held copy met the other pane's (412): read again, written once more.
    expect(sent().map(describeRequest)).toEqual([
      "PUT /v1.0/me/drive/special/approot:/records/2026-11.{suffix}.json:/content",
      "PUT /v1.0/me/drive/special/approot:/records/2026-11.{suffix}.json:/content",
      "PUT /v1.0/me/drive/special/approot:/records/catalogue.json:/content",
      "GET /v1.0/me/drive/special/approot:/records/catalogue.json",
      "PUT /v1.0/me/drive/special/approot:/records/catalogue.json:/content",
      // The frozen file deleted for good; then the look for earlier versions' index.
      "POST /v1.0/$batch",
      "GET /v1.0/me/drive/special/approot:/index:/children",
    ]);
    const fresh = createEmailIndex(storage);
    expect((await fresh.entries()).map((e) => e.savedId).sort()).toEqual(
      [november(2).savedId, december.savedId].sort(),
    );
    expect(await shardFiles(storage)).toHaveLength(2);
  });

  it("takes the files of emptied leaves out for good, with no generation, and they stay named", async () => {
    h.fake().fake.setFaults({ permanentDelete: "allowed" });
    const storage = h.storage();
    const index = createEmailIndex(storage);
    const count = overCap() * 2;
    const records = Array.from({ length: count }, (_, n) =>
      n === 3 ? { ...november(n), note: "Quarterly secret plan" } : november(n),
    );
    await index.importRecords(records);
    const before = (await storage.readJson<unknown>(CATALOGUE_PATH)).value;
    await index.entries();
    h.fake().fake.clearRequests();
    const removed = await index.remove(
      records.map((r) => ({ savedId: r.savedId, receivedDateTime: r.message.receivedDateTime })),
    );
    expect(removed.sort()).toEqual(records.map((r) => r.savedId).sort());
    // Taken out in $batch (renamed under If-Match, then deleted for good): no freeze, no
    // successor, no catalogue write.
    expect(sent().map(describeRequest)).toEqual([
      ...Array(Math.ceil((2 * (await shardCount(before))) / 20)).fill("POST /v1.0/$batch"),
    ]);
    expect(await shardCount(before)).toBeGreaterThan(1);
    expect((await storage.readJson<unknown>(CATALOGUE_PATH)).value).toEqual(before);
    expect(await storage.list(RECORDS_DIR)).toEqual([
      expect.objectContaining({ name: "catalogue.json" }),
    ]);
    const driveId = ((await (await h.fake().fetch("/me/drive")).json()) as { id: string }).id;
    const stored = (await h.fake().fake.storedContents(driveId))
      .map((c) => c.content.toString("utf8"))
      .join("\n");
    expect(stored).not.toContain("Quarterly secret plan");
    // This pane holds the emptied leaves as empty: listing them again asks nothing.
    h.fake().fake.clearRequests();
    expect(await index.entries()).toEqual([]);
    expect(sent()).toEqual([]);
    // An emptied leaf is an empty shard: the next save into it creates its file afresh.
    expect((await index.commit(november(900))).mine).toBe(true);
    expect((await createEmailIndex(storage).entries()).map((e) => e.savedId)).toEqual([
      november(900).savedId,
    ]);
  });

  it("loses no save that lands in a leaf while a removal empties it", async () => {
    const storage = h.storage();
    const remover = createEmailIndex(storage);
    const records = Array.from({ length: overCap() * 2 }, (_, n) => november(n));
    await remover.importRecords(records);
    // The remover holds every leaf; another pane then saves into one of them.
    await remover.entries();
    await createEmailIndex(storage).commit(november(900));
    h.fake().fake.clearRequests();
    const removed = await remover.remove(
      records.map((r) => ({ savedId: r.savedId, receivedDateTime: r.message.receivedDateTime })),
    );
    expect(removed.sort()).toEqual(records.map((r) => r.savedId).sort());
    // The leaf written since it was read refused its rename (412), and was looked at again.
    const renames = h.requests().filter((r) => r.batch && r.method === "PATCH");
    expect(renames.filter((r) => r.status === 412)).toHaveLength(1);
    expect((await createEmailIndex(storage).entries()).map((e) => e.savedId)).toEqual([
      november(900).savedId,
    ]);
    const left = (await storage.list(RECORDS_DIR)).map((f) => f.name);
    expect(left.filter((name) => !parseShardName(name) && name !== "catalogue.json")).toEqual([]);
  });

  it("drops a month from the catalogue when its last email is removed", async () => {
    const storage = h.storage();
    const index = createEmailIndex(storage);
    await index.commit(november(1));
    await index.remove(
      [november(1)].map((r) => ({
        savedId: r.savedId,
        receivedDateTime: r.message.receivedDateTime,
      })),
    );
    const { value } = await storage.readJson<unknown>(CATALOGUE_PATH);
    expect(parseCatalogue(value)?.months).toEqual({});
    expect(await shardFiles(storage)).toEqual([]);
  });

  it("does not let a slow finisher's late successor bring back an email deleted meanwhile", async () => {
    const storage = h.storage();
    const slowPane = createEmailIndex(storage);
    await slowPane.commit(november(1));
    await slowPane.commit(november(2));
    const where = (r: StoredEmailRecord) => ({
      savedId: r.savedId,
      receivedDateTime: r.message.receivedDateTime,
    });
    // The slow pane removes email 2. Its successor's create-only write (holding email 1) is held
    // back until another pane has finished that generation itself and then removed email 1 too
    // (the successor replaced and deleted for good).
    let interfered = false;
    const slow: StoragePort = {
      ...storage,
      async writeJson(path, value, options) {
        const successor = options?.conflict === "fail" && path.startsWith(`${RECORDS_DIR}/2026-11`);
        if (successor && !interfered) {
          interfered = true;
          expect(await createEmailIndex(storage).remove([where(november(1))])).toEqual([
            november(1).savedId,
          ]);
        }
        return storage.writeJson(path, value, options);
      },
    };
    const removed = await createEmailIndex(slow).remove([where(november(2))]);
    expect(interfered).toBe(true);
    expect(removed).toEqual([november(2).savedId]);
    // The late successor the slow pane created is gone again: no shard file is left, and a deep
    // repair (the tenant job's) finds nothing to take back.
    expect(await shardFiles(storage)).toEqual([]);
    const report = await createEmailIndex(storage).repair({ deep: true });
    expect(report.needed).toBe(false);
    expect(await createEmailIndex(storage).entries()).toEqual([]);
  });

  it("deletes a stray shard file nobody hands over to, without taking its emails back", async () => {
    const storage = h.storage();
    const index = createEmailIndex(storage);
    await index.commit(november(1));
    // A stale copy (a late create-only successor of a generation finished and replaced since):
    // it may hold an email deleted meanwhile, so it must not come back.
    const stray: ShardFile = { schema: 1, month: "2026-11", bits: "", records: [november(2)] };
    await storage.writeJson(shardPath("2026-11", "", "strayfile1"), stray);
    const report = await createEmailIndex(storage).repair();
    expect(report).toMatchObject({ removedStale: 1, adopted: 0, needed: true });
    expect((await createEmailIndex(storage).entries()).map((e) => e.savedId)).toEqual([
      november(1).savedId,
    ]);
    expect((await shardFiles(storage)).map((f) => f.suffix)).not.toContain("strayfile1");
  });

  it("deletes a leaf file a removal renamed but could not delete, without taking its emails back", async () => {
    h.fake().fake.setFaults({ permanentDelete: "allowed" });
    const storage = h.storage();
    const index = createEmailIndex(storage);
    const records = Array.from({ length: overCap() * 2 }, (_, n) => november(n));
    await index.importRecords(records);
    await index.entries();
    // The delete for good of one renamed leaf fails: it stays beside, under its leftover name.
    h.fake().fake.setFaults({
      permanentDelete: "allowed",
      queue: [{ status: 507, match: "\\.removing:/permanentDelete" }],
    });
    await expect(
      index.remove(
        records.map((r) => ({ savedId: r.savedId, receivedDateTime: r.message.receivedDateTime })),
      ),
    ).rejects.toMatchObject({ code: "quota_full" });
    h.fake().fake.setFaults({ permanentDelete: "allowed" });
    const leftover = (await storage.list(RECORDS_DIR)).filter((f) => isRemovalLeftover(f.name));
    expect(leftover).toHaveLength(1);
    // Its emails are out of the index all the same: the leaf it was is empty.
    expect(await createEmailIndex(storage).entries()).toEqual([]);
    const report = await createEmailIndex(storage).repair();
    expect(report).toMatchObject({ removedStale: 1, adopted: 0, needed: true });
    expect(await storage.list(RECORDS_DIR)).toEqual([
      expect.objectContaining({ name: "catalogue.json" }),
    ]);
    expect(await createEmailIndex(storage).entries()).toEqual([]);
  });

  it("finishes the generation a successor belongs to when a crash left it unnamed", async () => {
    const storage = h.storage();
    await createEmailIndex(storage).commit(november(1));
    await createEmailIndex(storage).commit(november(2));
    // A crash after the freeze and the successor's write, before the catalogue update: the
    // frozen shard (still named) hands over to the successor, which holds email 1 only.
    const [live] = await shardFiles(storage);
    const frozen: ShardFile = {
      schema: 1,
      month: "2026-11",
      bits: "",
      records: [november(1)],
      successor: { reason: "removal", shards: { "": "successor1" } },
    };
    await storage.writeJson(shardPath("2026-11", "", live!.suffix), frozen);
    await storage.writeJson(shardPath("2026-11", "", "successor1"), {
      ...frozen,
      successor: undefined,
    });
    const report = await createEmailIndex(storage).repair();
    expect(report).toMatchObject({ finished: 1, removedStale: 0, needed: true });
    expect((await shardFiles(storage)).map((f) => f.suffix)).toEqual(["successor1"]);
    expect((await createEmailIndex(storage).entries()).map((e) => e.savedId)).toEqual([
      november(1).savedId,
    ]);
  });

  it("takes back the records of the files a rebuild a crash cut short was made from", async () => {
    const storage = h.storage();
    await createEmailIndex(storage).commit(november(1));
    // The catalogue was lost; the rebuild marked it, then the pane stopped before importing.
    const old: ShardFile = { schema: 1, month: "2026-11", bits: "", records: [november(2)] };
    await storage.writeJson(shardPath("2026-11", "", "oldfile001"), old);
    const { value } = await storage.readJson<unknown>(CATALOGUE_PATH);
    const catalogue = parseCatalogue(value)!;
    await storage.writeJson(CATALOGUE_PATH, { ...catalogue, rebuilding: new Date().toISOString() });
    const report = await createEmailIndex(storage).repair();
    expect(report).toMatchObject({ adopted: 1, needed: true });
    expect((await createEmailIndex(storage).entries()).map((e) => e.savedId).sort()).toEqual(
      [november(1).savedId, november(2).savedId].sort(),
    );
    const after = parseCatalogue((await storage.readJson<unknown>(CATALOGUE_PATH)).value);
    expect(after?.rebuilding).toBeUndefined();
    expect((await shardFiles(storage)).map((f) => f.suffix)).not.toContain("oldfile001");
  });

  it("writes a month's worth of records in few requests on import", async () => {
    const storage = h.storage();
    const records = Array.from({ length: 300 }, (_, n) => november(n));
    h.fake().fake.clearRequests();
    await createEmailIndex(storage).importRecords(records);
    const writes = sent().filter((r) => r.method === "PUT");
    const files = await shardFiles(storage);
    // The catalogue once, then each shard once.
    expect(writes).toHaveLength(files.length + 1);
    expect(await createEmailIndex(storage).entries()).toHaveLength(300);
  });
});
