// Retention purge against the Graph fake: a controlled clock, batched deletes, one event each,
// tolerance of files already gone and of throttling inside a batch, and its cost at 1,000 emails.
import { describe, expect, it } from "vitest";
import { FOREVER, retentionDays } from "../../../src/core/retention.js";
import { purgeExpired } from "../../../src/services/rights/purge.js";
import { contentPath } from "../../../src/services/storage/layout.js";
import { parseShardName } from "../../../src/services/storage/record-shards.js";
import { seedStoredEmails, seededId, seededRecord, useRightsHarness } from "./rights-harness.js";

const h = useRightsHarness();
/**
 * What is stored besides the activity log (which keeps one line per purge, by design). A record
 * shard takes a new name whenever emails are dropped from it: each one reads as
 * "records/{month} shard".
 */
const storedFiles = async () =>
  (await h.allFiles())
    .filter((f) => !f.startsWith("activity/"))
    .map((f) => {
      const shard = f.startsWith("records/") ? parseShardName(f.slice("records/".length)) : null;
      return shard ? `records/${shard.month} shard` : f;
    });
const CATALOGUE = "records/catalogue.json";

const DAY = 86_400_000;
const NOW = new Date("2026-11-25T12:00:00.000Z");
const daysAgo = (days: number, from = NOW) => new Date(from.getTime() - days * DAY).toISOString();

