// `npm run bench [-- --compare previous.json] [--runs N] [--only load,save,rights,stored,migration]
// [--stored-sizes 1000,10000] [--migration-size 12000]`: measures, prints a table, writes
// bench/results.json. Goals come from DESIGN.md; the bench reports, it never fails on them, except
// on a row marked `required` (a correctness goal such as "no email lost in the migration"): then
// it still prints and writes everything, and exits non-zero.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { prepareChromium } from "../test/e2e/chromium.js";
import { benchExportChromium, benchExportStream } from "./export-stream.js";
import { benchLoad } from "./load.js";
import { benchMigration, MIGRATION_SIZE } from "./migration.js";
import { benchReading } from "./reading.js";
import { benchRights } from "./rights.js";
import { benchSave } from "./save.js";
import { benchStoredRender } from "./stored-render.js";
import { benchTenant } from "./tenant.js";
import {
  failedRequirements,
  readResults,
  table,
  writeResults,
  type BenchResults,
  type BenchRow,
} from "./report.js";

const { values } = parseArgs({
  options: {
    compare: { type: "string" },
    runs: { type: "string", default: "10" },
    out: { type: "string", default: join(import.meta.dirname, "results.json") },
    /** Stored-email counts for the Stored view rows (comma-separated); default 1000,10000,100000. */
    "stored-sizes": { type: "string" },
    /** Emails in the old layout that the migration row moves; default 12,000 (issue #14). */
    "migration-size": { type: "string", default: String(MIGRATION_SIZE) },
    /**
     * Comma-separated groups to run (load, save, reading, rights, export, stored, migration,
     * tenant); default all.
     */
    only: { type: "string" },
  },
});
const only = values.only ? new Set(values.only.split(",").map((s) => s.trim())) : null;
const run = (group: string) => only === null || only.has(group);
const storedSizes = values["stored-sizes"]?.split(",").map((s) => Number(s.trim()));
const migrationSize = Number(values["migration-size"]);
if (!Number.isInteger(migrationSize) || migrationSize < 1) {
  throw new RangeError(`--migration-size must be a positive whole number, got ${migrationSize}`);
}

async function main(): Promise<void> {
  const previous = values.compare ? readResults(values.compare) : readResults(values.out);
  await prepareChromium(); // once, before the benches that launch it
  const rows: BenchRow[] = [
    ...(run("load") ? await benchLoad(Number(values.runs)) : []),
    ...(run("save") ? await benchSave() : []),
    ...(run("reading") ? await benchReading() : []),
    ...(run("rights") ? await benchRights() : []),
    ...(run("export") ? await benchExportStream() : []),
    ...(run("export") ? await benchExportChromium() : []),
    ...(run("stored") ? await benchStoredRender(5, storedSizes) : []),
    ...(run("migration") ? await benchMigration(migrationSize) : []),
    ...(run("tenant") ? await benchTenant() : []),
  ];
  const results: BenchResults = { date: new Date().toISOString(), node: process.version, rows };
  console.log(`\nSEPT for Outlook bench, ${results.date}\n`);
  console.log(table(results, previous));
  for (const row of rows) if (row.detail) console.log(`  ${row.name}: ${row.detail}`);
  writeResults(values.out, results);
  console.log(
    `\nwritten to ${values.out}${previous ? " (compared with the previous results)" : ""}`,
  );
  const failed = failedRequirements(results);
  if (failed.length > 0) {
    console.error(`\nFAILED: ${failed.map((r) => `${r.name} = ${r.value} ${r.unit}`).join("; ")}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
