// The conformance check over a kept request log, without running the tests again:
//   tsx scripts/graph-conformance/main.ts <requests.jsonl> [--write-doc]
// (keep a log by setting SEPT_GRAPH_REQUEST_LOG to a file before `npm test`). With --write-doc
// it rewrites docs/graph-requests.md from that log, which must come from a whole-suite run.
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkRecords, readRequestLog, summarise } from "./check.js";
import { loadGraphModel } from "./csdl-model.js";
import { formatRequestsDoc } from "./report.js";

const DOC = join(
  resolve(dirname(fileURLToPath(import.meta.url)), "../.."),
  "docs",
  "graph-requests.md",
);

const [log, ...flags] = process.argv.slice(2);
if (!log) {
  console.error("Usage: tsx scripts/graph-conformance/main.ts <requests.jsonl> [--write-doc]");
  process.exit(2);
}
const result = checkRecords(loadGraphModel(), readRequestLog(log));
console.log(summarise(result).join("\n"));
if (flags.includes("--write-doc")) {
  writeFileSync(DOC, await formatRequestsDoc(result, DOC));
  console.log(`docs/graph-requests.md: rewritten from ${log}.`);
}
process.exit(result.failures.length > 0 ? 1 : 0);
