// The tenant job against the Graph fake, for the tenant tests and the bench: the fake with many
// users, the local token endpoint MSAL for Node signs in to, an org policy file, the tenant
// runtime built from the same environment variables an admin sets, and each user's own pane
// (delegated, `/me/drive`) to seed data and to look at the result as the user would.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DevUser } from "../../src/adapters/auth/dev-token-provider.js";
import { retentionDays, type RetentionSetting } from "../../src/core/retention.js";
import type { StoredEmailRecord } from "../../src/core/stored-email.js";
import { readTenantConfig, type Env } from "../../src/tenant/config.js";
import { createTenantRuntime, type RuntimeOptions } from "../../src/tenant/runtime.js";
import { createStorageConsentLedger } from "../../src/services/storage/consent-ledger.js";
import { createEmailIndex } from "../../src/services/storage/email-index.js";
import { createSettingsService } from "../../src/services/storage/settings.js";
import {
  startTestFake,
  testCertificate,
  trustCertificateGlobally,
  type TestFake,
} from "./graph-fake.js";
import { createPaneStack } from "./pane-stack.js";
import {
  createSeedingStorage,
  seedStoredEmails,
  seededRecord,
  TEST_RETENTION_BOUNDS,
} from "./rights-stack.js";
import { startTokenEndpoint, type TokenEndpoint } from "./token-endpoint.js";

export const TENANT_ID = "7d3c1f6e-2b1a-4c8e-9f0d-5a6b7c8d9e0f";
export const CLIENT_ID = "6f1c3a52-5e0b-4c39-9d8e-2b7a1f0c9e41";
export const CLIENT_SECRET = "tenant-job-test-secret";
export const GROUP_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
/** What an admin grants the job: the app folder, and reading the deployment group's members. */
export const APP_ROLES = ["Files.ReadWrite.AppFolder", "GroupMember.Read.All"];
const DAY = 86_400_000;

export interface TenantHarness {
  t: TestFake;
  tokens: TokenEndpoint;
  /** The environment an admin would set for the job. */
  env: Env;
  dir: string;
  /** Retries short enough for tests; the limits (4 per mailbox) as in production. */
  runtimeOptions: RuntimeOptions;
  runtime(): ReturnType<typeof createTenantRuntime>;
  /** Seeds a user (own mailbox and OneDrive) and returns their pane identity. */
  addUser(id: string): DevUser;
  /** One user's pane, as composition.ts wires it (delegated token, `/me/drive`). */
  pane(user: DevUser): ReturnType<typeof paneFor>;
  stop(): Promise<void>;
}

function paneFor(graphBaseUrl: string, user: DevUser) {
  const stack = createPaneStack({
    graphBaseUrl,
    user,
    storage: { innerRetry: { delaySeconds: 0.05 }, transferRetry: { delaySeconds: 0.05 } },
    graphRetry: { delaySeconds: 0, maxRetries: 5 },
  });
  const settings = createSettingsService({
    storage: stack.storage,
    activity: stack.activity,
    bounds: TEST_RETENTION_BOUNDS,
  });
  return {
    ...stack,
    index: createEmailIndex(stack.storage),
    ledger: createStorageConsentLedger(stack.storage),
    settings,
  };
}

export async function startTenantHarness(
  options: { roles?: string[]; fake?: Parameters<typeof startTestFake>[0] } = {},
): Promise<TenantHarness> {
  const t = await startTestFake({ seedLarge: false, ...options.fake });
  const tls = await testCertificate();
  trustCertificateGlobally(tls.ca);
  const tokens = await startTokenEndpoint({
    tls,
    tenantId: TENANT_ID,
    apps: [{ clientId: CLIENT_ID, secret: CLIENT_SECRET }],
    mint: () => t.appToken(options.roles ?? APP_ROLES),
  });
  const dir = mkdtempSync(join(tmpdir(), "sept-tenant-job-"));
  const policyPath = join(dir, "org-policy.json");
  writeFileSync(
    policyPath,
    JSON.stringify({ retention: TEST_RETENTION_BOUNDS, storage: { kind: "appFolder" } }),
  );
  const env: Env = {
    SEPT_TENANT: TENANT_ID,
    SEPT_CLIENT_ID: CLIENT_ID,
    SEPT_CLIENT_SECRET: CLIENT_SECRET,
    SEPT_AUTHORITY_HOST: tokens.authorityHost,
    GRAPH_BASE_URL: t.fake.graphBaseUrl,
    SEPT_DEPLOYMENT_GROUP: GROUP_ID,
    SEPT_ORG_POLICY: policyPath,
  };
  const runtimeOptions: RuntimeOptions = {
    tuning: {
      graphRetry: { delaySeconds: 0, maxRetries: 6 },
      storage: {
        innerRetry: { maxRetries: 8, delaySeconds: 0.05 },
        transferRetry: { maxRetries: 6, delaySeconds: 0.05 },
      },
    },
  };
  return {
    t,
    tokens,
    env,
    dir,
    runtimeOptions,
    runtime: () => createTenantRuntime(readTenantConfig(env), runtimeOptions),
    addUser(id) {
      const { user } = t.seedUser({ id, mailbox: "empty" });
      return { id: user.id, username: user.upn, name: user.name };
    },
    pane: (user) => paneFor(t.fake.graphBaseUrl, user),
    async stop() {
      await tokens.close();
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Puts users in the deployment group (plus a device and a nested group, which the job skips). */
export async function seedDeploymentGroup(t: TestFake, userIds: string[]): Promise<void> {
  const response = await t.fetch("/_fake/groups", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      id: GROUP_ID,
      members: [
        { id: "d0d0d0d0-0000-4000-8000-000000000001", type: "device" },
        ...userIds.map((id) => ({ id, type: "user" })),
        { id: "9a9a9a9a-0000-4000-8000-000000000002", type: "group" },
      ],
    }),
  });
  if (!response.ok) throw new Error(`seeding the group failed: ${response.status}`);
}

export interface SeededMailbox {
  user: DevUser;
  retention: RetentionSetting;
  /** Saved ids that are past retention at `now`, and those still kept. */
  expired: string[];
  kept: string[];
}

/**
 * Seeds one user's SEPT data through their own delegated storage, as their pane would have left
 * it: stored emails of various ages (records, .eml, index) and their retention setting.
 */
export async function seedMailbox(
  h: TenantHarness,
  user: DevUser,
  plan: { retentionDays: number; ages: number[]; firstN: number; now: Date },
): Promise<SeededMailbox> {
  const storage = createSeedingStorage(h.t.fake.graphBaseUrl, user);
  const records: StoredEmailRecord[] = plan.ages.map((age, i) =>
    seededRecord(plan.firstN + i, new Date(plan.now.getTime() - age * DAY).toISOString(), {
      content: i % 2 === 0,
    }),
  );
  if (records.length > 0) await seedStoredEmails(storage, records, { concurrency: 8 });
  const retention = retentionDays(plan.retentionDays);
  const pane = h.pane(user);
  await pane.settings.setRetention(retention);
  const expired = records
    .filter((_, i) => (plan.ages[i] ?? 0) >= plan.retentionDays)
    .map((r) => r.savedId);
  const kept = records.map((r) => r.savedId).filter((id) => !expired.includes(id));
  return { user, retention, expired, kept };
}

/** Runs `task` for every item, eight at a time (seeding and checking many users). */
export async function eachUser<T, R>(
  items: readonly T[],
  task: (item: T, index: number) => Promise<R>,
  concurrency = 8,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!, i);
      }
    }),
  );
  return results;
}
