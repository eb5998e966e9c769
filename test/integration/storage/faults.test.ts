// Graph failures seen through the storage adapter: refusals map to SeptError codes, throttling
// is retried, and the adapter never has more than four requests in flight.
import { describe, expect, it } from "vitest";
import { DOWNLOAD_PATH, rejectionCode, testBytes, useStorageHarness } from "./storage-harness.js";

const h = useStorageHarness();

describe("refusals", () => {
  it("maps 403 on the app folder to app_folder_refused, keeping the Graph error as the cause", async () => {
    h.fake().fake.setFaults({ approotForbidden: true });
    const storage = h.storage();
    expect(await rejectionCode(storage.writeJson("x.json", {}))).toBe("app_folder_refused");
    expect(await rejectionCode(storage.list(""))).toBe("app_folder_refused");
    expect(await rejectionCode(storage.stat("x.json"))).toBe("app_folder_refused");
    expect(await rejectionCode(storage.remove("x.json"))).toBe("app_folder_refused");
    const error = await storage.read("x.json").catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "app_folder_refused",
      params: { status: 403, graphCode: "accessDenied" },
    });
    expect((error as Error).cause).toBeDefined();
  });

  it("maps a full drive to quota_full, for simple and session uploads", async () => {
    h.fake().fake.setFaults({ quotaFull: true });
    const storage = h.storage();
    expect(await rejectionCode(storage.writeJson("x.json", {}))).toBe("quota_full");
    expect(await rejectionCode(storage.write("big.eml", testBytes(5 * 1024 * 1024)))).toBe(
      "quota_full",
    );
  });
});

describe("throttling", () => {
  it("waits out a 429 with Retry-After: 1 and succeeds (the SDK's RetryHandler)", async () => {
    h.fake().fake.setFaults({
      queue: [{ status: 429, retryAfterSeconds: 1, match: "^PUT /v1\\.0/me/drive/" }],
    });
    const storage = h.storage();
    const started = Date.now();

    const file = await storage.writeJson("records/t.json", { ok: true });

    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const puts = h.requests().filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.status)).toEqual([429, 201]);
    expect(puts[1]?.headers["retry-attempt"]).toBe("1");
    expect((await storage.readJson("records/t.json")).file.eTag).toBe(file.eTag);
  });

  it("retries a throttled .eml upload too (its media type lets the SDK replay the body)", async () => {
    h.fake().fake.setFaults({
      queue: [{ status: 503, retryAfterSeconds: 0, match: "^PUT /v1\\.0/me/drive/" }],
    });
    await h.storage().write("content/m.eml", testBytes(1000));
    expect(h.requests().map((r) => r.status)).toEqual([503, 201]);
  });

  it("retries a download that failed with 503", async () => {
    const storage = h.storage();
    await storage.writeJson("settings.json", { a: 1 });
    h.fake().fake.setFaults({ queue: [{ status: 503, match: "^GET /_download/" }] });
    expect((await storage.readJson("settings.json")).value).toEqual({ a: 1 });
    expect(
      h
        .requests()
        .filter((r) => DOWNLOAD_PATH.test(r.path))
        .map((r) => r.status),
    ).toEqual([503, 200]);
  });

  it("reports throttled once the SDK's retries are spent", async () => {
    h.fake().fake.setFaults({
      queue: [{ status: 429, retryAfterSeconds: 0, match: "^GET /v1\\.0/me/drive/", times: 10 }],
    });
    const error = await h
      .storage()
      .stat("x.json")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "throttled", retryable: true });
  });
});

describe("concurrency", () => {
  it("keeps at most four requests in flight, so Outlook's fifth-request throttle never fires", async () => {
    h.fake().fake.setFaults({ maxConcurrent: 4, latencyMs: 40, retryAfterSeconds: 0 });
    const storage = h.storage();

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => storage.stat(`records/r-${i}.json`)),
    );

    expect(results.every((r) => r === null)).toBe(true);
    const log = h.requests();
    // 20 stats, and one look at the app folder to tell "no such file" from "no OneDrive".
    expect(log).toHaveLength(21);
    expect(log.filter((r) => r.status === 429)).toHaveLength(0);
  });

  it("would be throttled with a higher cap (the check above can fail)", async () => {
    h.fake().fake.setFaults({ maxConcurrent: 4, latencyMs: 40, retryAfterSeconds: 0 });
    const storage = h.storage({ maxConcurrent: 8 });
    await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => storage.stat(`records/r-${i}.json`)),
    );
    expect(h.requests().filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });
});
