// `npm run tenant -- <command> [options]`: the tenant job on one machine (a container, a cron
// host, an admin's shell). Settings come from the environment (see config.ts and
// docs/admin/tenant-job.md); the checkpoint is a local file, so a run killed at any point is
// resumed by running the same command again. Just over 300 lines: the usage text and the option
// table are a quarter of it; the rest is one short function per step of a run.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { translate, type Language } from "../core/i18n/index.js";
import { fileSink } from "./file-sink.js";
import { memoryCheckpoint, openFileCheckpoint, type RunInfo } from "./checkpoint.js";
import { newRunId, performCommand, type PerformOptions } from "./commands.js";
import { readTenantConfig, TenantConfigError, type Env } from "./config.js";
import { runJob, type JobSummary } from "./job.js";
import {
  assertReference,
  isTenantCommand,
  TENANT_COMMANDS,
  type TenantCommand,
} from "./operations.js";
import { createProgressReporter, formatSummary, summaryJson, type TextSink } from "./report.js";
import { createTenantRuntime, type RuntimeOptions, type TenantRuntime } from "./runtime.js";

export const USAGE = `Usage: npm run tenant -- <command> [options]

Commands (each accepts --dry-run):
  purge                      delete every stored email past its user's retention, for good
  repair                     finish or undo saves a crash interrupted (the pane's reconcile)
  withdraw --user U          record a withdrawal collected by the privacy office
  delete --user U            delete all of a user's stored data, keeping the record that it happened
  export --user U --out F    write the user's data export (the pane's ZIP) to F
  enqueue <command>          queue one message per user for queue workers (Azure Storage)
  worker                     handle queued users until the queue stays empty (Azure Storage)

Users: --user U (repeatable), --users a,b,c, --users-file FILE (one per line),
       or the deployment group (--group ID or SEPT_DEPLOYMENT_GROUP).
Options: --concurrency N  --checkpoint FILE  --report FILE  --json  --language en|fr
         --reference R  --recorded-by NAME  --requested-at DATE
                                       (withdraw, delete, export: the privacy request)
         --fresh                               (start a new run even if one was interrupted)
`;

export interface CliIo {
  env?: Env;
  stdout?: TextSink;
  stderr?: TextSink;
  /** Runtime wiring for tests (token provider, tuning); production uses the environment only. */
  runtime?: RuntimeOptions;
  signal?: AbortSignal;
  /** Working directory for default checkpoint and report files. */
  cwd?: string;
}

export interface CliResult {
  exitCode: number;
  summary?: JobSummary;
}

class UsageError extends Error {}

function usersFrom(values: { user?: string[]; users?: string; "users-file"?: string }): string[] {
  const list = [...(values.user ?? [])];
  if (values.users) list.push(...values.users.split(","));
  if (values["users-file"]) list.push(...readFileSync(values["users-file"], "utf8").split(/\r?\n/));
  return [...new Set(list.map((u) => u.trim()).filter((u) => u !== "" && !u.startsWith("#")))];
}

const PRIVACY_COMMANDS: readonly TenantCommand[] = ["withdraw", "delete", "export"];

/** A reference for a request given none: readable, unique, and printed so a re-run can reuse it. */
function generatedReference(now: Date): string {
  return `po-${now.toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${crypto.randomUUID().slice(0, 8)}`;
}

const CLI_OPTIONS = {
  user: { type: "string", multiple: true },
  users: { type: "string" },
  "users-file": { type: "string" },
  group: { type: "string" },
  "dry-run": { type: "boolean" },
  concurrency: { type: "string" },
  checkpoint: { type: "string" },
  report: { type: "string" },
  json: { type: "boolean" },
  language: { type: "string" },
  reference: { type: "string" },
  "recorded-by": { type: "string" },
  "requested-at": { type: "string" },
  out: { type: "string" },
  fresh: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  "max-idle-seconds": { type: "string" },
} as const;

function parseCli(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, options: CLI_OPTIONS });
}

type CliValues = ReturnType<typeof parseCli>["values"];

/** Refuses what a command cannot run with; resolves to the privacy request's reference, if any. */
function checkUsage(
  command: TenantCommand,
  values: CliValues,
  explicit: readonly string[],
  now: Date,
): string | undefined {
  const dryRun = values["dry-run"] ?? false;
  const isPrivacy = PRIVACY_COMMANDS.includes(command);
  if (isPrivacy && explicit.length !== 1) {
    throw new UsageError(`'${command}' acts on one user: give exactly one --user.`);
  }
  if (command === "export" && !values.out && !dryRun) {
    throw new UsageError("'export' needs --out FILE.zip.");
  }
  const reference = isPrivacy ? (values.reference ?? generatedReference(now)) : undefined;
  if (reference) assertReference(reference);
  if (values["requested-at"] && Number.isNaN(Date.parse(values["requested-at"]))) {
    throw new UsageError("--requested-at is a date (ISO 8601): when the user asked.");
  }
  if ((command === "withdraw" || command === "delete") && !values["recorded-by"]) {
    throw new UsageError(`'${command}' needs --recorded-by (who at the privacy office acted).`);
  }
  return reference;
}

