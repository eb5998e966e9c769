// Bench rows, the printed table and the JSON file, so runs can be compared side by side.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The goal from DESIGN.md, when there is one; `lower` means at most the goal. */
  goal?: number;
  /**
   * The goal is a correctness goal (e.g. "nothing lost"), not a performance one: the bench still
   * reports the row, then exits non-zero when it is missed.
   */
  required?: boolean;
  detail?: string;
}

export interface BenchResults {
  date: string;
  node: string;
  rows: BenchRow[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function fmt(value: number | null | undefined, unit = ""): string {
  if (value === undefined) return "";
  if (value === null || !Number.isFinite(value)) return "n/a";
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return unit ? `${text} ${unit}` : text;
}

export function table(results: BenchResults, previous?: BenchResults): string {
  const header = ["row", "value", "goal", "status", ...(previous ? ["previous", "change"] : [])];
  const lines = results.rows.map((row) => {
    const before = previous?.rows.find((r) => r.name === row.name);
    const status =
      row.goal === undefined
        ? ""
        : !Number.isFinite(row.value)
          ? "not measured"
          : row.value <= row.goal
            ? "ok"
            : row.required
              ? "FAILED"
              : "OVER";
    const change =
      before && before.value !== 0
        ? `${(((row.value - before.value) / before.value) * 100).toFixed(1)} %`
        : "";
    return [
      row.name,
      fmt(row.value, row.unit),
      row.goal === undefined ? "" : `≤ ${fmt(row.goal, row.unit)}`,
      status,
      ...(previous ? [fmt(before?.value, before?.unit), change] : []),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const render = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  return [render(header), render(widths.map((w) => "-".repeat(w))), ...lines.map(render)].join(
    "\n",
  );
}

/** Rows whose required goal is missed (or not measured). */
export function failedRequirements(results: BenchResults): BenchRow[] {
  return results.rows.filter((r) => r.required && r.goal !== undefined && !(r.value <= r.goal));
}

export function readResults(path: string): BenchResults | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as BenchResults) : undefined;
}

export function writeResults(path: string, results: BenchResults): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
