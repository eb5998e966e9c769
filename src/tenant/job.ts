// Runs one command over many users: a bounded number of users at a time (each with its own
// 4-request limiter), a user failing never stops the others, throttling that outlasts the Graph
// client's own retries is waited out and the user tried again, and every finished user goes to
// the checkpoint at once, so a run killed at any point resumes without repeating anyone.
import { delay } from "../core/delay.js";
import { SeptError, toSeptError } from "../core/errors.js";
import type { Checkpoint, UserOutcome } from "./checkpoint.js";
import type { OperationResult } from "./operations.js";
import type { TenantUser } from "./user-services.js";

export interface JobProgress {
  /** Users finished in this attempt plus those an earlier attempt finished. */
  finished: number;
  total: number;
  failed: number;
  /** Sum of every finished user's counts (e.g. purged). */
  totals: Record<string, number>;
}

export interface JobReporter {
  /** A user was skipped because an earlier attempt of this run finished them. */
  skipped?(user: string): void;
  userFinished?(outcome: UserOutcome, progress: JobProgress): void;
}

export interface JobOptions {
  users: readonly TenantUser[];
  /** Does the work for one user; throws (or returns `error`) when it could not finish. */
  perform: (user: TenantUser, signal: AbortSignal) => Promise<OperationResult>;
  checkpoint: Checkpoint;
  /** Users worked on at once (default 8). */
  concurrency?: number;
  /** Extra attempts for a user whose failure is worth retrying (throttling, network; default 2). */
  retries?: number;
  /** Wait before a retry when the error names none (default 2 s, doubling). */
  retryDelayMs?: number;
  reporter?: JobReporter;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface JobSummary {
  runId: string;
  command: string;
  dryRun: boolean;
  resumed: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  users: { total: number; done: number; failed: number; skipped: number };
  totals: Record<string, number>;
  /** Every user handled in this attempt, in the order they finished. */
  outcomes: UserOutcome[];
  failures: Array<{ user: string; code: string; message: string }>;
  /** The run stopped before every user was handled (cancelled): resume it. */
  interrupted: boolean;
}

const MAX_WAIT_MS = 180_000;

function add(totals: Record<string, number>, counts: Record<string, number>): void {
  for (const [key, value] of Object.entries(counts)) totals[key] = (totals[key] ?? 0) + value;
}

function waitFor(error: SeptError, attempt: number, baseMs: number): number {
  const seconds = Number(error.params.seconds ?? 0);
  return Math.min(seconds > 0 ? seconds * 1000 : baseMs * 2 ** (attempt - 1), MAX_WAIT_MS);
}

/** What a run shares between its workers while its users are worked on. */
interface JobState {
  readonly options: JobOptions;
  readonly signal: AbortSignal;
  readonly clock: () => Date;
  readonly retries: number;
  readonly retryDelayMs: number;
  /** The users still to do, in order; `next` is the first nobody has taken yet. */
  readonly queue: readonly TenantUser[];
  next: number;
  /** Distinct users in the run, and those an earlier attempt finished. */
  readonly total: number;
  readonly skipped: number;
  failed: number;
  readonly totals: Record<string, number>;
  readonly outcomes: UserOutcome[];
  readonly failures: JobSummary["failures"];
}

/** The run's users once each, without those the checkpoint says an earlier attempt finished. */
async function pendingUsers(
  options: JobOptions,
): Promise<{ queue: TenantUser[]; total: number; skipped: number }> {
  const earlier = await options.checkpoint.finished();
  const seen = new Set<string>();
  const queue: TenantUser[] = [];
  let skipped = 0;
  for (const user of options.users) {
    if (seen.has(user.id)) continue;
    seen.add(user.id);
    if (earlier.has(user.id)) {
      skipped++;
      options.reporter?.skipped?.(user.id);
    } else {
      queue.push(user);
    }
  }
  return { queue, total: seen.size, skipped };
}

/** One user, tried again while the failure is worth retrying and the run goes on. */
async function handleUser(state: JobState, user: TenantUser): Promise<UserOutcome> {
  const { signal } = state;
  const begin = Date.now();
  let result: OperationResult | null = null;
  let error: SeptError | undefined;
  let attempt = 0;
  // A signal of the user's own, linked to the run's: every request of this user listens to it,
  // so the run's signal keeps one listener per user in progress, not one per request.
  const own = new AbortController();
  const forward = () => own.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  if (signal.aborted) forward();
  for (;;) {
    attempt++;
    try {
      result = await state.options.perform(user, own.signal);
      error = result.error;
    } catch (thrown) {
      result = null;
      error = toSeptError(thrown);
    }
    if (!error || signal.aborted || error.code === "cancelled") break;
    if (!error.retryable || attempt > state.retries) break;
    try {
      await delay(waitFor(error, attempt, state.retryDelayMs), signal);
    } catch {
      break;
    }
  }
  signal.removeEventListener("abort", forward);
  return {
    user: user.id,
    status: error ? "failed" : "done",
    counts: result?.counts ?? {},
    ...(result?.items ? { items: result.items } : {}),
    ...(error
      ? { error: { code: error.code, message: error.message, retryable: error.retryable } }
      : {}),
    attempts: attempt,
    durationMs: Date.now() - begin,
    finishedAt: state.clock().toISOString(),
  };
}

/** Counts a user the checkpoint has recorded, and tells the reporter. */
function tally(state: JobState, outcome: UserOutcome): void {
  state.outcomes.push(outcome);
  add(state.totals, outcome.counts);
  if (outcome.status === "failed") {
    state.failed++;
    state.failures.push({
      user: outcome.user,
      code: outcome.error?.code ?? "unknown",
      message: outcome.error?.message ?? "",
    });
  }
  state.options.reporter?.userFinished?.(outcome, {
    finished: state.skipped + state.outcomes.length,
    total: state.total,
    failed: state.failed,
    totals: { ...state.totals },
  });
}

/** Takes the next user until none is left or the run is stopped. */
async function worker(state: JobState): Promise<void> {
  while (state.next < state.queue.length && !state.signal.aborted) {
    const user = state.queue[state.next++]!;
    const outcome = await handleUser(state, user);
    // A user cut short by the run being stopped is neither done nor failed: the resumed run
    // does them again.
    if (state.signal.aborted && outcome.status === "failed") return;
    await state.options.checkpoint.record(outcome);
    tally(state, outcome);
  }
}

/** Runs the job; resolves with the summary even when users failed (they are in `failures`). */
export async function runJob(options: JobOptions): Promise<JobSummary> {
  const { checkpoint } = options;
  const clock = options.now ?? (() => new Date());
  const started = clock();
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const { queue, total, skipped } = await pendingUsers(options);
  const state: JobState = {
    options,
    signal: options.signal ?? new AbortController().signal,
    clock,
    retries: Math.max(0, options.retries ?? 2),
    retryDelayMs: options.retryDelayMs ?? 2000,
    queue,
    next: 0,
    total,
    skipped,
    failed: 0,
    totals: {},
    outcomes: [],
    failures: [],
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, () => worker(state)),
  );

  const { outcomes, failed } = state;
  const interrupted = state.signal.aborted && skipped + outcomes.length < total;
  // Every user handled (failures included: the next run tries them again with everyone else).
  if (!interrupted) await checkpoint.complete();
  const finishedAt = clock();
  return {
    runId: checkpoint.run.runId,
    command: checkpoint.run.command,
    dryRun: checkpoint.run.dryRun,
    resumed: checkpoint.resumed,
    startedAt: started.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - started.getTime(),
    users: { total, done: outcomes.length - failed, failed, skipped },
    totals: state.totals,
    outcomes,
    failures: state.failures,
    interrupted,
  };
}
