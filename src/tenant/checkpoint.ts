// Where a run keeps what it has finished, so a restarted run skips those users and repeats
// nothing: a local file for the CLI (one JSON line per finished user, appended, so a crash
// loses at most the line being written), Azure Table storage for the Functions app.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { TenantCommand } from "./operations.js";

/** Everything a resumed run must decide exactly as the first attempt did. */
export interface RunInfo {
  runId: string;
  command: TenantCommand;
  /** The run's clock (ISO): retention is judged at this instant, however late the run resumes. */
  now: string;
  dryRun: boolean;
  /** For privacy-office requests: the reference, who recorded it, when the user asked. */
  reference?: string;
  recordedBy?: string;
  requestedAt?: string;
}

export type UserStatus = "done" | "failed";

/** One user's result, as the report and the checkpoint keep it: ids and numbers only. */
export interface UserOutcome {
  user: string;
  status: UserStatus;
  counts: Record<string, number>;
  items?: string[];
  error?: { code: string; message: string; retryable: boolean };
  attempts: number;
  durationMs: number;
  finishedAt: string;
}

export interface Checkpoint {
  readonly run: RunInfo;
  /** true when this run picks up an earlier, unfinished attempt of the same run. */
  readonly resumed: boolean;
  /** Users finished (done) by an earlier attempt: skipped. Failed users are tried again. */
  finished(): Promise<Map<string, UserOutcome>>;
  record(outcome: UserOutcome): Promise<void>;
  /** The run is over: the next run of this command starts afresh. */
  complete(): Promise<void>;
}

interface HeaderLine {
  type: "run";
  run: RunInfo;
}
interface UserLine {
  type: "user";
  outcome: UserOutcome;
}
interface EndLine {
  type: "complete";
  at: string;
}
type Line = HeaderLine | UserLine | EndLine;

function readLines(path: string): Line[] {
  const lines: Line[] = [];
  for (const text of readFileSync(path, "utf8").split("\n")) {
    if (text.trim() === "") continue;
    try {
      lines.push(JSON.parse(text) as Line);
    } catch {
      // The line being written when the process died: its user is simply done again.
    }
  }
  return lines;
}

/**
 * A checkpoint in a local file (single-machine mode). When the file holds an unfinished run of
 * the same command it is resumed, with its original clock and request; otherwise a new run
 * starts and the file is rewritten. A dry run never writes one.
 */
export function openFileCheckpoint(
  path: string,
  fresh: RunInfo,
  options: { restart?: boolean } = {},
): Checkpoint {
  let run = fresh;
  let resumed = false;
  const finished = new Map<string, UserOutcome>();
  if (existsSync(path) && !options.restart) {
    const lines = readLines(path);
    const header = lines.find((l): l is HeaderLine => l.type === "run");
    const ended = lines.some((l) => l.type === "complete");
    if (header && !ended && header.run.command === fresh.command && !fresh.dryRun) {
      run = header.run;
      resumed = true;
      for (const line of lines) {
        if (line.type === "user" && line.outcome.status === "done") {
          finished.set(line.outcome.user, line.outcome);
        } else if (line.type === "user") {
          finished.delete(line.outcome.user);
        }
      }
    }
  }
  const write = !run.dryRun;
  if (write && !resumed) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify({ type: "run", run } satisfies HeaderLine)}\n`);
  }
  const append = (line: Line) => {
    if (write) appendFileSync(path, `${JSON.stringify(line)}\n`);
  };
  return {
    run,
    resumed,
    async finished() {
      return new Map(finished);
    },
    async record(outcome) {
      append({ type: "user", outcome });
    },
    async complete() {
      append({ type: "complete", at: new Date().toISOString() });
    },
  };
}

/** A checkpoint that keeps nothing (dry runs, single privacy-office requests over HTTP). */
export function memoryCheckpoint(run: RunInfo): Checkpoint {
  const finished = new Map<string, UserOutcome>();
  return {
    run,
    resumed: false,
    async finished() {
      return new Map(finished);
    },
    async record(outcome) {
      if (outcome.status === "done") finished.set(outcome.user, outcome);
    },
    async complete() {},
  };
}
