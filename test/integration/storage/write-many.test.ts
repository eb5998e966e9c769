// writeMany on the Graph storage adapter: one PUT per file, never inside $batch (no Microsoft
// document shows file content there), at most four in flight; conflict and If-Match per item,
// 429 retried, `after` written only once its dependency landed.
import { describe, expect, it } from "vitest";
import { rejectionCode, useStorageHarness } from "./storage-harness.js";

const h = useStorageHarness();

const outer = () => h.requests().filter((r) => !r.batch);
const inner = () => h.requests().filter((r) => r.batch);
const names = (count: number) =>
  Array.from({ length: count }, (_, i) => `activity/w-${String(i).padStart(3, "0")}.json`);

describe("writeMany", () => {
  it("writes 45 JSON files with one PUT each, none inside $batch, that read back as written", async () => {
    const paths = names(45);
    const storage = h.storage();

    const results = await storage.writeMany(
      paths.map((path, i) => ({ path, value: { i, nested: { path } }, conflict: "fail" })),
    );

    expect(results.map((r) => r.path)).toEqual(paths);
    expect(results.every((r) => r.error === undefined && r.file?.eTag)).toBe(true);
    expect(results[7]?.file?.path).toBe(paths[7]);
    expect(inner()).toEqual([]);
    expect(outer()).toHaveLength(45);
    expect(outer().every((r) => r.method === "PUT" && r.status === 201)).toBe(true);
    h.fake().fake.clearRequests();
    const { value, file } = await storage.readJson<unknown>(paths[7]!);
    expect(value).toEqual({ i: 7, nested: { path: paths[7] } });
    expect(file.eTag).toBe(results[7]?.file?.eTag);
  });

  it("keeps at most four PUTs in flight, so Outlook's fifth-request throttle never fires", async () => {
    h.fake().fake.setFaults({ maxConcurrent: 4, latencyMs: 30, retryAfterSeconds: 0 });
    const results = await h
      .storage({ maxConcurrent: 8 })
      .writeMany(names(16).map((path) => ({ path, value: { path } })));
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(h.requests().filter((r) => r.status === 429)).toEqual([]);
  });

  it("answers conflict and precondition_failed per item, and writes the rest", async () => {
    const storage = h.storage();
    const taken = await storage.writeJson("records/taken.json", { v: 1 });
    const guarded = await storage.writeJson("records/guarded.json", { v: 1 });
    h.fake().fake.clearRequests();

    const results = await storage.writeMany([
      { path: "records/taken.json", value: { v: 2 }, conflict: "fail" },
      { path: "records/guarded.json", value: { v: 2 }, ifMatch: '"stale"' },
      { path: "records/fresh.json", value: [1, 2] },
      { path: "records/replaced.json", value: { v: 3 }, conflict: "replace" },
    ]);

    expect(results.map((r) => r.error?.code ?? "ok")).toEqual([
      "conflict",
      "precondition_failed",
      "ok",
      "ok",
    ]);
    expect(outer()).toHaveLength(4);
    expect((await storage.readJson("records/taken.json")).value).toEqual({ v: 1 });
    expect((await storage.readJson("records/guarded.json")).file.eTag).toBe(guarded.eTag);
    expect((await storage.readJson("records/fresh.json")).value).toEqual([1, 2]);
    expect(taken.eTag).toBeTruthy();

    const current = await storage.stat("records/guarded.json");
    const [ok] = await storage.writeMany([
      { path: "records/guarded.json", value: { v: 4 }, ifMatch: current!.eTag },
    ]);
    expect(ok?.error).toBeUndefined();
    expect((await storage.readJson("records/guarded.json")).value).toEqual({ v: 4 });
  });

  it("writes an `after` item only once its dependency landed, and never when it failed", async () => {
    const storage = h.storage();
    await storage.writeJson("records/r1.json", { mine: false });
    h.fake().fake.clearRequests();

    const results = await storage.writeMany([
      { path: "records/r1.json", value: { mine: true }, conflict: "fail" },
      { path: "activity/e1.json", value: { e: 1 }, conflict: "fail", after: "records/r1.json" },
      { path: "records/r2.json", value: { mine: true }, conflict: "fail" },
      { path: "activity/e2.json", value: { e: 2 }, conflict: "fail", after: "records/r2.json" },
    ]);

    expect(results.map((r) => r.error?.code ?? "ok")).toEqual(["conflict", "unknown", "ok", "ok"]);
    expect(results[1]?.error?.params.reason).toBe("dependency_failed");
    const log = outer();
    expect(log.some((r) => r.path.includes("e1.json"))).toBe(false);
    const r2 = log.find((r) => r.path.includes("r2.json"))!;
    const e2 = log.find((r) => r.path.includes("e2.json"))!;
    expect(e2.seq).toBeGreaterThan(r2.seq);
    expect(await storage.stat("activity/e1.json")).toBeNull();
    expect((await storage.readJson("activity/e2.json")).value).toEqual({ e: 2 });
  });

  it("retries a throttled PUT after its Retry-After, and writes what depends on it after it", async () => {
    const paths = names(6);
    h.fake().fake.setFaults({
      queue: [
        {
          status: 429,
          match: "^PUT .*/activity/w-00[0-1]\\.json:/content$",
          retryAfterSeconds: 1,
          times: 2,
        },
        { status: 429, match: "^PUT .*/records/dep\\.json:/content$", retryAfterSeconds: 1 },
      ],
    });

    const results = await h.storage().writeMany([
      ...paths.map((path, i) => ({ path, value: { i }, conflict: "fail" as const })),
      { path: "records/dep.json", value: { r: 1 }, conflict: "fail" },
      {
        path: "activity/after-dep.json",
        value: { e: 1 },
        conflict: "fail",
        after: "records/dep.json",
      },
    ]);

    expect(results.filter((r) => r.error)).toEqual([]);
    const log = outer();
    expect(log.filter((r) => r.status === 429)).toHaveLength(3);
    const dep = log.filter((r) => r.path.includes("dep.json") && !r.path.includes("after"));
    const after = log.filter((r) => r.path.includes("after-dep"));
    expect(after).toHaveLength(1);
    expect(after[0]!.seq).toBeGreaterThan(Math.max(...dep.map((r) => r.seq)));
    expect(log.filter((r) => r.status === 201)).toHaveLength(8);
    expect((await h.storage().list("activity")).length).toBe(7);
  });

  it("refuses a bad path, a path given twice or a non-object value before any request", async () => {
    const storage = h.storage();
    h.fake().fake.clearRequests();
    expect(await rejectionCode(storage.writeMany([{ path: "a/../b.json", value: {} }]))).toBe(
      "bad_request",
    );
    expect(
      await rejectionCode(
        storage.writeMany([
          { path: "a/b.json", value: {} },
          { path: "A/B.json", value: {} },
        ]),
      ),
    ).toBe("bad_request");
    expect(await rejectionCode(storage.writeMany([{ path: "a/c.json", value: "text" }]))).toBe(
      "bad_request",
    );
    expect(h.requests()).toEqual([]);
  });

  it("rejects as cancelled when aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(
      await rejectionCode(
        h.storage().writeMany([{ path: "a/b.json", value: {} }], { signal: controller.signal }),
      ),
    ).toBe("cancelled");
  });
});
