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

/** Runs the job; resolves with the summary even when users failed (they are in `failures`). */
export async function runJob(options: JobOptions): Promise<JobSummary> {
  const { checkpoint, reporter } = options;
  const clock = options.now ?? (() => new Date());
  const started = clock();
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const retries = Math.max(0, options.retries ?? 2);
  const retryDelayMs = options.retryDelayMs ?? 2000;
  const signal = options.signal ?? new AbortController().signal;

  const earlier = await checkpoint.finished();
  const seen = new Set<string>();
  const queue: TenantUser[] = [];
  let skipped = 0;
  for (const user of options.users) {
    if (seen.has(user.id)) continue;
    seen.add(user.id);
    if (earlier.has(user.id)) {
      skipped++;
      reporter?.skipped?.(user.id);
    } else {
      queue.push(user);
    }
  }
  const total = seen.size;
  const totals: Record<string, number> = {};
  const outcomes: UserOutcome[] = [];
  const failures: JobSummary["failures"] = [];
  let failed = 0;

  const handle = async (user: TenantUser): Promise<UserOutcome> => {
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
        result = await options.perform(user, own.signal);
        error = result.error;
      } catch (thrown) {
        result = null;
        error = toSeptError(thrown);
      }
      if (!error || signal.aborted || error.code === "cancelled") break;
      if (!error.retryable || attempt > retries) break;
      try {
        await delay(waitFor(error, attempt, retryDelayMs), signal);
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
      finishedAt: clock().toISOString(),
    };
  };

  let next = 0;
  const worker = async () => {
    while (next < queue.length && !signal.aborted) {
      const user = queue[next++]!;
      const outcome = await handle(user);
      // A user cut short by the run being stopped is neither done nor failed: the resumed run
      // does them again.
      if (signal.aborted && outcome.status === "failed") return;
      await checkpoint.record(outcome);
      outcomes.push(outcome);
      add(totals, outcome.counts);
      if (outcome.status === "failed") {
        failed++;
        failures.push({
          user: outcome.user,
          code: outcome.error?.code ?? "unknown",
          message: outcome.error?.message ?? "",
        });
      }
      reporter?.userFinished?.(outcome, {
        finished: skipped + outcomes.length,
        total,
        failed,
        totals: { ...totals },
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  const interrupted = signal.aborted && skipped + outcomes.length < total;
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
    totals,
    outcomes,
    failures,
    interrupted,
  };
}
