// `npm run bench [-- --compare previous.json] [--runs N] [--only load,save,rights,stored]`: measures, prints a table, writes
// bench/results.json. Goals come from DESIGN.md; the bench reports, it never fails on them.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { prepareChromium } from "../test/e2e/chromium.js";
import { benchLoad } from "./load.js";
import { benchRights } from "./rights.js";
import { benchSave } from "./save.js";
import { benchStoredRender } from "./stored-render.js";
import { readResults, table, writeResults, type BenchResults, type BenchRow } from "./report.js";

const { values } = parseArgs({
  options: {
    compare: { type: "string" },
    runs: { type: "string", default: "10" },
    out: { type: "string", default: join(import.meta.dirname, "results.json") },
    /** Comma-separated parts to run (load, save, rights, stored); all when absent. */
    only: { type: "string" },
  },
});

const only = values.only ? new Set(values.only.split(",").map((s) => s.trim())) : null;
const wanted = (part: string) => !only || only.has(part);

async function main(): Promise<void> {
  const previous = values.compare ? readResults(values.compare) : readResults(values.out);
  await prepareChromium(); // once, before the benches that launch it
  const rows: BenchRow[] = [
    ...(wanted("load") ? await benchLoad(Number(values.runs)) : []),
    ...(wanted("save") ? await benchSave() : []),
    ...(wanted("rights") ? await benchRights() : []),
    ...(wanted("stored") ? await benchStoredRender() : []),
  ];
  const results: BenchResults = { date: new Date().toISOString(), node: process.version, rows };
  console.log(`\nSEPT for Outlook bench, ${results.date}\n`);
  console.log(table(results, previous));
  for (const row of rows) if (row.detail) console.log(`  ${row.name}: ${row.detail}`);
  writeResults(values.out, results);
  console.log(
    `\nwritten to ${values.out}${previous ? " (compared with the previous results)" : ""}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
