// `npm run tenant -- purge` against the Graph fake with 50 users of the deployment group, real
// MSAL for Node (client secret, local token endpoint) and app-only Graph: exactly the expired
// emails go, one purge event each, every user's log still verifies, and each user's own pane then
// sees the same state. Then the same under 20 % injected 429/503 answers.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purgeExpired } from "../../../src/services/rights/purge.js";
import { contentPath, recordPath } from "../../../src/services/storage/layout.js";
import { seededEml } from "../../support/rights-stack.js";
import { listGroupUsers } from "../../../src/adapters/graph/directory.js";
import { createGraphClient } from "../../../src/adapters/graph/graph-client.js";
import { createRequestLimiter } from "../../../src/adapters/graph/request-limiter.js";
import { main } from "../../../src/tenant/cli.js";
import type { JobSummary } from "../../../src/tenant/job.js";
import {
  eachUser,
  GROUP_ID,
  seedDeploymentGroup,
  seedMailbox,
  startTenantHarness,
  type SeededMailbox,
  type TenantHarness,
} from "../../support/tenant-stack.js";

let h: TenantHarness;
beforeAll(async () => {
  h = await startTenantHarness();
});
afterAll(() => h.stop());

/** Text sinks that keep what the CLI printed. */
function sinks() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
    },
  };
}

const RETENTIONS = [30, 90, 365];
/** Ages in days (never exactly a retention period, so "expired" is never a matter of ms). */
const AGE_SETS = [[], [5], [10, 45, 100], [40, 200, 400, 2], [95, 370, 29, 31, 1]];

async function seedTenant(prefix: string, count: number, now: Date): Promise<SeededMailbox[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
  const seeded = await eachUser(ids, (id, i) =>
    seedMailbox(h, h.addUser(id), {
      retentionDays: RETENTIONS[i % RETENTIONS.length]!,
      ages: AGE_SETS[i % AGE_SETS.length]!,
      firstN: i * 10,
      now,
    }),
  );
  await seedDeploymentGroup(h.t, ids);
  return seeded;
}

/** What each user's own pane sees afterwards, checked against what was expired and kept. */
async function expectPurged(seeded: SeededMailbox[], now: Date): Promise<void> {
  await eachUser(seeded, async (mailbox) => {
    const pane = h.pane(mailbox.user);
    const listed = (await pane.index.entries({ fresh: true })).map((e) => e.savedId).sort();
    expect(listed, mailbox.user.id).toEqual([...mailbox.kept].sort());
    for (const savedId of mailbox.expired) {
      expect(await pane.storage.stat(recordPath(savedId)), savedId).toBeNull();
      expect(await pane.storage.stat(contentPath(savedId)), savedId).toBeNull();
    }
    const purged = (await pane.activity.list()).filter((e) => e.kind === "email_purged");
    expect(purged.map((e) => e.refs.savedId).sort(), mailbox.user.id).toEqual(
      [...mailbox.expired].sort(),
    );
    const verdict = await pane.activity.verify();
    expect(verdict.ok, `${mailbox.user.id}: ${JSON.stringify(verdict)}`).toBe(true);
    // The pane's own purge, at the same instant, finds nothing left to do.
    const again = await purgeExpired(
      {
        storage: pane.storage,
        index: pane.index,
        activity: pane.activity,
        retention: async () => (await pane.settings.read()).effective,
      },
      { now },
    );
    expect(again.purged).toEqual([]);
  });
}

