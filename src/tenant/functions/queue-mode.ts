// `npm run tenant -- enqueue purge` and `npm run tenant -- worker`: the Functions app's fan-out
// without the Functions host, over the same queue and table (AzureWebJobsStorage). Any number of
// workers may run at once, on any machines.
import { translate } from "../../core/i18n/index.js";
import type { CliIo, CliResult } from "../cli.js";
import { readTenantConfig } from "../config.js";
import { isTenantCommand } from "../operations.js";
import { createTenantRuntime, type TenantRuntime } from "../runtime.js";
import { createTenantHandlers, nightlyRunId } from "./handlers.js";
import { runQueueWorker } from "./queue-worker.js";
import { enqueueUsers, poisonQueue, RunStore, userQueue } from "./run-store.js";

interface QueueValues {
  group?: string;
  concurrency?: string;
  "dry-run"?: boolean;
  user?: string[];
  users?: string;
  "max-idle-seconds"?: string;
}

export async function runQueueMode(
  mode: "enqueue" | "worker",
  positionals: string[],
  values: QueueValues,
  io: CliIo & Required<Pick<CliIo, "env" | "stdout" | "stderr">>,
): Promise<CliResult> {
  const { env, stdout, stderr } = io;
  const connection = env.AzureWebJobsStorage;
  if (!connection) {
    stderr.write("AzureWebJobsStorage (the storage connection string) is not set.\n");
    return { exitCode: 2 };
  }
  const config = readTenantConfig({
    ...env,
    ...(values.group ? { SEPT_DEPLOYMENT_GROUP: values.group } : {}),
  });
  let runtime: Promise<TenantRuntime> | null = null;
  const handlers = createTenantHandlers({
    runtime: () => (runtime ??= createTenantRuntime(config, io.runtime)),
    store: RunStore.fromConnectionString(connection),
    queue: userQueue(connection),
  });

  if (mode === "enqueue") {
    const command = positionals[0] ?? "purge";
    if (!isTenantCommand(command) || (command !== "purge" && command !== "repair")) {
      stderr.write("enqueue takes 'purge' or 'repair' (privacy requests act on one user).\n");
      return { exitCode: 2 };
    }
    const rt = await (runtime ??= createTenantRuntime(config, io.runtime));
    const explicit = [...(values.user ?? []), ...(values.users?.split(",") ?? [])]
      .map((u) => u.trim())
      .filter(Boolean);
    const users = await rt.users(explicit, io.signal);
    const now = new Date();
    const store = RunStore.fromConnectionString(connection);
    const run = await store.openRun({
      runId: nightlyRunId(command, now),
      command,
      now: now.toISOString(),
      dryRun: values["dry-run"] ?? false,
    });
    const sent = await enqueueUsers(userQueue(connection), run, users, {
      ...(io.signal ? { signal: io.signal } : {}),
    });
    await store.setEnqueued(run.runId, sent);
    stderr.write(
      `${translate(config.language, "tenant.users", { count: sent, source: run.runId })}\n`,
    );
    stdout.write(`${JSON.stringify({ runId: run.runId, enqueued: sent })}\n`);
    return { exitCode: 0 };
  }

  const idle = values["max-idle-seconds"] ? Number(values["max-idle-seconds"]) * 1000 : undefined;
  // How long a taken message stays hidden from other workers (renewed while the user is worked on).
  const visibility = Number(env.SEPT_TENANT_VISIBILITY_SECONDS ?? "300");
  const stats = await runQueueWorker({
    queue: userQueue(connection),
    poison: poisonQueue(connection),
    handler: handlers.user,
    concurrency: config.concurrency,
    visibilityTimeoutSeconds: Number.isInteger(visibility) && visibility > 0 ? visibility : 300,
    ...(idle === undefined ? {} : { idleStopMs: idle }),
    ...(io.signal ? { signal: io.signal } : {}),
    log: (line) => stderr.write(`${line}\n`),
  });
  stdout.write(`${JSON.stringify(stats)}\n`);
  return { exitCode: 0 };
}
