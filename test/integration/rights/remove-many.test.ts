// removeMany on the Graph storage adapter: JSON $batch of at most 20 permanentDeletes, inner
// answers read one by one (404 missing, 429/503 re-sent after their own Retry-After, the rest
// failed); where Graph refuses permanentDelete (403), DELETEs that leave the items in the recycle
// bin, reported as `recycled`.
import { beforeEach, describe, expect, it } from "vitest";
import { isRemovalLeftover } from "../../../src/core/ports/storage.js";
import { rejectionCode, useStorageHarness } from "../storage/storage-harness.js";

const h = useStorageHarness();

const names = (count: number, prefix = "emails/e") =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}.json`);

async function seed(paths: string[]): Promise<void> {
  const storage = h.storage();
  for (let i = 0; i < paths.length; i += 8) {
    await Promise.all(paths.slice(i, i + 8).map((p) => storage.writeJson(p, { p })));
  }
}

const outer = () => h.requests().filter((r) => !r.batch);
const driveId = async () =>
  ((await (await h.fake().fetch("/me/drive")).json()) as { id: string }).id;
const inner = () => h.requests().filter((r) => r.batch);

describe("removeMany", () => {
  beforeEach(() => {
    h.fake().fake.setFaults({ permanentDelete: "allowed" });
  });

  it("deletes 45 files for good in three $batch requests of at most 20 permanentDeletes", async () => {
    const paths = names(45);
    await seed(paths);
    h.fake().fake.clearRequests();

    const result = await h.storage().removeMany(paths);

    expect(result.removed.sort()).toEqual(paths);
    expect(result.missing).toEqual([]);
    expect(result.failed).toEqual([]);
    expect(outer().map((r) => `${r.method} ${r.path}`)).toEqual(Array(3).fill("POST /v1.0/$batch"));
    expect(inner()).toHaveLength(45);
    expect(
      inner().every(
        (r) => r.method === "POST" && r.path.endsWith(":/permanentDelete") && r.status === 204,
      ),
    ).toBe(true);
    expect(result.recycled).toEqual([]);
    expect(await h.storage().list("emails")).toEqual([]);
    expect(h.fake().fake.recycleBin(await driveId())).toEqual([]);
  });

  it("falls back to DELETE where permanentDelete is refused, and says the items are recycled", async () => {
    h.fake().fake.setFaults({ permanentDelete: "refused" });
    const paths = names(3);
    await seed(paths);
    h.fake().fake.clearRequests();
    const storage = h.storage();

    const result = await storage.removeMany(paths);

    expect(result.removed.sort()).toEqual(paths);
    expect(result.recycled?.sort()).toEqual(paths);
    expect(result.failed).toEqual([]);
    expect(inner().filter((r) => r.status === 403)).toHaveLength(3);
    expect(inner().filter((r) => r.method === "DELETE" && r.status === 204)).toHaveLength(3);
    const bin = h.fake().fake.recycleBin(await driveId());
    expect(bin.map((e) => e.originalPath).sort()).toEqual(paths);
    // Refused once: the next delete goes straight to DELETE.
    await seed(["emails/later.json"]);
    h.fake().fake.clearRequests();
    expect(await storage.remove("emails/later.json")).toEqual({ permanent: false });
    expect(h.requests().map((r) => r.method)).toEqual(["DELETE"]);
  });

  it("asks for permanentDelete in one $batch only when it is refused, and DELETEs the rest", async () => {
    h.fake().fake.setFaults({ permanentDelete: "refused" });
    const paths = names(45);
    await seed(paths);
    h.fake().fake.clearRequests();

    const result = await h.storage().removeMany(paths);

    expect(result.removed.sort()).toEqual(paths);
    expect(result.recycled?.sort()).toEqual(paths);
    // One $batch of 20 refused, then 45 DELETEs in three: four $batch requests, not six.
    expect(inner().filter((r) => r.status === 403)).toHaveLength(20);
    expect(inner().filter((r) => r.method === "DELETE" && r.status === 204)).toHaveLength(45);
    expect(h.requests().filter((r) => !r.batch && r.path.endsWith("/$batch"))).toHaveLength(4);
  });

  it("counts files already gone as missing, not as failures", async () => {
    const paths = names(3);
    await seed(paths.slice(0, 1));
    const result = await h.storage().removeMany(paths);
    expect(result.removed).toEqual([paths[0]]);
    expect(result.missing.sort()).toEqual(paths.slice(1));
    expect(result.failed).toEqual([]);
  });

  it("sends a path named twice only once", async () => {
    const [path] = names(1);
    await seed([path!]);
    h.fake().fake.clearRequests();
    const result = await h.storage().removeMany([path!, path!]);
    expect(result.removed).toEqual([path]);
    expect(inner()).toHaveLength(1);
  });

  it("re-sends an inner 429 after its own Retry-After, packed with other re-sends", async () => {
    const paths = names(25);
    await seed(paths);
    h.fake().fake.clearRequests();
    h.fake().fake.setFaults({
      permanentDelete: "allowed",
      queue: [
        {
          status: 429,
          match: "^POST .*/emails/e-00[0-2]\\.json:/permanentDelete$",
          retryAfterSeconds: 1,
        },
        {
          status: 429,
          match: "^POST .*/emails/e-02[0-1]\\.json:/permanentDelete$",
          retryAfterSeconds: 1,
        },
        { status: 503, match: "^POST .*/emails/e-010\\.json:/permanentDelete$" },
      ],
    });
    const started = Date.now();

    const result = await h.storage({ innerRetry: { delaySeconds: 0.05 } }).removeMany(paths);

    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.failed).toEqual([]);
    expect(result.removed.sort()).toEqual(paths);
    // The first batch alone (it tells whether permanentDelete is allowed) and one re-send for its
    // throttled three; then the other five and one re-send for theirs: four, not one per throttle.
    expect(outer()).toHaveLength(4);
    const throttled = inner().filter((r) => r.status === 429 || r.status === 503);
    expect(throttled).toHaveLength(3);
    expect(await h.storage().list("emails")).toEqual([]);
  });

  it("reports a path still throttled after its re-sends as failed, and keeps the file", async () => {
    const [kept, gone] = names(2);
    await seed([kept!, gone!]);
    h.fake().fake.setFaults({
      permanentDelete: "allowed",
      queue: [
        {
          status: 429,
          match: "^POST .*/emails/e-000\\.json:/permanentDelete$",
          times: 10,
          retryAfterSeconds: 0,
        },
      ],
    });
    const result = await h
      .storage({ innerRetry: { maxRetries: 2, delaySeconds: 0.01 } })
      .removeMany([kept!, gone!]);
    expect(result.removed).toEqual([gone]);
    expect(result.failed.map((f) => [f.path, f.error.code])).toEqual([[kept, "throttled"]]);
    expect(inner().filter((r) => r.path.endsWith("e-000.json:/permanentDelete"))).toHaveLength(3);
    expect(await h.storage().stat(kept!)).not.toBeNull();
  });

  it("deletes under If-Match only while the eTag is current", async () => {
    const storage = h.storage();
    const old = await storage.writeJson("index/emails.json", { v: 1 });
    const current = await storage.writeJson("index/emails.json", { v: 2 });
    const other = await storage.writeJson("settings.json", {});

    const refused = await storage.removeMany(["index/emails.json"], {
      ifMatch: { "index/emails.json": old.eTag },
    });
    expect(refused.failed.map((f) => f.error.code)).toEqual(["precondition_failed"]);
    expect(await storage.stat("index/emails.json")).not.toBeNull();

    const done = await storage.removeMany(["index/emails.json", "settings.json"], {
      ifMatch: { "index/emails.json": current.eTag, "settings.json": other.eTag },
    });
    expect(done.removed.sort()).toEqual(["index/emails.json", "settings.json"]);
    expect(await storage.stat("index/emails.json")).toBeNull();
  });

  it("takes guarded files out in one $batch: each renamed under If-Match, then deleted for good", async () => {
    const storage = h.storage();
    const paths = names(3, "records/r");
    await seed(paths);
    const eTags = Object.fromEntries(
      await Promise.all(paths.map(async (p) => [p, (await storage.stat(p))!.eTag] as const)),
    );
    h.fake().fake.clearRequests();

    const result = await storage.removeMany(paths, { ifMatch: eTags });

    expect(result.removed.sort()).toEqual(paths);
    expect(result.recycled).toEqual([]);
    // No read first: the rename is the check, and nothing can be written to the file after it.
    expect(outer().map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1.0/$batch"]);
    const sent = inner().map((r) => `${r.method} ${r.path.endsWith(":/permanentDelete")}`);
    expect(sent.sort()).toEqual([...Array(3).fill("PATCH false"), ...Array(3).fill("POST true")]);
    expect(await storage.list("records")).toEqual([]);
    const stored = await h.fake().fake.storedContents(await driveId());
    expect(stored.filter((c) => c.content.toString("utf8").includes("records/r"))).toEqual([]);
  });

  it("leaves a guarded file alone when a write landed after its eTag, and others go", async () => {
    const storage = h.storage();
    const [a, b] = names(2, "records/r");
    const readA = await storage.writeJson(a!, { v: 1 });
    const readB = await storage.writeJson(b!, { v: 1 });
    await storage.writeJson(a!, { v: 2 }, { ifMatch: readA.eTag });
    const result = await storage.removeMany([a!, b!], {
      ifMatch: { [a!]: readA.eTag, [b!]: readB.eTag },
    });
    expect(result.removed).toEqual([b]);
    expect(result.failed.map((f) => [f.path, f.error.code])).toEqual([[a, "precondition_failed"]]);
    expect((await storage.readJson(a!)).value).toEqual({ v: 2 });
    expect((await storage.list("records")).map((f) => f.name)).toEqual([a!.split("/")[1]]);
  });

  it("sends a guarded file Graph will not delete for good to the recycle bin, renamed first", async () => {
    h.fake().fake.setFaults({ permanentDelete: "refused" });
    const storage = h.storage();
    const [a] = names(1, "records/r");
    const file = await storage.writeJson(a!, { v: 1 });
    const result = await storage.removeMany([a!], { ifMatch: { [a!]: file.eTag } });
    expect(result.removed).toEqual([a]);
    expect(result.recycled).toEqual([a]);
    expect(await storage.list("records")).toEqual([]);
    // Known from now on: the next guarded delete renames, then DELETEs (no permanentDelete).
    const next = await storage.writeJson(a!, { v: 2 });
    h.fake().fake.clearRequests();
    expect((await storage.removeMany([a!], { ifMatch: { [a!]: next.eTag } })).recycled).toEqual([
      a,
    ]);
    expect(inner().map((r) => r.method)).toEqual(["PATCH", "DELETE"]);
    expect(await storage.list("records")).toEqual([]);
  });

  it("keeps a guarded file it renamed but could not delete beside, named as a leftover", async () => {
    const storage = h.storage();
    const [a] = names(1, "records/r");
    const file = await storage.writeJson(a!, { v: 1 });
    h.fake().fake.setFaults({
      permanentDelete: "allowed",
      queue: [{ status: 507, match: "permanentDelete" }],
    });
    const result = await storage.removeMany([a!], { ifMatch: { [a!]: file.eTag } });
    h.fake().fake.setFaults({ permanentDelete: "allowed" });
    expect(result.failed.map((f) => f.path)).toEqual([a]);
    const left = await storage.list("records");
    expect(left.map((f) => isRemovalLeftover(f.name))).toEqual([true]);
    expect(left[0]!.name.startsWith(a!.split("/")[1]!)).toBe(true);
  });

  it("removes a folder with everything in it", async () => {
    await seed([...names(3, "pending/p"), ...names(2, "pending/sub/q")]);
    const result = await h.storage().removeMany(["pending"]);
    expect(result.removed).toEqual(["pending"]);
    expect(await h.storage().list("pending")).toEqual([]);
    expect(await h.storage().list("pending/sub")).toEqual([]);
  });

  it("refuses an unsafe path before sending anything", async () => {
    h.fake().fake.clearRequests();
    const storage = h.storage();
    expect(
      await rejectionCode(
        (async () => storage.removeMany(["emails/ok.json", "emails/../settings.json"]))(),
      ),
    ).toBe("bad_request");
    expect(h.requests()).toEqual([]);
  });

  it("stops when cancelled", async () => {
    await seed(names(2));
    const controller = new AbortController();
    controller.abort();
    expect(
      await rejectionCode(h.storage().removeMany(names(2), { signal: controller.signal })),
    ).toBe("cancelled");
  });
});