describe("purgeExpired", () => {
  it("purges what the retention period has passed, and more as the clock moves on", async () => {
    const p = h.pane();
    const ages = [1, 20, 29, 31, 45, 400];
    await seedStoredEmails(
      h.seeder(),
      ages.map((age, n) => seededRecord(n, daysAgo(age), { content: n % 2 === 0 })),
    );
    await p.settings.setRetention(retentionDays(30));
    const deps = { ...p.deps, retention: async () => (await p.settings.current()).effective };

    const first = await purgeExpired(deps, { now: NOW });

    expect(first.purged.sort()).toEqual([seededId(3), seededId(4), seededId(5)]);
    expect(first.failed).toEqual([]);
    const left = await storedFiles();
    for (const n of [3, 4, 5]) expect(left).not.toContain(contentPath(seededId(n)));
    expect(left).toContain(contentPath(seededId(2)));
    const fresh = h.pane();
    expect((await fresh.index.entries()).map((e) => e.savedId).sort()).toEqual(
      [0, 1, 2].map(seededId),
    );

    // Ten days later, the emails saved 20 and 29 days before NOW have expired too.
    const later = await purgeExpired(deps, { now: new Date(NOW.getTime() + 10 * DAY) });
    expect(later.purged.sort()).toEqual([seededId(1), seededId(2)]);
    expect((await fresh.index.entries({ fresh: true })).map((e) => e.savedId)).toEqual([
      seededId(0),
    ]);
  });

  it("logs one email_purged event per email, metadata only, and never twice", async () => {
    const p = h.pane();
    await seedStoredEmails(h.seeder(), [
      seededRecord(1, daysAgo(100)),
      seededRecord(2, daysAgo(100), { content: false }),
    ]);
    const deps = { ...p.deps, retention: () => retentionDays(90) };
    await purgeExpired(deps, { now: NOW });
    await purgeExpired(deps, { now: NOW });
    // A second pane purging the same emails (it read the index before the first pane wrote it).
    const other = h.pane();
    await purgeExpired({ ...other.deps, retention: () => retentionDays(90) }, { now: NOW });

    const events = (await h.pane().activity.list()).filter((e) => e.kind === "email_purged");
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.refs.savedId).sort()).toEqual([seededId(1), seededId(2)]);
    const one = events.find((e) => e.refs.savedId === seededId(1));
    expect(one).toMatchObject({
      outcome: "success",
      projectId: "tower-b",
      details: { reason: "retention", retention: "P90D", savedAt: daysAgo(100) },
    });
    expect(one?.sizeBytes).toBeGreaterThan(0);
    const text = JSON.stringify(events);
    expect(text).not.toContain("Seeded email");
    expect(text).not.toContain("dana@");
    expect((await h.pane().activity.verify()).ok).toBe(true);
  });

  it("purges nothing kept until deleted, with no request at all", async () => {
    const p = h.pane();
    await seedStoredEmails(h.seeder(), [seededRecord(1, daysAgo(5000))]);
    h.fake().fake.clearRequests();
    const result = await purgeExpired({ ...p.deps, retention: () => FOREVER }, { now: NOW });
    expect(result.purged).toEqual([]);
    expect(h.outerRequests()).toEqual([]);
  });

  it("reads only the shards of months that can hold an expired email", async () => {
    const p = h.pane();
    // Six months of emails, saved when received; only the oldest month is past 90 days.
    const records = Array.from({ length: 60 }, (_, n) =>
      seededRecord(n, daysAgo(10 + Math.floor(n / 10) * 20), { content: false }),
    );
    await seedStoredEmails(h.seeder(), records);
    const expired = records.filter((r) => r.savedAt <= daysAgo(90)).map((r) => r.savedId);
    const oldMonths = new Set(
      records.filter((r) => r.savedAt <= daysAgo(90)).map((r) => r.savedAt.slice(0, 7)),
    );
    h.fake().fake.clearRequests();
    const result = await purgeExpired(
      { ...p.deps, retention: () => retentionDays(90) },
      { now: NOW },
    );
    expect(result.purged.sort()).toEqual(expired.sort());
    const shardReads = h
      .outerRequests()
      .filter(
        (r) => r.method === "GET" && /\/records\/\d{4}-\d{2}/.test(decodeURIComponent(r.path)),
      )
      .map((r) => /\/records\/(\d{4}-\d{2})/.exec(decodeURIComponent(r.path))?.[1]);
    expect(shardReads.length).toBeGreaterThan(0);
    for (const month of shardReads) expect(oldMonths.has(month ?? "")).toBe(true);
  });

  it("tolerates files already gone, counting them as missing", async () => {
    const p = h.pane();
    await seedStoredEmails(
      h.seeder(),
      [1, 2, 3].map((n) => seededRecord(n, daysAgo(100))),
    );
    // The user removed two .eml files by hand in OneDrive.
    await p.storage.remove(contentPath(seededId(1)));
    await p.storage.remove(contentPath(seededId(2)));

    const result = await purgeExpired(
      { ...p.deps, retention: () => retentionDays(30) },
      { now: NOW },
    );

    expect(result.purged.sort()).toEqual([1, 2, 3].map(seededId));
    expect(result.failed).toEqual([]);
    expect(result.files).toEqual({ removed: 1, missing: 2 });
    // The month's only shard emptied: the month leaves the catalogue, no shard file is left.
    expect(await storedFiles()).toEqual([CATALOGUE]);
  });

  it("finishes a purge interrupted after its deletes, without logging anything twice", async () => {
    const p = h.pane();
    await seedStoredEmails(
      h.seeder(),
      [1, 2].map((n) => seededRecord(n, daysAgo(100))),
    );
    // Content deleted and events written, then the pane closed before the shard's new generation.
    const deps = { ...p.deps, retention: () => retentionDays(30) };
    const crashing = {
      ...deps,
      index: { ...p.index, remove: () => Promise.reject(new Error("pane closed")) },
    };
    await expect(purgeExpired(crashing, { now: NOW })).rejects.toThrow("pane closed");
    expect((await h.pane().index.entries()).length).toBe(2);

    const result = await purgeExpired(
      { ...h.pane().deps, retention: () => retentionDays(30) },
      {
        now: NOW,
      },
    );
    expect(result.purged.sort()).toEqual([seededId(1), seededId(2)]);
    expect(result.files.missing).toBe(2);
    expect(await storedFiles()).toEqual([CATALOGUE]);
    const purged = (await h.pane().activity.list()).filter((e) => e.kind === "email_purged");
    expect(purged).toHaveLength(2);
  });

  it("re-sends deletes throttled inside a batch and leaves nothing behind", async () => {
    const p = h.pane();
    await seedStoredEmails(
      h.seeder(),
      Array.from({ length: 30 }, (_, n) => seededRecord(n, daysAgo(100))),
    );
    h.fake().fake.clearRequests();
    h.fake().fake.setFaults({
      queue: [
        {
          status: 429,
          match: "^DELETE .*/emails/0+1[0-9a-f]\\.(eml|json)$",
          retryAfterSeconds: 0,
          times: 6,
        },
        { status: 503, match: "^DELETE .*/emails/", times: 2 },
      ],
    });

    const result = await purgeExpired(
      { ...p.deps, retention: () => retentionDays(30) },
      { now: NOW },
    );

    expect(result.failed).toEqual([]);
    expect(result.purged).toHaveLength(30);
    const throttled = h
      .fake()
      .fake.requests()
      .filter((r) => r.batch && r.method === "DELETE" && r.status >= 429);
    expect(throttled).toHaveLength(8);
    expect(await storedFiles()).toEqual([CATALOGUE]);
    expect((await h.pane().index.entries()).length).toBe(0);
  });

  it("keeps an email whose delete keeps failing, to try again next time", async () => {
    const p = h.pane();
    await seedStoredEmails(
      h.seeder(),
      [1, 2].map((n) => seededRecord(n, daysAgo(100))),
    );
    h.fake().fake.setFaults({
      permanentDelete: "allowed",
      queue: [
        { status: 403, match: `^POST .*/emails/${seededId(1)}\\.eml:/permanentDelete$` },
        { status: 403, match: `^DELETE .*/emails/${seededId(1)}\\.eml$` },
      ],
    });
    const result = await purgeExpired(
      { ...p.deps, retention: () => retentionDays(30) },
      { now: NOW },
    );
    expect(result.purged).toEqual([seededId(2)]);
    expect(result.failed.map((f) => [f.savedId, f.error.code])).toEqual([
      [seededId(1), "app_folder_refused"],
    ]);
    // Its record stays with its content: still listed, still findable.
    const month = seededRecord(1, daysAgo(100)).message.receivedDateTime?.slice(0, 7);
    expect(await storedFiles()).toEqual(
      [contentPath(seededId(1)), CATALOGUE, `records/${month} shard`].sort(),
    );
    expect(
      (await purgeExpired({ ...p.deps, retention: () => retentionDays(30) }, { now: NOW })).purged,
    ).toEqual([seededId(1)]);
  });
});