/** The run's checkpoint: a local file (resumed when a run was interrupted), in memory for a dry run. */
async function openCheckpoint(
  command: TenantCommand,
  values: CliValues,
  run: { now: Date; reference: string | undefined; cwd: string },
  stderr: TextSink,
  language: Language,
) {
  const { now, reference, cwd } = run;
  const dryRun = values["dry-run"] ?? false;
  const fresh: RunInfo = {
    runId: newRunId(command, now),
    command,
    now: now.toISOString(),
    dryRun,
    ...(reference ? { reference } : {}),
    ...(values["recorded-by"] ? { recordedBy: values["recorded-by"] } : {}),
    ...(values["requested-at"] ? { requestedAt: values["requested-at"] } : {}),
  };
  const checkpointPath =
    values.checkpoint ??
    join(cwd, ".tenant-job", `${command}${reference ? `-${reference}` : ""}.checkpoint.jsonl`);
  const checkpoint = dryRun
    ? memoryCheckpoint(fresh)
    : openFileCheckpoint(checkpointPath, fresh, { restart: values.fresh ?? false });
  if (checkpoint.resumed) {
    const done = (await checkpoint.finished()).size;
    stderr.write(
      `${translate(language, "tenant.resumed", { runId: checkpoint.run.runId, now: checkpoint.run.now, skipped: done })}\n`,
    );
  }
  return checkpoint;
}

/** The tenant's settings: the environment, with what the command line overrides. */
function configFrom(env: Env, values: CliValues) {
  return readTenantConfig({
    ...env,
    ...(values.group ? { SEPT_DEPLOYMENT_GROUP: values.group } : {}),
    ...(values.concurrency ? { SEPT_TENANT_CONCURRENCY: values.concurrency } : {}),
    ...(values.language ? { SEPT_TENANT_LANGUAGE: values.language } : {}),
  });
}

/** Runs the CLI; never calls process.exit (the entry point does). */
export async function main(argv: string[], io: CliIo = {}): Promise<CliResult> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  let parsed;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return { exitCode: 2 };
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    stdout.write(USAGE);
    return { exitCode: values.help ? 0 : 2 };
  }
  try {
    if (command === "enqueue" || command === "worker") {
      const queue = await import("./functions/queue-mode.js");
      return await queue.runQueueMode(command, rest, values, { ...io, env, stdout, stderr });
    }
    if (!isTenantCommand(command)) {
      throw new UsageError(
        `Unknown command '${command}'. Commands: ${TENANT_COMMANDS.join(", ")}.`,
      );
    }
    const config = configFrom(env, values);
    const language: Language = config.language;
    const explicit = usersFrom(values);
    const dryRun = values["dry-run"] ?? false;
    const now = new Date();
    const reference = checkUsage(command, values, explicit, now);

    const runtime = await createTenantRuntime(config, io.runtime);
    for (const problem of runtime.orgPolicyProblems) stderr.write(`${problem}\n`);
    const users = await runtime.users(explicit, io.signal);
    stderr.write(
      `${translate(language, "tenant.users", {
        count: users.length,
        source: explicit.length > 0 ? "--user" : `group ${config.groupId}`,
      })}\n`,
    );

    const cwd = io.cwd ?? process.cwd();
    const checkpoint = await openCheckpoint(
      command,
      values,
      { now, reference, cwd },
      stderr,
      language,
    );

    const perform: PerformOptions = {
      ...(io.signal ? { signal: io.signal } : {}),
      exportSink: () =>
        fileSink(values.out!, (bytes) =>
          stderr.write(`${translate(language, "tenant.exported", { path: values.out!, bytes })}\n`),
        ),
    };
    const summary = await runJob({
      users,
      checkpoint,
      concurrency: config.concurrency,
      perform: (user, signal) =>
        performCommand(runtime, checkpoint.run, user, { ...perform, signal }),
      reporter: createProgressReporter(stderr, language, { dryRun }),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    await writeReport(summary, values, cwd, stdout, stderr, language);
    return { exitCode: summary.users.failed > 0 || summary.interrupted ? 1 : 0, summary };
  } catch (error) {
    return failedRun(error, stderr);
  }
}

/** What a run that stopped on an error says and exits with: 2 for usage and settings, else 1. */
function failedRun(error: unknown, stderr: TextSink): CliResult {
  if (error instanceof UsageError) {
    stderr.write(`${error.message}\n\n${USAGE}`);
    return { exitCode: 2 };
  }
  if (error instanceof TenantConfigError) {
    stderr.write(`${error.message} See docs/admin/tenant-job.md.\n`);
    return { exitCode: 2 };
  }
  stderr.write(`${(error as Error).message ?? String(error)}\n`);
  return { exitCode: 1 };
}

async function writeReport(
  summary: JobSummary,
  values: { json?: boolean; report?: string },
  cwd: string,
  stdout: TextSink,
  stderr: TextSink,
  language: Language,
): Promise<void> {
  const json = summaryJson(summary);
  if (values.json) stdout.write(json);
  else stdout.write(formatSummary(summary, language));
  if (summary.dryRun && !values.report) return;
  const path = values.report ?? join(cwd, ".tenant-job", `${summary.runId}.json`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, json);
  stderr.write(`${translate(language, "tenant.report", { path })}\n`);
}

export type { TenantRuntime };
export { fileSink } from "./file-sink.js";

// The entry point: `tsx src/tenant/cli.ts …` (npm run tenant) or `node dist-tenant/cli.js …`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const controller = new AbortController();
  // First Ctrl-C or SIGTERM: stop after the users in progress, keep the checkpoint; second: now.
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    controller.abort(new Error("stopped"));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  main(process.argv.slice(2), { signal: controller.signal }).then(
    (result) => process.exit(result.exitCode),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
