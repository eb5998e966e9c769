// The Azure Functions handlers (Node v4 programming model), as plain functions: index.ts
// registers them with the host, tests and the func-free worker call them directly.
//   nightly (timer)      only enqueues one message per user and command; it never visits a user,
//                        so a 50,000-user tenant fits the consumption plan's 10-minute limit;
//   user (queue)         does one user; the host scales out over the queue, retries a failed
//                        message and moves it to `{queue}-poison` after maxDequeueCount;
//   privacy (HTTP)       withdraw, delete or export for one user, on the privacy office's request
//                        (function key);
//   runStatus (HTTP)     what a run has done so far, from the table.
import type { HttpRequest, HttpResponseInit, InvocationContext, Timer } from "@azure/functions";
import type { QueueClient } from "@azure/storage-queue";
import { SeptError, toSeptError } from "../../core/errors.js";
import { memorySink } from "../../services/rights/export.js";
import type { RunInfo, UserOutcome } from "../checkpoint.js";
import { performCommand } from "../commands.js";
import { assertReference, isTenantCommand, type TenantCommand } from "../operations.js";
import type { TenantRuntime } from "../runtime.js";
import { isUserKey, type TenantUser } from "../user-services.js";
import { enqueueUsers, parseMessage, type RunStore } from "./run-store.js";

export interface FunctionDeps {
  /** Built once per host instance, on first use. */
  runtime: () => Promise<TenantRuntime>;
  store: RunStore;
  queue: QueueClient;
  /** What the nightly timer runs, in this order per user (default repair, then purge). */
  nightlyCommands?: readonly TenantCommand[];
  now?: () => Date;
  /** Reconcile's grace period (default 10 minutes). */
  repairGraceMs?: number;
}

/** A night's run of one command: the same id all day, so a timer firing twice is one run. */
export function nightlyRunId(command: TenantCommand, at: Date): string {
  return `${command}-${at.toISOString().slice(0, 10).replace(/-/g, "")}`;
}

const PRIVACY_ACTIONS: readonly TenantCommand[] = ["withdraw", "delete", "export"];

function statusOf(error: SeptError): number {
  switch (error.code) {
    case "bad_request":
      return 400;
    case "not_found":
      return 404;
    case "access_denied":
      return 403;
    case "throttled":
    case "service_unavailable":
      return 503;
    default:
      return 500;
  }
}

function errorResponse(error: SeptError): HttpResponseInit {
  const seconds = Number(error.params.seconds ?? 0);
  return {
    status: statusOf(error),
    jsonBody: { error: { code: error.code, message: error.message } },
    ...(seconds > 0 ? { headers: { "Retry-After": String(seconds) } } : {}),
  };
}

/** What every handler reads: the deps, with their defaults filled in. */
interface HandlerContext {
  readonly deps: FunctionDeps;
  readonly now: () => Date;
  readonly commands: readonly TenantCommand[];
}

/** The timer: one run per command, one message per user in it. */
async function enqueueNight(ctx: HandlerContext, context: InvocationContext): Promise<void> {
  const { deps } = ctx;
  const runtime = await deps.runtime();
  const users = await runtime.users();
  const at = ctx.now();
  for (const command of ctx.commands) {
    const run = await deps.store.openRun({
      runId: nightlyRunId(command, at),
      command,
      now: at.toISOString(),
      dryRun: false,
    });
    const sent = await enqueueUsers(deps.queue, run, users);
    await deps.store.setEnqueued(run.runId, sent);
    context.log(`${run.runId}: ${sent} users enqueued`);
  }
}

/** The command's work for one user; a throw is kept as the user's error. */
async function performForUser(
  ctx: HandlerContext,
  run: RunInfo,
  target: TenantUser,
): Promise<Pick<UserOutcome, "counts" | "items"> & { error?: SeptError }> {
  try {
    const runtime = await ctx.deps.runtime();
    const result = await performCommand(runtime, run, target, {
      ...(ctx.deps.repairGraceMs === undefined ? {} : { repairGraceMs: ctx.deps.repairGraceMs }),
    });
    return { counts: result.counts, items: result.items, error: result.error };
  } catch (thrown) {
    return { counts: {}, error: toSeptError(thrown) };
  }
}

/** The queue trigger: one user of one run, at most once done, recorded in the table. */
async function handleUserMessage(
  ctx: HandlerContext,
  queueItem: unknown,
  context: InvocationContext,
): Promise<void> {
  const { store } = ctx.deps;
  const message = parseMessage(queueItem);
  if (!message) {
    // Not ours to guess at: logged and dropped, never retried into the poison queue.
    context.error("tenant user message: unreadable, dropped");
    return;
  }
  const { run, user: target } = message;
  const row = await store.user(run.runId, target.id);
  if (row?.status === "done") {
    context.log(`${run.runId} ${target.id}: already done, nothing to do`);
    return;
  }
  const attempts = (row?.attempts ?? 0) + 1;
  await store.saveUser(run.runId, target.id, { status: "running", attempts });
  const begin = Date.now();
  const { counts, items, error } = await performForUser(ctx, run, target);
  const outcome: UserOutcome = {
    user: target.id,
    status: error ? "failed" : "done",
    counts,
    ...(items ? { items } : {}),
    ...(error
      ? { error: { code: error.code, message: error.message, retryable: error.retryable } }
      : {}),
    attempts,
    durationMs: Date.now() - begin,
    finishedAt: ctx.now().toISOString(),
  };
  await store.saveUser(run.runId, target.id, { status: outcome.status, attempts, outcome });
  context.log(`${run.runId} ${target.id}: ${outcome.status} ${JSON.stringify(counts)}`);
  // Worth another try (throttling, a network failure): the host re-delivers the message, and
  // after maxDequeueCount moves it to the poison queue. A refusal is final and reported.
  if (error?.retryable) throw error;
}

