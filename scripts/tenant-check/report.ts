// The tenant check's table: one row per probe, and under a failure or fallback what to do.
import type { Outcome, ProbeResult } from "./probes.js";

const LABEL: Record<Outcome, string> = {
  pass: "pass",
  fallback: "fallback",
  fail: "FAIL",
  skipped: "skipped",
};

export function renderTable(results: ProbeResult[]): string {
  const width = Math.max(5, ...results.map((r) => r.check.length));
  const lines = [
    `${"check".padEnd(width)}  result    detail`,
    `${"-".repeat(width)}  --------  ------`,
  ];
  for (const r of results) {
    lines.push(`${r.check.padEnd(width)}  ${LABEL[r.outcome].padEnd(8)}  ${r.detail}`);
    if (r.fix) lines.push(`${" ".repeat(width)}  ${" ".repeat(8)}  → ${r.fix}`);
  }
  const failed = results.filter((r) => r.outcome === "fail").length;
  const fallbacks = results.filter((r) => r.outcome === "fallback").length;
  lines.push(
    "",
    failed > 0
      ? `${failed} check(s) failed: fix them before users rely on SEPT for Outlook.`
      : fallbacks > 0
        ? "Every check passed, with the fallback(s) above: read what they mean for your users."
        : "Every check passed: SEPT for Outlook can work for this user.",
  );
  return lines.join("\n");
}

/** Exit code: 1 when any check failed (a fallback is not a failure). */
export function exitCodeOf(results: ProbeResult[]): number {
  return results.some((r) => r.outcome === "fail") ? 1 : 0;
}
