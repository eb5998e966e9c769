// The Functions app's entry point (package.json "main" of the deployed app): registers the
// handlers with the host. Settings are the app's application settings (the tenant job's
// environment variables, see docs/admin/tenant-job.md) plus AzureWebJobsStorage.
import { app } from "@azure/functions";
import { readTenantConfig } from "../config.js";
import { isTenantCommand, type TenantCommand } from "../operations.js";
import { createTenantRuntime, type TenantRuntime } from "../runtime.js";
import { createTenantHandlers } from "./handlers.js";
import { RunStore, USER_QUEUE, userQueue } from "./run-store.js";

const connection = process.env.AzureWebJobsStorage ?? "";
let runtime: Promise<TenantRuntime> | null = null;
const nightlyCommands = (process.env.SEPT_TENANT_NIGHTLY ?? "repair,purge")
  .split(",")
  .map((c) => c.trim())
  .filter((c): c is TenantCommand => isTenantCommand(c) && (c === "purge" || c === "repair"));

const handlers = createTenantHandlers({
  runtime: () =>
    (runtime ??= createTenantRuntime(readTenantConfig(process.env)).catch((error: unknown) => {
      runtime = null;
      throw error;
    })),
  store: RunStore.fromConnectionString(connection),
  queue: userQueue(connection),
  nightlyCommands,
});

app.timer("tenantNightly", {
  // Six fields (seconds first); default 02:00 every day, in the app's WEBSITE_TIME_ZONE or UTC.
  schedule: "%SEPT_TENANT_SCHEDULE%",
  handler: handlers.nightly,
});

app.storageQueue("tenantUser", {
  queueName: USER_QUEUE,
  connection: "AzureWebJobsStorage",
  handler: handlers.user,
});

app.http("tenantPrivacy", {
  methods: ["POST"],
  authLevel: "function",
  route: "privacy/{action}",
  handler: handlers.privacy,
});

app.http("tenantRunStatus", {
  methods: ["GET"],
  authLevel: "function",
  route: "runs/{runId}",
  handler: handlers.runStatus,
});