describe("tenant purge", () => {
  it("purges exactly the expired emails of the group's 50 users, one event each", async () => {
    const now = new Date();
    const seeded = await seedTenant("alpha", 50, now);
    const expectedPurged = seeded.reduce((n, s) => n + s.expired.length, 0);
    expect(expectedPurged).toBeGreaterThan(20);
    h.t.fake.clearRequests();

    const { out, err, io } = sinks();
    const result = await main(["purge", "--json"], {
      ...io,
      env: h.env,
      runtime: h.runtimeOptions,
      cwd: h.dir,
    });
    expect(result.exitCode, err.join("")).toBe(0);
    const summary = JSON.parse(out.join("")) as JobSummary;
    expect(summary.users).toMatchObject({ total: 50, done: 50, failed: 0 });
    expect(summary.totals.purged).toBe(expectedPurged);
    // Progress was printed as it went: one line per user.
    expect(err.join("").match(/^\[\d+\/50\]/gm)).toHaveLength(50);

    // App-only all the way: no request of the job used /me.
    expect(h.t.fake.requests().some((r) => r.path.startsWith("/v1.0/me"))).toBe(false);
    await expectPurged(seeded, now);
    // 50 users' seeding, run and checks: minutes on a loaded machine, so more than the default.
  }, 240_000);

  it("resumes a run killed halfway: nothing missed, no event written twice", async () => {
    const now = new Date();
    const seeded = await seedTenant("delta", 24, now);
    const checkpoint = join(h.dir, "delta.checkpoint.jsonl");
    const caFile = join(h.dir, "ca.pem");
    writeFileSync(caFile, h.t.ca);
    // Slow enough that the kill lands with users in the middle of their purge.
    h.t.fake.setFaults({ latencyMs: 15 });
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/tenant/cli.ts", "purge", "--checkpoint", checkpoint],
      {
        env: { ...process.env, ...h.env, NODE_EXTRA_CA_CERTS: caFile },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let printed = "";
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once("exit", (_code, signal) => resolve(signal)),
    );
    child.stderr.on("data", (chunk: Buffer) => {
      printed += chunk.toString();
      // A hard kill (no signal handler runs) once some users are through.
      if ((printed.match(/^\[\d+\/24\]/gm) ?? []).length >= 8) child.kill("SIGKILL");
    });
    expect(await exited, printed).toBe("SIGKILL");
    h.t.fake.setFaults({});
    const finishedBefore = readFileSync(checkpoint, "utf8")
      .split("\n")
      .filter((l) => l.includes('"status":"done"')).length;
    expect(finishedBefore).toBeGreaterThanOrEqual(8);
    expect(finishedBefore).toBeLessThan(24);

    const { out, err, io } = sinks();
    const result = await main(["purge", "--json", "--checkpoint", checkpoint], {
      ...io,
      env: h.env,
      runtime: h.runtimeOptions,
      cwd: h.dir,
    });
    expect(result.exitCode, err.join("")).toBe(0);
    const summary = JSON.parse(out.join("")) as JobSummary;
    expect(summary.resumed).toBe(true);
    expect(summary.users.skipped).toBe(finishedBefore);
    expect(summary.users.done).toBe(24 - finishedBefore);
    await expectPurged(seeded, now);
  });

  it("loses nothing when 20 % of Graph's answers are 429 or 503", async () => {
    const now = new Date();
    const seeded = await seedTenant("beta", 20, now);
    h.t.fake.setFaults({ seed: 13, rate429: 0.1, rate503: 0.1, retryAfterSeconds: 0 });
    h.t.fake.clearRequests();
    const { out, err, io } = sinks();
    const result = await main(["purge", "--json", "--checkpoint", `${h.dir}/beta.jsonl`], {
      ...io,
      env: h.env,
      runtime: h.runtimeOptions,
      cwd: h.dir,
    });
    const faulted = h.t.fake.requests().filter((r) => r.status === 429 || r.status === 503);
    h.t.fake.setFaults({});
    expect(faulted.length).toBeGreaterThan(20);
    expect(result.exitCode, err.join("")).toBe(0);
    const summary = JSON.parse(out.join("")) as JobSummary;
    expect(summary.users).toMatchObject({ done: 20, failed: 0 });
    await expectPurged(seeded, now);
  });
});

