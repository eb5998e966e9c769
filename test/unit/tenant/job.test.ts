// The tenant job's runner and its checkpoint: bounded concurrency, one failing user never stops
// the others, throttling waited out, and a restarted run skips exactly the users already done.
// @vitest-environment node
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SeptError } from "../../../src/core/errors.js";
import {
  memoryCheckpoint,
  openFileCheckpoint,
  type RunInfo,
} from "../../../src/tenant/checkpoint.js";
import { runJob } from "../../../src/tenant/job.js";
import { formatSummary, summaryJson } from "../../../src/tenant/report.js";

const RUN: RunInfo = {
  runId: "purge-1",
  command: "purge",
  now: "2026-12-01T02:00:00.000Z",
  dryRun: false,
};
const users = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `user-${i + 1}` }));
const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), "sept-tenant-"));
  dirs.push(dir);
  return join(dir, "purge.checkpoint.jsonl");
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("runJob", () => {
  it("works on at most `concurrency` users at once and visits each user once", async () => {
    let active = 0;
    let peak = 0;
    const visits: string[] = [];
    const summary = await runJob({
      users: [...users(20), { id: "user-3" }],
      checkpoint: memoryCheckpoint(RUN),
      concurrency: 3,
      perform: async (user) => {
        visits.push(user.id);
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return { counts: { purged: 2 } };
      },
    });
    expect(peak).toBe(3);
    expect(visits.sort()).toEqual(
      users(20)
        .map((u) => u.id)
        .sort(),
    );
    expect(summary.users).toEqual({ total: 20, done: 20, failed: 0, skipped: 0 });
    expect(summary.totals).toEqual({ purged: 40 });
  });

  it("reports a failing user with its reason and carries on with the others", async () => {
    const summary = await runJob({
      users: users(5),
      checkpoint: memoryCheckpoint(RUN),
      perform: async (user) => {
        if (user.id === "user-2") {
          throw new SeptError("access_denied", { message: "Graph 403 accessDenied: app folder" });
        }
        return { counts: { purged: 1 } };
      },
    });
    expect(summary.users).toMatchObject({ done: 4, failed: 1 });
    expect(summary.failures).toEqual([
      { user: "user-2", code: "access_denied", message: "Graph 403 accessDenied: app folder" },
    ]);
    const text = formatSummary(summary, "en");
    expect(text).toContain("user-2");
    expect(text).toContain("access_denied");
    expect(JSON.parse(summaryJson(summary)).failures[0].user).toBe("user-2");
  });

  it("waits out throttling that outlasted the client's retries, then finishes the user", async () => {
    let calls = 0;
    const summary = await runJob({
      users: users(1),
      checkpoint: memoryCheckpoint(RUN),
      retryDelayMs: 1,
      perform: async () => {
        calls++;
        if (calls < 3) {
          throw new SeptError("throttled", { retryable: true, params: { seconds: 0 } });
        }
        return { counts: { purged: 1 } };
      },
    });
    expect(summary.users.done).toBe(1);
    expect(summary.outcomes[0]?.attempts).toBe(3);
  });

  it("does not retry a refusal", async () => {
    let calls = 0;
    const summary = await runJob({
      users: users(1),
      checkpoint: memoryCheckpoint(RUN),
      retryDelayMs: 1,
      perform: async () => {
        calls++;
        throw new SeptError("access_denied");
      },
    });
    expect(calls).toBe(1);
    expect(summary.users.failed).toBe(1);
  });

  it("resumes a stopped run: finished users are skipped, the rest done once, on the first clock", async () => {
    const path = tempFile();
    const controller = new AbortController();
    const firstVisits: string[] = [];
    const first = await runJob({
      users: users(10),
      checkpoint: openFileCheckpoint(path, RUN),
      concurrency: 2,
      signal: controller.signal,
      perform: async (user) => {
        firstVisits.push(user.id);
        if (firstVisits.length === 4) controller.abort();
        return { counts: { purged: 1 } };
      },
    });
    expect(first.interrupted).toBe(true);
    const doneFirst = first.outcomes.map((o) => o.user);
    expect(doneFirst.length).toBeGreaterThan(0);

    const later: RunInfo = { ...RUN, runId: "purge-2", now: "2026-12-02T02:00:00.000Z" };
    const resumed = openFileCheckpoint(path, later);
    expect(resumed.resumed).toBe(true);
    expect(resumed.run.now).toBe(RUN.now);
    const secondVisits: string[] = [];
    const second = await runJob({
      users: users(10),
      checkpoint: resumed,
      perform: async (user) => {
        secondVisits.push(user.id);
        return { counts: { purged: 1 } };
      },
    });
    expect(second.interrupted).toBe(false);
    expect(second.users.skipped).toBe(doneFirst.length);
    expect([...doneFirst, ...secondVisits].sort()).toEqual(
      users(10)
        .map((u) => u.id)
        .sort(),
    );
    expect(secondVisits.filter((u) => doneFirst.includes(u))).toEqual([]);

    // Finished: the next run of the command starts afresh, with its own clock.
    const next = openFileCheckpoint(path, later);
    expect(next.resumed).toBe(false);
    expect(next.run.now).toBe(later.now);
  });

  it("tries failed users again on resume, and survives a half-written last line", async () => {
    const path = tempFile();
    const checkpoint = openFileCheckpoint(path, RUN);
    await checkpoint.record({
      user: "user-1",
      status: "done",
      counts: {},
      attempts: 1,
      durationMs: 1,
      finishedAt: RUN.now,
    });
    await checkpoint.record({
      user: "user-2",
      status: "failed",
      counts: {},
      attempts: 3,
      durationMs: 1,
      finishedAt: RUN.now,
      error: { code: "throttled", message: "", retryable: true },
    });
    appendFileSync(path, '{"type":"user","outcome":{"user":"user-3","sta');
    const resumed = openFileCheckpoint(path, { ...RUN, runId: "other" });
    expect([...(await resumed.finished()).keys()]).toEqual(["user-1"]);
    expect(readFileSync(path, "utf8")).toContain('"runId":"purge-1"');
  });

  it("keeps no checkpoint for a dry run", async () => {
    const path = tempFile();
    const checkpoint = openFileCheckpoint(path, { ...RUN, dryRun: true });
    await checkpoint.record({
      user: "user-1",
      status: "done",
      counts: {},
      attempts: 1,
      durationMs: 1,
      finishedAt: RUN.now,
    });
    expect(() => readFileSync(path)).toThrow();
  });
});