describe("purging 1,000 expired emails", () => {
  it("costs a counted number of Graph requests and leaves nothing behind", async () => {
    const p = h.pane();
    const records = Array.from({ length: 1000 }, (_, n) =>
      seededRecord(n, daysAgo(100 + (n % 50))),
    );
    await seedStoredEmails(h.seeder(), records);
    await p.settings.setRetention(retentionDays(90));
    await p.settings.current();
    h.fake().fake.setFaults({ permanentDelete: "allowed" });
    h.fake().fake.clearRequests();
    const started = performance.now();

    const result = await purgeExpired(
      { ...p.deps, retention: async () => (await p.settings.current()).effective },
      { now: NOW },
    );

    const ms = performance.now() - started;
    const outer = h.outerRequests();
    const byKind = {
      batches: outer.filter((r) => r.path.endsWith("/$batch")).length,
      eventWrites: outer.filter((r) => r.method === "PUT" && r.path.includes("/activity/")).length,
      reads: outer.filter((r) => r.method === "GET").length,
    };
    console.info(
      `purge of 1,000: ${outer.length} requests ${JSON.stringify(byKind)} in ${Math.round(ms)} ms`,
    );
    expect(result.purged).toHaveLength(1000);
    expect(result.failed).toEqual([]);
    // 1,000 permanentDeletes of content, 20 a $batch. Each emptied leaf of a split month: no
    // generation, no write to its file nor to the catalogue; its file renamed under the eTag it
    // was read at and deleted for good after it, in $batch (the catalogue still names it: an
    // empty shard). A month of one shard emptied leaves the catalogue by a generation: frozen
    // (one PUT), one catalogue write for all, deleted in $batch. The activity log: the head, one
    // archive shard, the head. The catalogue read once.
    const inner = h
      .fake()
      .fake.requests()
      .filter((r) => r.batch);
    const renames = inner.filter((r) => r.method === "PATCH");
    const leaves = renames.length;
    expect(leaves).toBeGreaterThan(1);
    expect(renames.every((r) => decodeURIComponent(r.path).includes("/records/"))).toBe(true);
    const forGood = inner.filter((r) => r.path.endsWith(":/permanentDelete"));
    expect(forGood.filter((r) => r.path.includes(".removing:"))).toHaveLength(leaves);
    const generations = forGood.filter(
      (r) => r.path.includes("/records/") && !r.path.includes(".removing:"),
    ).length;
    expect(forGood).toHaveLength(1000 + leaves + generations);
    // Every shard of an expired month read once: its metadata in $batch (20 a request), then
    // its download.
    const shardLooks = inner.filter(
      (r) => r.method === "GET" && /\/records\/(\d{4}-\d{2}|undated)/.test(r.path),
    );
    expect(shardLooks).toHaveLength(leaves + generations);
    expect(byKind.batches).toBe(
      Math.ceil(shardLooks.length / 20) +
        1000 / 20 +
        Math.ceil((2 * leaves) / 20) +
        Math.ceil(generations / 20),
    );
    expect(byKind.eventWrites).toBe(3);
    const recordWrites = outer.filter(
      (r) => r.method === "PUT" && decodeURIComponent(r.path).includes("/records/"),
    );
    expect(recordWrites).toHaveLength(generations > 0 ? generations + 1 : 0);
    const catalogueReads = outer.filter(
      (r) => r.method === "GET" && decodeURIComponent(r.path).endsWith("/records/catalogue.json"),
    );
    expect(catalogueReads).toHaveLength(1);
    expect(outer).toHaveLength(
      byKind.batches + byKind.eventWrites + byKind.reads + recordWrites.length,
    );
    expect(await p.storage.list("records")).toEqual([
      expect.objectContaining({ name: "catalogue.json" }),
    ]);
    expect(await p.activity.verify()).toMatchObject({ ok: true, problems: [] });
    expect(await storedFiles()).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/^emails\//)]),
    );
    expect((await h.pane().index.entries()).length).toBe(0);
  }, 120_000);
});
