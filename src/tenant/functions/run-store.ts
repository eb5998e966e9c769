// The fan-out's state in Azure Storage: one queue message per user and command, and a table with
// a row per run and per user in it, so a message delivered twice (a worker killed after finishing,
// a timer that fired twice) finds its user done and does nothing. Table storage: PartitionKey =
// run id, RowKey = user (or "~run" for the run itself).
import { TableClient } from "@azure/data-tables";
import { QueueClient } from "@azure/storage-queue";
import type { RunInfo, UserOutcome } from "../checkpoint.js";
import { isTenantCommand } from "../operations.js";
import { isUserKey, type TenantUser } from "../user-services.js";

/** Queue and table names (the Functions app binds the queue by the same name). */
export const USER_QUEUE = "sept-tenant-users";
export const RUN_TABLE = "septtenantruns";
const RUN_ROW = "~run";

/** One message: which run (with its clock and request) and which user. */
export interface UserMessage {
  run: RunInfo;
  user: TenantUser;
}

/**
 * Messages are base64 JSON, which is what the Functions host's queue trigger decodes by default
 * (host.json extensions.queues.messageEncoding "base64").
 */
export function encodeMessage(message: UserMessage): string {
  return Buffer.from(JSON.stringify(message), "utf8").toString("base64");
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The host hands a JSON message over parsed; the worker hands over the raw text. */
export function parseMessage(value: unknown): UserMessage | null {
  let body = value;
  if (typeof value === "string") {
    try {
      const text = /^\s*\{/.test(value) ? value : Buffer.from(value, "base64").toString("utf8");
      body = JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }
  if (!isRecord(body) || !isRecord(body.run) || !isRecord(body.user)) return null;
  const { run, user } = body;
  if (
    typeof run.runId !== "string" ||
    !/^[A-Za-z0-9_-]{1,100}$/.test(run.runId) ||
    !isTenantCommand(run.command) ||
    typeof run.now !== "string" ||
    Number.isNaN(Date.parse(run.now)) ||
    !isUserKey(user.id)
  ) {
    return null;
  }
  return {
    run: {
      runId: run.runId,
      command: run.command,
      now: run.now,
      dryRun: run.dryRun === true,
      ...(typeof run.reference === "string" ? { reference: run.reference } : {}),
      ...(typeof run.recordedBy === "string" ? { recordedBy: run.recordedBy } : {}),
      ...(typeof run.requestedAt === "string" ? { requestedAt: run.requestedAt } : {}),
    },
    user: {
      id: user.id,
      ...(typeof user.userPrincipalName === "string"
        ? { userPrincipalName: user.userPrincipalName }
        : {}),
    },
  };
}

export interface UserRow {
  status: "running" | "done" | "failed";
  attempts: number;
  outcome?: UserOutcome;
}

export interface RunSummaryRow {
  run: RunInfo;
  enqueued: number;
  users: { done: number; failed: number; running: number };
  failures: Array<{ user: string; code: string; message: string }>;
}

/** Table storage as the run's checkpoint and result store. */
export class RunStore {
  private ready: Promise<void> | null = null;

  constructor(readonly table: TableClient) {}

  static fromConnectionString(connection: string, tableName = RUN_TABLE): RunStore {
    return new RunStore(
      TableClient.fromConnectionString(connection, tableName, {
        // Azurite (local runs and tests) speaks plain http; Azure itself is always https.
        allowInsecureConnection:
          /UseDevelopmentStorage=true|https?:\/\/127\.0\.0\.1|localhost/i.test(connection),
      }),
    );
  }

  private ensure(): Promise<void> {
    this.ready ??= this.table.createTable().catch((error: unknown) => {
      this.ready = null;
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    });
    return this.ready;
  }

  /** The run as first recorded, so a second timer firing keeps the first one's clock. */
  async openRun(run: RunInfo): Promise<RunInfo> {
    await this.ensure();
    try {
      await this.table.createEntity({
        partitionKey: run.runId,
        rowKey: RUN_ROW,
        run: JSON.stringify(run),
        enqueued: 0,
      });
      return run;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
      const existing = await this.table.getEntity<{ run: string }>(run.runId, RUN_ROW);
      return JSON.parse(existing.run) as RunInfo;
    }
  }

  async setEnqueued(runId: string, enqueued: number): Promise<void> {
    await this.table.updateEntity({ partitionKey: runId, rowKey: RUN_ROW, enqueued }, "Merge");
  }

  async user(runId: string, userId: string): Promise<UserRow | null> {
    await this.ensure();
    try {
      const row = await this.table.getEntity<{
        status: string;
        attempts: number;
        outcome?: string;
      }>(runId, userId);
      return {
        status: row.status as UserRow["status"],
        attempts: row.attempts,
        ...(row.outcome ? { outcome: JSON.parse(row.outcome) as UserOutcome } : {}),
      };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    }
  }

  async saveUser(runId: string, userId: string, row: UserRow): Promise<void> {
    await this.ensure();
    await this.table.upsertEntity(
      {
        partitionKey: runId,
        rowKey: userId,
        status: row.status,
        attempts: row.attempts,
        outcome: row.outcome ? JSON.stringify(row.outcome) : "",
      },
      "Replace",
    );
  }

  /** Every user row of a run, summed up for the admin (GET /api/runs/{runId}). */
  async summary(runId: string): Promise<RunSummaryRow | null> {
    await this.ensure();
    let run: RunInfo | null = null;
    let enqueued = 0;
    const users = { done: 0, failed: 0, running: 0 };
    const failures: RunSummaryRow["failures"] = [];
    const rows = this.table.listEntities<{
      status?: string;
      run?: string;
      enqueued?: number;
      outcome?: string;
    }>({
      queryOptions: { filter: `PartitionKey eq '${runId.replace(/'/g, "''")}'` },
    });
    for await (const row of rows) {
      if (row.rowKey === RUN_ROW) {
        run = JSON.parse(row.run ?? "{}") as RunInfo;
        enqueued = Number(row.enqueued ?? 0);
        continue;
      }
      if (row.status === "done") users.done++;
      else if (row.status === "failed") {
        users.failed++;
        const outcome = row.outcome ? (JSON.parse(row.outcome) as UserOutcome) : null;
        failures.push({
          user: row.rowKey ?? "",
          code: outcome?.error?.code ?? "unknown",
          message: outcome?.error?.message ?? "",
        });
      } else users.running++;
    }
    return run ? { run, enqueued, users, failures } : null;
  }
}

export function userQueue(connection: string, name = USER_QUEUE): QueueClient {
  return new QueueClient(connection, name);
}

/** The host's poison queue for a queue: `{name}-poison`. */
export function poisonQueue(connection: string, name = USER_QUEUE): QueueClient {
  return new QueueClient(connection, `${name}-poison`);
}

/**
 * One message per user, a few sends at a time. Returns how many were sent. A user enqueued twice
 * (a timer firing twice) is harmless: its row says done and the second message does nothing.
 */
export async function enqueueUsers(
  queue: QueueClient,
  run: RunInfo,
  users: readonly TenantUser[],
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<number> {
  await queue.createIfNotExists();
  let next = 0;
  let sent = 0;
  const sender = async () => {
    while (next < users.length) {
      if (options.signal?.aborted) return;
      const user = users[next++]!;
      await queue.sendMessage(encodeMessage({ run, user }), {
        // A week: a message the workers cannot reach in that time is for the next run to redo.
        messageTimeToLive: 7 * 24 * 3600,
      });
      sent++;
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? 16, users.length) }, sender),
  );
  return sent;
}
