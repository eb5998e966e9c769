// Contract §5 and the fake's switches: queued and random faults, throttling bodies, drops,
// 403 on the app folder, quota, concurrency, latency, and the admin endpoints.
import { describe, expect, it } from "vitest";
import type { FaultConfig } from "../../../dev/graph-fake/types.js";
import { useTestFake } from "../../support/use-test-fake.js";

const t = useTestFake();

async function code(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe("faults", () => {
  it("serves queued 429s with Retry-After, then succeeds", async () => {
    t.fake.setFaults({
      queue: [{ status: 429, match: "approot", times: 2, retryAfterSeconds: 1 }],
    });
    for (let i = 0; i < 2; i++) {
      const res = await t.fetch("/me/drive/special/approot");
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(await code(res)).toBe("activityLimitReached");
    }
    expect((await t.fetch("/me/drive/special/approot")).status).toBe(200);
  });

  it("uses TooManyRequests for mail throttling", async () => {
    t.fake.setFaults({ queue: [{ status: 429, match: "^GET /v1\\.0/me/messages" }] });
    const res = await t.fetch("/me/messages?$top=1");
    expect(res.status).toBe(429);
    expect(await code(res)).toBe("TooManyRequests");
    expect(res.headers.get("retry-after")).not.toBeNull();
  });

  it("answers 503 serviceNotAvailable without Retry-After and 504 gatewayTimeout", async () => {
    t.fake.setFaults({ queue: [{ status: 503 }, { status: 504 }] });
    const a = await t.fetch("/me");
    expect(a.status).toBe(503);
    expect(a.headers.get("retry-after")).toBeNull();
    expect(await code(a)).toBe("serviceNotAvailable");
    const b = await t.fetch("/me");
    expect(b.status).toBe(504);
    expect(await code(b)).toBe("gatewayTimeout");
  });

  it("drops the connection without a response", async () => {
    t.fake.setFaults({ queue: [{ status: "drop" }] });
    await expect(t.fetch("/me")).rejects.toThrow();
    expect(t.fake.requests().at(-1)?.status).toBe(0);
    expect((await t.fetch("/me")).status).toBe(200);
  });

  it("answers 403 accessDenied on every drive request with approotForbidden", async () => {
    t.fake.setFaults({ approotForbidden: true });
    for (const path of [
      "/me/drive/special/approot",
      "/me/drive",
      "/me/drive/special/approot/children",
    ]) {
      const res = await t.fetch(path);
      expect(res.status, path).toBe(403);
      expect(await code(res)).toBe("accessDenied");
    }
    expect((await t.fetch("/me")).status).toBe(200);
  });

  it("answers 507 quotaLimitReached on writes with quotaFull", async () => {
    t.fake.setFaults({ quotaFull: true });
    const res = await t.fetch("/me/drive/special/approot:/x.txt:/content", {
      method: "PUT",
      body: "x",
    });
    expect(res.status).toBe(507);
    expect(await code(res)).toBe("quotaLimitReached");
    expect((await t.fetch("/me/drive/special/approot")).status).toBe(200);
  });

  it("answers 429 ApplicationThrottled above maxConcurrent requests per user", async () => {
    t.fake.setFaults({ maxConcurrent: 2, latencyMs: 150, retryAfterSeconds: 1 });
    const results = await Promise.all([1, 2, 3].map(() => t.fetch("/me")));
    const throttled = results.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(1);
    const body = (await throttled[0]!.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("ApplicationThrottled");
    expect(body.error.message).toBe("Application is over its MailboxConcurrency limit.");
  });

  it("makes random faults reproducible with a seed", async () => {
    const run = async (cfg: FaultConfig) => {
      t.fake.setFaults(cfg);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await t.fetch("/me")).status);
      return statuses;
    };
    const cfg = { seed: 7, rate429: 0.3, rate503: 0.2, retryAfterSeconds: 0 };
    const first = await run(cfg);
    const second = await run(cfg);
    expect(first).toEqual(second);
    expect(first).toContain(429);
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run({ ...cfg, seed: 8 })).not.toEqual(first);
  });

  it("limits random faults to requests matching `match`", async () => {
    t.fake.setFaults({ rate503: 1, match: "^GET /v1\\.0/me/drive" });
    expect((await t.fetch("/me")).status).toBe(200);
    expect((await t.fetch("/me/drive")).status).toBe(503);
  });

  it("adds latency", async () => {
    t.fake.setFaults({ latencyMs: 200 });
    const started = Date.now();
    await t.fetch("/me");
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("serves a queued 401 to simulate an expired token", async () => {
    t.fake.setFaults({ queue: [{ status: 401 }] });
    const res = await t.fetch("/me");
    expect(res.status).toBe(401);
    expect(await code(res)).toBe("InvalidAuthenticationToken");
  });
});

describe("admin endpoints", () => {
  it("GET/PUT /_fake/faults round-trips the config and rejects bad regexes", async () => {
    const put = await t.fetch("/_fake/faults", {
      method: "PUT",
      auth: false,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ rate429: 0.5, queue: [{ status: 503, times: 2 }] }),
    });
    expect(put.status).toBe(200);
    const got = await (await t.fetch("/_fake/faults", { auth: false })).json();
    expect(got).toEqual({ rate429: 0.5, queue: [{ status: 503, times: 2 }] });
    const bad = await t.fetch("/_fake/faults", {
      method: "PUT",
      auth: false,
      body: JSON.stringify({ match: "(" }),
    });
    expect(bad.status).toBe(400);
  });

  it("GET/DELETE /_fake/requests expose and clear the log, and admin calls are not logged", async () => {
    await t.fetch("/me");
    const log = (await (await t.fetch("/_fake/requests", { auth: false })).json()) as Array<{
      path: string;
    }>;
    expect(log.map((r) => r.path)).toEqual(["/v1.0/me"]);
    expect((await t.fetch("/_fake/requests", { method: "DELETE", auth: false })).status).toBe(204);
    expect(t.fake.requests()).toEqual([]);
  });

  it("POST /_fake/reset wipes the drive but keeps the mailbox", async () => {
    await t.fetch("/me/drive/special/approot:/r.txt:/content", { method: "PUT", body: "r" });
    const before = t.fake.mailbox().length;
    expect((await t.fetch("/_fake/reset", { method: "POST", auth: false })).status).toBe(204);
    expect((await t.fetch("/me/drive/special/approot:/r.txt")).status).toBe(404);
    expect(t.fake.mailbox()).toHaveLength(before);
  });

  it("GET /_fake/health reports the URLs", async () => {
    const health = (await (await t.fetch("/_fake/health", { auth: false })).json()) as Record<
      string,
      unknown
    >;
    expect(health).toMatchObject({ ok: true, url: t.fake.url, graphBaseUrl: t.fake.graphBaseUrl });
  });
});
