// The tenant job at tenant scale, against the Graph fake over HTTPS with MSAL for Node signing in
// to the local token endpoint: a nightly purge of 1,000 users with 20 expired emails each, and of
// users with nothing to purge. Requests are counted as they leave the process (a $batch counts
// once, as Graph's throttling counts it; downloads from the storage host count too); the token
// endpoint's are not.
import { main } from "../src/tenant/cli.js";
import type { JobSummary } from "../src/tenant/job.js";
import { createEmailIndex } from "../src/services/storage/email-index.js";
import {
  createSeedingStorage,
  seededRecord,
  TEST_RETENTION_BOUNDS,
} from "../test/support/rights-stack.js";
import {
  eachUser,
  seedDeploymentGroup,
  startTenantHarness,
  type TenantHarness,
} from "../test/support/tenant-stack.js";
import type { BenchRow } from "./report.js";
import { peakMemory } from "./rights.js";

const USERS = 1000;
const EXPIRED_EACH = 20;
const QUIET_USERS = 200;
const DAY = 86_400_000;

/** One user's records, as the pane leaves them (whole record shards and their catalogue). */
async function seedUser(h: TenantHarness, id: string, n0: number, ages: number[], now: Date) {
  const user = h.addUser(id);
  if (ages.length === 0) return;
  const storage = createSeedingStorage(h.t.fake.graphBaseUrl, {
    id: user.id,
    username: user.username,
    name: user.name,
  });
  const records = ages.map((age, i) =>
    seededRecord(n0 + i, new Date(now.getTime() - age * DAY).toISOString(), { content: false }),
  );
  const index = createEmailIndex(storage);
  await index.importRecords(records);
  // As a pane's first save leaves the catalogue: it looked for the earlier layout, found none,
  // and said so in its first write (shard-catalogue.ts, noLegacy).
  await index.markMigrated();
}

/** Counts every request to the fake (Graph host and storage host) made through fetch. */
function countFakeRequests(port: number) {
  const original = globalThis.fetch;
  let count = 0;
  globalThis.fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).port === String(port)) count++;
    return original(input, init);
  };
  return {
    take: () => {
      const n = count;
      count = 0;
      return n;
    },
    restore: () => {
      globalThis.fetch = original;
    },
  };
}

async function purgeRun(h: TenantHarness, label: string, counter: { take(): number }) {
  const out: string[] = [];
  counter.take();
  const started = performance.now();
  const { result, peakMb } = await peakMemory(() =>
    main(["purge", "--json", "--fresh", "--checkpoint", `${h.dir}/${label}.jsonl`], {
      env: h.env,
      runtime: h.runtimeOptions,
      cwd: h.dir,
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: () => true },
    }),
  );
  const ms = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`tenant purge failed: ${out.join("")}`);
  const summary = JSON.parse(out.join("")) as JobSummary;
  return { summary, ms, peakMb, requests: counter.take() };
}

export async function benchTenant(): Promise<BenchRow[]> {
  const h = await startTenantHarness();
  const counter = countFakeRequests(h.t.fake.port);
  const rows: BenchRow[] = [];
  try {
    const now = new Date();
    // Saved 400–459 days ago: past the org default of 365 days (no setting stored).
    const ages = Array.from({ length: EXPIRED_EACH }, (_, i) => 400 + (i % 60));
    const ids = Array.from({ length: USERS }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
    await eachUser(ids, (id, i) => seedUser(h, id, i * 100, ages, now), 16);
    await seedDeploymentGroup(h.t, ids);

    const full = await purgeRun(h, "full", counter);
    const perMinute = USERS / (full.ms / 60_000);
    rows.push(
      {
        name: "tenant purge 1,000 users × 20 expired: minutes",
        value: Math.round((full.ms / 60_000) * 100) / 100,
        unit: "min",
        goal: 10,
        detail: `${Math.round(perMinute)} users per minute, ${full.summary.totals.purged ?? 0} emails purged, ${full.summary.users.failed} users failed, ${full.summary.users.total} users, 8 at a time`,
      },
      {
        name: "tenant purge, 20 expired: requests per user",
        value: Math.round((full.requests / USERS) * 10) / 10,
        unit: "requests",
        detail: `${full.requests} requests (group pages included)`,
      },
      {
        name: "tenant purge 1,000 users: peak memory",
        value: Math.round(full.peakMb * 10) / 10,
        unit: "MB",
        detail: "growth of heap + ArrayBuffers during the run (the fake runs in-process too)",
      },
    );

    // Nothing to purge: users whose emails are all recent, and users who never saved.
    const quiet = Array.from(
      { length: QUIET_USERS },
      (_, i) => `quiet-${String(i).padStart(4, "0")}`,
    );
    await eachUser(
      quiet,
      (id, i) => seedUser(h, id, 500_000 + i * 10, i % 2 ? [] : [1, 3, 7], now),
      16,
    );
    await seedDeploymentGroup(h.t, quiet);
    // The first night also says, once, in each catalogue that no earlier layout is left to look
    // for; the nights after it are what a quiet tenant costs every night.
    const first = await purgeRun(h, "idle", counter);
    const idle = await purgeRun(h, "idle-again", counter);
    const groupPages = Math.ceil((QUIET_USERS + 2) / 999);
    const perUser = (run: { requests: number }) =>
      Math.round(((run.requests - groupPages) / QUIET_USERS) * 100) / 100;
    rows.push({
      name: "tenant purge, nothing to purge: requests per user",
      value: perUser(idle),
      unit: "requests",
      goal: 3,
      detail:
        `${QUIET_USERS} users, half with recent emails only (org minimum retention: ` +
        `${TEST_RETENTION_BOUNDS.minDays} day), half who never saved; every night after the ` +
        `first, ${Math.round(idle.ms)} ms; the first night ${perUser(first)} a user`,
    });
  } finally {
    counter.restore();
    await h.stop();
  }
  return rows;
}