describe("a night with nothing to purge", () => {
  it("reads the catalogue and the settings of a user with recent emails only, no record", async () => {
    const now = new Date();
    const recent = h.addUser("omicron-000");
    // Recent saves only (2 and 5 days), past the org's shortest retention (1 day), not the user's.
    await seedMailbox(h, recent, { retentionDays: 30, ages: [2, 5], firstN: 8000, now });
    // As the pane's first save leaves the catalogue: no earlier layout to look for.
    await h.pane(recent).index.markMigrated();
    const never = h.addUser("omicron-001");
    await seedDeploymentGroup(h.t, [recent.id, never.id]);
    h.t.fake.clearRequests();
    const result = await main(["purge", "--json"], {
      ...sinks().io,
      env: h.env,
      runtime: h.runtimeOptions,
      cwd: h.dir,
    });
    expect(result.exitCode).toBe(0);
    const of = (id: string) =>
      h.t.fake
        .requests()
        .map((r) => `${r.method} ${decodeURIComponent(r.path)}`)
        .filter((r) => r.includes(`/users/${id}/`))
        .map((r) => r.replace(/\/v1\.0\/users\/[^/]+\/drive\/special\//, ""));
    // The catalogue says a save is older than a day: the settings say none is older than 30.
    expect(of(recent.id)).toEqual([
      "GET approot:/records/catalogue.json",
      "GET approot:/settings.json",
    ]);
    // No catalogue: the app folder is looked at (is there a OneDrive?) and the earlier layout's
    // index (emails saved by earlier versions); no setting and no record is read.
    expect(of(never.id)).toEqual([
      "GET approot:/records/catalogue.json",
      "GET approot",
      "GET approot:/index:/children",
    ]);
  });
});

describe("tenant dry runs, repair and failing users", () => {
  it("purge --dry-run lists what would go and changes nothing", async () => {
    const now = new Date();
    const seeded = await seedTenant("theta", 5, now);
    const before = await Promise.all(
      seeded.map(async (m) => (await h.pane(m.user).storage.list("emails")).length),
    );
    const { out, io } = sinks();
    const result = await main(["purge", "--dry-run", "--json"], {
      ...io,
      env: h.env,
      runtime: h.runtimeOptions,
      cwd: h.dir,
    });
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(out.join("")) as JobSummary;
    expect(summary.dryRun).toBe(true);
    for (const mailbox of seeded) {
      const outcome = summary.outcomes.find((o) => o.user === mailbox.user.id);
      expect([...(outcome?.items ?? [])].sort(), mailbox.user.id).toEqual(
        [...mailbox.expired].sort(),
      );
    }
    const after = await Promise.all(
      seeded.map(async (m) => (await h.pane(m.user).storage.list("emails")).length),
    );
    expect(after).toEqual(before);
  });

  it("repair finishes what a crash left, as the pane's reconcile would", async () => {
    const now = new Date();
    const user = h.addUser("iota-000");
    await seedMailbox(h, user, { retentionDays: 365, ages: [1, 2, 3], firstN: 7000, now });
    const pane = h.pane(user);
    // Seeded records have no `email_saved` event: what a crash between a save's commit (its
    // record in its shard) and its event leaves; and an .eml whose save never wrote its record.
    const index = await pane.index.entries({ fresh: true });
    const dropped = index[0]!;
    await pane.storage.write(contentPath("f".repeat(32)), seededEml(999));

    const dry = await main(["repair", "--dry-run", "--user", user.id, "--json"], {
      ...sinks().io,
      env: h.env,
      runtime: h.runtimeOptions,
      cwd: h.dir,
    });
    expect(dry.summary?.totals).toMatchObject({ repaired: 3, removedOrphans: 0 });
    expect((await h.pane(user).activity.list()).filter((e) => e.kind === "email_saved")).toEqual(
      [],
    );

    const result = await main(["repair", "--user", user.id, "--json", "--fresh"], {
      ...sinks().io,
      env: h.env,
      runtime: h.runtimeOptions,
      cwd: h.dir,
    });
    expect(result.exitCode).toBe(0);
    // The orphan is younger than the 10-minute grace: a save may still be running, so it stays.
    expect(result.summary?.totals).toMatchObject({ repaired: 3, removedOrphans: 0 });
    expect(await pane.storage.stat(contentPath("f".repeat(32)))).not.toBeNull();
    const fresh = h.pane(user);
    expect((await fresh.index.entries({ fresh: true })).map((e) => e.savedId)).toContain(
      dropped.savedId,
    );
    expect((await fresh.activity.verify()).ok).toBe(true);
  });

  it("reports a user whose folder is refused, and finishes everyone else", async () => {
    const now = new Date();
    const seeded = await seedTenant("kappa", 4, now);
    const refused = seeded[1]!.user.id;
    h.t.fake.setFaults({
      queue: [{ status: 403, match: `/users/${refused}/`, times: 1000 }],
    });
    const { out, io } = sinks();
    const result = await main(["purge", "--json", "--fresh"], {
      ...io,
      env: h.env,
      runtime: h.runtimeOptions,
      cwd: h.dir,
    });
    h.t.fake.setFaults({});
    expect(result.exitCode).toBe(1);
    const summary = JSON.parse(out.join("")) as JobSummary;
    expect(summary.users).toMatchObject({ total: 4, done: 3, failed: 1 });
    expect(summary.failures).toEqual([
      // Every request for that user is refused: its app folder is, and the report says so.
      expect.objectContaining({ user: refused, code: "app_folder_refused" }),
    ]);
    await expectPurged(
      seeded.filter((m) => m.user.id !== refused),
      now,
    );
  });

  it("lists the deployment group's users page by page, skipping other members", async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `lambda-${i}`);
    for (const id of ids) h.addUser(id);
    await seedDeploymentGroup(h.t, ids);
    const runtime = await h.runtime();
    const users = await listGroupUsers(runtime.client, GROUP_ID, {
      limiter: createRequestLimiter(4),
      pageSize: 2,
    });
    expect(users.map((u) => u.id)).toEqual(ids);
    // Without GroupMember.Read.All the directory refuses, and the job says so.
    const bare = createGraphClient({
      graphBaseUrl: h.t.fake.graphBaseUrl,
      auth: {
        getAccessToken: async () => h.t.appToken(["Files.ReadWrite.AppFolder"]),
        clearCache: async () => undefined,
        account: async () => null,
      },
      scopes: [".default"],
    });
    await expect(
      listGroupUsers(bare, GROUP_ID, { limiter: createRequestLimiter(4) }),
    ).rejects.toMatchObject({ code: "access_denied" });
  });
});
