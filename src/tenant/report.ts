// What the job prints: a line per finished user as it goes, then a summary table, and the same
// summary as JSON for whatever watches the job. Ids and numbers only, never email data.
import { translate, type Language } from "../core/i18n/index.js";
import type { UserOutcome } from "./checkpoint.js";
import type { JobProgress, JobReporter, JobSummary } from "./job.js";

export interface TextSink {
  write(text: string): unknown;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([key, value]) => `${key}=${value}`)
    .join(" ");
}

/** Progress on `out`, one line per finished user. */
export function createProgressReporter(
  out: TextSink,
  language: Language,
  options: { dryRun?: boolean } = {},
): JobReporter {
  return {
    userFinished(outcome: UserOutcome, progress: JobProgress) {
      const base = { finished: progress.finished, total: progress.total, user: outcome.user };
      const line =
        outcome.status === "failed"
          ? translate(language, "tenant.progress.failed", {
              ...base,
              code: outcome.error?.code ?? "unknown",
              message: outcome.error?.message ?? "",
            })
          : translate(language, "tenant.progress", {
              ...base,
              status: translate(
                language,
                options.dryRun ? "tenant.status.wouldDo" : "tenant.status.done",
              ),
              counts: formatCounts(outcome.counts),
              seconds: seconds(outcome.durationMs),
            });
      out.write(`${line}\n`);
      if (options.dryRun && outcome.items?.length) {
        for (const item of outcome.items) out.write(`    ${item}\n`);
      }
    },
  };
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const [head, ...body] = rows;
  if (!head) return "";
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

/** The summary as an admin reads it: one sentence, totals, then every failed user and why. */
export function formatSummary(summary: JobSummary, language: Language): string {
  const parts = [
    translate(language, "tenant.summary", {
      command: summary.command,
      runId: summary.runId,
      done: summary.users.done,
      failed: summary.users.failed,
      skipped: summary.users.skipped,
      total: summary.users.total,
      seconds: seconds(summary.durationMs),
    }),
  ];
  if (summary.dryRun) parts.push(translate(language, "tenant.summary.dryRun"));
  if (summary.interrupted) parts.push(translate(language, "tenant.summary.interrupted"));
  const totals = Object.entries(summary.totals);
  if (totals.length > 0) {
    parts.push(
      "",
      table([
        [translate(language, "tenant.column.what"), translate(language, "tenant.column.total")],
        ...totals.map(([key, value]) => [key, String(value)]),
      ]),
    );
  }
  if (summary.failures.length > 0) {
    parts.push(
      "",
      translate(language, "tenant.failures"),
      table([
        [translate(language, "tenant.column.user"), translate(language, "tenant.column.reason")],
        ...summary.failures.map((f) => [f.user, `${f.code}: ${f.message}`]),
      ]),
    );
  }
  return `${parts.join("\n")}\n`;
}

/** The JSON report: the summary with every user's outcome. */
export function summaryJson(summary: JobSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}
