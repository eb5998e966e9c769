// `npm test`: runs `vitest run` with the given arguments while the Graph fake logs the shape of
// every request the add-in makes (SEPT_GRAPH_REQUEST_LOG), then checks each shape against
// Microsoft Graph's v1.0 metadata and, after a whole-suite run, regenerates
// docs/graph-requests.md. Exit code: vitest's when it failed, else 1 on any request that does not
// resolve (or, under CI, a stale docs/graph-requests.md), else 0.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkRecords, readRequestLog, summarise } from "./graph-conformance/check.js";
import { loadGraphModel } from "./graph-conformance/csdl-model.js";
import { formatRequestsDoc } from "./graph-conformance/report.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DOC = join(root, "docs", "graph-requests.md");

function runVitest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const bin = join(root, "node_modules", "vitest", "vitest.mjs");
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, "run", ...args], {
      stdio: "inherit",
      env,
      cwd: root,
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      done(code ?? (signal ? 1 : 0));
    });
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  // A log named by the caller is kept (scripts/graph-conformance/main.ts can check it again).
  const kept = process.env.SEPT_GRAPH_REQUEST_LOG;
  const dir = kept ? null : mkdtempSync(join(tmpdir(), "sept-graph-requests-"));
  const log = kept ?? join(dir!, "requests.jsonl");
  writeFileSync(log, "");
  try {
    const vitestCode = await runVitest(args, { ...process.env, SEPT_GRAPH_REQUEST_LOG: log });

    const result = checkRecords(loadGraphModel(), readRequestLog(log));
    const lines = summarise(result);
    let code = vitestCode;
    if (result.failures.length > 0) code ||= 1;

    // Only a run of the whole suite sees every request the add-in makes.
    const wholeSuite = args.length === 0;
    if (!wholeSuite) {
      lines.push("docs/graph-requests.md: not compared (a partial run: arguments were given).");
    } else if (vitestCode !== 0) {
      lines.push("docs/graph-requests.md: not compared (the test run failed).");
    } else {
      const expected = await formatRequestsDoc(result, DOC);
      let current = "";
      try {
        current = readFileSync(DOC, "utf8");
      } catch {
        // Not generated yet.
      }
      if (current === expected) {
        lines.push("docs/graph-requests.md: up to date.");
      } else if (process.env.CI === "true") {
        lines.push(
          "docs/graph-requests.md: out of date. Run `npm test` locally and commit the file it writes.",
        );
        code ||= 1;
      } else {
        writeFileSync(DOC, expected);
        lines.push("docs/graph-requests.md: rewritten from this run; review and commit it.");
      }
    }
    console.log(`\n${lines.join("\n")}`);
    return code;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