interface PrivacyRequest {
  action: TenantCommand;
  reference: string;
  run: RunInfo;
  target: TenantUser;
}

/** Reads and checks the privacy office's request; a bad one is a `bad_request` SeptError. */
async function readPrivacyRequest(request: HttpRequest, now: () => Date): Promise<PrivacyRequest> {
  const action = request.params.action;
  if (!isTenantCommand(action) || !PRIVACY_ACTIONS.includes(action)) {
    throw new SeptError("bad_request", { message: "The action is withdraw, delete or export." });
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new SeptError("bad_request", { message: "The request body must be JSON." });
  }
  const fields = (body ?? {}) as Record<string, unknown>;
  const userId = fields.user;
  if (!isUserKey(userId)) {
    throw new SeptError("bad_request", { message: "'user' is a user id or principal name." });
  }
  const reference = fields.reference;
  if (typeof reference !== "string") {
    throw new SeptError("bad_request", { message: "'reference' (the request's) is missing." });
  }
  assertReference(reference);
  const recordedBy = fields.recordedBy;
  if (typeof recordedBy !== "string" || recordedBy.trim() === "" || recordedBy.length > 200) {
    throw new SeptError("bad_request", {
      message: "'recordedBy' names who at the privacy office acted.",
    });
  }
  const requestedAt = fields.requestedAt ?? undefined;
  if (
    requestedAt !== undefined &&
    (typeof requestedAt !== "string" || Number.isNaN(Date.parse(requestedAt)))
  ) {
    throw new SeptError("bad_request", {
      message: "'requestedAt' is when the user asked (ISO 8601).",
    });
  }
  const at = now();
  const run: RunInfo = {
    runId: `${action}-${reference}`,
    command: action,
    now: at.toISOString(),
    dryRun: fields.dryRun === true,
    reference,
    recordedBy: recordedBy.trim(),
    requestedAt: requestedAt ?? at.toISOString(),
  };
  const target = userId.includes("@") ? { id: userId, userPrincipalName: userId } : { id: userId };
  return { action, reference, run, target };
}

/** The HTTP trigger: withdraw, delete or export for one user, answered with the counts or the zip. */
async function answerPrivacyRequest(
  ctx: HandlerContext,
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    const { action, reference, run, target } = await readPrivacyRequest(request, ctx.now);
    // An HTTP response carries the archive whole (the Functions host buffers it anyway); larger
    // exports go through the CLI, which streams to a file (docs/admin/tenant-job.md).
    let archive: ReturnType<typeof memorySink> | null = null;
    const runtime = await ctx.deps.runtime();
    const result = await performCommand(runtime, run, target, {
      exportSink: () => (archive = memorySink()),
    });
    if (result.error) throw result.error;
    context.log(`privacy ${action} ${reference}: ${JSON.stringify(result.counts)}`);
    if (archive && !run.dryRun) {
      const bytes = (archive as ReturnType<typeof memorySink>).bytes();
      return {
        status: 200,
        body: bytes,
        headers: {
          "Content-Type": "application/zip",
          "Content-Disposition": `attachment; filename="sept-export-${reference}.zip"`,
        },
      };
    }
    return {
      status: 200,
      jsonBody: {
        action,
        user: target.id,
        reference,
        dryRun: run.dryRun,
        counts: result.counts,
        ...(result.items ? { items: result.items } : {}),
      },
    };
  } catch (error) {
    const septError = toSeptError(error);
    context.warn(`privacy request refused: ${septError.code}`);
    return errorResponse(septError);
  }
}

/** The HTTP trigger for a run's summary so far. */
async function answerRunStatus(
  deps: FunctionDeps,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const runId = request.params.runId ?? "";
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(runId)) {
    return errorResponse(new SeptError("bad_request", { message: "Not a run id." }));
  }
  const summary = await deps.store.summary(runId);
  return summary
    ? { status: 200, jsonBody: summary }
    : errorResponse(new SeptError("not_found", { message: `No run '${runId}'.` }));
}

export function createTenantHandlers(deps: FunctionDeps) {
  const ctx: HandlerContext = {
    deps,
    now: deps.now ?? (() => new Date()),
    commands: deps.nightlyCommands ?? (["repair", "purge"] as const),
  };
  return {
    nightly: (_timer: Timer, context: InvocationContext): Promise<void> =>
      enqueueNight(ctx, context),
    user: (queueItem: unknown, context: InvocationContext): Promise<void> =>
      handleUserMessage(ctx, queueItem, context),
    privacy: (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> =>
      answerPrivacyRequest(ctx, request, context),
    runStatus: (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> =>
      answerRunStatus(deps, request),
  };
}

export type TenantHandlers = ReturnType<typeof createTenantHandlers>;
