// The Azure Functions app's handlers, called directly with the library's own InvocationContext,
// over Azurite (queue and table, started and stopped here) and the Graph fake: the timer only
// enqueues, 200 users are handled by two concurrent workers each exactly once, a worker killed
// mid-user leaves its message to reappear and nothing is done twice, and privacy-office requests
// over HTTP.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { HttpRequest, InvocationContext, type Timer } from "@azure/functions";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordPath } from "../../../src/services/storage/layout.js";
import { createTenantHandlers, nightlyRunId } from "../../../src/tenant/functions/handlers.js";
import { runQueueWorker } from "../../../src/tenant/functions/queue-worker.js";
import {
  enqueueUsers,
  poisonQueue,
  RunStore,
  userQueue,
} from "../../../src/tenant/functions/run-store.js";
import type { TenantRuntime } from "../../../src/tenant/runtime.js";
import { startAzurite, type TestAzurite } from "../../support/azurite.js";
import {
  eachUser,
  seedDeploymentGroup,
  seedMailbox,
  startTenantHarness,
  type SeededMailbox,
  type TenantHarness,
} from "../../support/tenant-stack.js";

let h: TenantHarness;
let azurite: TestAzurite;
let runtime: Promise<TenantRuntime>;
beforeAll(async () => {
  [h, azurite] = await Promise.all([startTenantHarness(), startAzurite()]);
  runtime = h.runtime();
});
afterAll(async () => {
  await Promise.all([h.stop(), azurite.stop()]);
});

const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: "", next: "", lastUpdated: "" },
};
const context = (name: string) =>
  new InvocationContext({ functionName: name, logHandler: () => undefined });

function handlers(now: Date) {
  return createTenantHandlers({
    runtime: () => runtime,
    store: RunStore.fromConnectionString(azurite.connectionString),
    queue: userQueue(azurite.connectionString),
    nightlyCommands: ["purge"],
    now: () => now,
  });
}

async function expectPurgedOnce(seeded: SeededMailbox[]): Promise<void> {
  await eachUser(seeded, async (mailbox) => {
    const pane = h.pane(mailbox.user);
    expect((await pane.index.entries({ fresh: true })).map((e) => e.savedId).sort()).toEqual(
      [...mailbox.kept].sort(),
    );
    const purged = (await pane.activity.list()).filter((e) => e.kind === "email_purged");
    expect(purged.map((e) => e.refs.savedId).sort(), mailbox.user.id).toEqual(
      [...mailbox.expired].sort(),
    );
    expect((await pane.activity.verify()).ok).toBe(true);
  });
}
const SLOW = 150_000;

describe("tenant job on Azure Functions (Azurite)", () => {
  it(
    "fans 200 users out: the timer only enqueues, two workers handle each user once",
    async () => {
      const now = new Date("2026-12-01T02:00:00.000Z");
      const ids = Array.from({ length: 200 }, (_, i) => `eps-${String(i).padStart(3, "0")}`);
      // Every tenth user has stored emails; the others never saved anything.
      const seeded = await eachUser(ids, async (id, i) => {
        const user = h.addUser(id);
        if (i % 10 !== 0) return null;
        return seedMailbox(h, user, { retentionDays: 30, ages: [2, 40, 90], firstN: i * 10, now });
      });
      await seedDeploymentGroup(h.t, ids);
      const fn = handlers(now);

      h.t.fake.clearRequests();
      await fn.nightly(timer, context("tenantNightly"));
      // The timer visits nobody: its only Graph requests are the group's member pages.
      const timerRequests = h.t.fake.requests();
      expect(timerRequests.length).toBeGreaterThan(0);
      expect(timerRequests.every((r) => /\/groups\/[^/]+\/members$/.test(r.path))).toBe(true);
      const queue = userQueue(azurite.connectionString);
      expect((await queue.getProperties()).approximateMessagesCount).toBe(200);

      const calls = new Map<string, number>();
      const counted = async (message: unknown, ctx: InvocationContext) => {
        const text = Buffer.from(String(message), "base64").toString("utf8");
        const user = (JSON.parse(text) as { user: { id: string } }).user.id;
        calls.set(user, (calls.get(user) ?? 0) + 1);
        await fn.user(message, ctx);
      };
      const worker = () =>
        runQueueWorker({
          queue,
          poison: poisonQueue(azurite.connectionString),
          handler: counted,
          concurrency: 8,
          visibilityTimeoutSeconds: 60,
          idleStopMs: 1500,
          pollMs: 200,
        });
      const [a, b] = await Promise.all([worker(), worker()]);
      expect(a.handled).toBeGreaterThan(0);
      expect(b.handled).toBeGreaterThan(0);
      expect(a.handled + b.handled).toBe(200);
      expect([...calls.keys()].sort()).toEqual(ids);
      expect([...calls.values()].every((n) => n === 1)).toBe(true);

      const summary = await RunStore.fromConnectionString(azurite.connectionString).summary(
        nightlyRunId("purge", now),
      );
      expect(summary).toMatchObject({ enqueued: 200, users: { done: 200, failed: 0, running: 0 } });
      await expectPurgedOnce(seeded.filter((s): s is SeededMailbox => s !== null));

      // The timer firing again the same night: every message finds its user done.
      await fn.nightly(timer, context("tenantNightly"));
      calls.clear();
      h.t.fake.clearRequests();
      await worker();
      expect(calls.size).toBe(200);
      expect(h.t.fake.requests().filter((r) => r.path.includes("/drive"))).toEqual([]);
    },
    SLOW,
  );

  it(
    "a worker killed mid-user leaves the message to reappear, and nothing is done twice",
    async () => {
      const now = new Date("2026-12-03T02:00:00.000Z");
      const user = h.addUser("zeta-001");
      const ages = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 3 : 50 + i));
      const seeded = await seedMailbox(h, user, { retentionDays: 30, ages, firstN: 5000, now });
      expect(seeded.expired.length).toBe(30);
      const store = RunStore.fromConnectionString(azurite.connectionString);
      const run = await store.openRun({
        runId: nightlyRunId("purge", now),
        command: "purge",
        now: now.toISOString(),
        dryRun: false,
      });
      const queue = userQueue(azurite.connectionString);
      await enqueueUsers(queue, run, [{ id: user.id }]);

      const caFile = join(h.dir, "ca-worker.pem");
      writeFileSync(caFile, h.t.ca);
      h.t.fake.clearRequests();
      // Slow Graph, so the worker is surely in the middle of this user when it is killed.
      h.t.fake.setFaults({ latencyMs: 60 });
      const child = spawn(process.execPath, ["--import", "tsx", "src/tenant/cli.ts", "worker"], {
        env: {
          ...process.env,
          ...h.env,
          NODE_EXTRA_CA_CERTS: caFile,
          AzureWebJobsStorage: azurite.connectionString,
          SEPT_TENANT_CONCURRENCY: "1",
          SEPT_TENANT_VISIBILITY_SECONDS: "3",
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let printed = "";
      child.stderr.on("data", (c: Buffer) => (printed += c.toString()));
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      // Killed once its first deletes for this user have gone out.
      const deadline = Date.now() + 60_000;
      while (!h.t.fake.requests().some((r) => r.method === "DELETE" && r.path.includes(user.id))) {
        if (Date.now() > deadline)
          throw new Error(`the worker never started deleting:\n${printed}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGKILL");
      await exited;
      h.t.fake.setFaults({});
      expect(await store.user(run.runId, user.id)).toMatchObject({
        status: "running",
        attempts: 1,
      });

      // The message is still hidden; it reappears when the dead worker's visibility runs out.
      const fn = handlers(now);
      const stats = await runQueueWorker({
        queue,
        poison: poisonQueue(azurite.connectionString),
        handler: fn.user,
        visibilityTimeoutSeconds: 30,
        idleStopMs: 6000,
        pollMs: 250,
      });
      expect(stats).toEqual({ handled: 1, failed: 0, poisoned: 0 });
      const row = await store.user(run.runId, user.id);
      expect(row).toMatchObject({ status: "done", attempts: 2 });
      await expectPurgedOnce([seeded]);
      for (const savedId of seeded.expired) {
        expect(await h.pane(user).storage.stat(recordPath(savedId))).toBeNull();
      }
    },
    SLOW,
  );

  it("answers privacy-office requests over HTTP: export returns the ZIP, bad input is a 400", async () => {
    const user = h.addUser("eta-001");
    await seedMailbox(h, user, { retentionDays: 365, ages: [1, 2], firstN: 9000, now: new Date() });
    const fn = handlers(new Date());
    const exported = await fn.privacy(
      new HttpRequest({
        method: "POST",
        url: "https://sept-tenant.example/api/privacy/export",
        params: { action: "export" },
        body: {
          string: JSON.stringify({
            user: user.username,
            reference: "PO-7",
            recordedBy: "dpo@contoso-build.example",
          }),
        },
      }),
      context("tenantPrivacy"),
    );
    expect(exported.status).toBe(200);
    expect(exported.headers).toMatchObject({ "Content-Type": "application/zip" });
    const files = unzipSync(exported.body as Uint8Array);
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as {
      counts: { emails: number };
    };
    expect(manifest.counts.emails).toBe(2);

    const refused = await fn.privacy(
      new HttpRequest({
        method: "POST",
        url: "https://sept-tenant.example/api/privacy/delete",
        params: { action: "delete" },
        body: { string: JSON.stringify({ user: "../../etc", reference: "PO-8", recordedBy: "x" }) },
      }),
      context("tenantPrivacy"),
    );
    expect(refused.status).toBe(400);
    expect((await h.pane(user).index.entries({ fresh: true })).length).toBe(2);
  });
});
