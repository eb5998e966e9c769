// `npm test`: runs `vitest run` with the given arguments while the Graph fake logs the shape of
// every request the add-in makes (SEPT_GRAPH_REQUEST_LOG), then checks each shape against
// Microsoft Graph's v1.0 metadata and, after a whole-suite run, regenerates
// docs/graph-requests.md. Exit code: vitest's when it failed, else 1 on any request that does not
// resolve (or, under CI, a stale docs/graph-requests.md), else 0.
//
// A whole-suite run (no arguments) starts two vitest processes at once: unit + integration, and
// end-to-end. In one process the end-to-end project's global setup (a production webpack build)
// would hold every test back until it is done, and its files would start only after the last
// integration file; side by side, the build and the browser tests run while the long integration
// files wait on sockets and back-offs. The end-to-end output is printed as one block when it ends.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  checkRecords,
  readRequestLog,
  summarise,
  type CheckResult,
} from "./graph-conformance/check.js";
import { loadGraphModel } from "./graph-conformance/csdl-model.js";
import {
  compareDocRows,
  formatRequestsDoc,
  parseDocRows,
  rowKey,
  rowOf,
} from "./graph-conformance/report.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DOC = join(root, "docs", "graph-requests.md");

const STALE = "docs/graph-requests.md: out of date";

/**
 * Compares this run's shapes with the committed document. Out of date: a shape this run made is
 * missing, or its permission, reason or check result differs. Rows this run did not make are only
 * noted: fault-injection tests take different paths from run to run. Under CI an out-of-date
 * document fails the run; locally it is rewritten (this run's rows, plus those it did not make).
 */
async function compareWithDoc(result: CheckResult): Promise<string[]> {
  let current = "";
  try {
    current = readFileSync(DOC, "utf8");
  } catch {
    // Not generated yet: every row is missing.
  }
  const committed = parseDocRows(current);
  const run = result.shapes.map(rowOf);
  const { missing, changed, extras } = compareDocRows(run, committed);
  const lines: string[] = [];
  if (extras.length > 0) {
    lines.push(
      `docs/graph-requests.md: ${extras.length} listed request(s) not made by this run (kept; remove them if the add-in no longer makes them):`,
      ...extras.map((r) => `  · ${rowKey(r)}`),
    );
  }
  if (missing.length === 0 && changed.length === 0) {
    lines.push("docs/graph-requests.md: lists every request this run made.");
    return lines;
  }
  const details = [
    ...missing.map((r) => `  + ${rowKey(r)}`),
    ...changed.map((c) => `  ~ ${rowKey(c.run)} (permission, reason or check result changed)`),
  ];
  if (process.env.CI === "true") {
    return [
      ...lines,
      `${STALE}: run \`npm test\` locally and commit the file it writes.`,
      ...details,
    ];
  }
  writeFileSync(DOC, await formatRequestsDoc([...run, ...extras], DOC));
  return [
    ...lines,
    "docs/graph-requests.md: rewritten from this run; review and commit it.",
    ...details,
  ];
}

/** Runs vitest; `buffered`: its output is held and printed in one block when it ends. */
function runVitest(args: string[], env: NodeJS.ProcessEnv, buffered = false): Promise<number> {
  const bin = join(root, "node_modules", "vitest", "vitest.mjs");
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, "run", ...args], {
      stdio: buffered ? ["inherit", "pipe", "pipe"] : "inherit",
      env,
      cwd: root,
    });
    const output: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("close", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      if (buffered) {
        const seconds = Math.round((Date.now() - started) / 1000);
        process.stdout.write(`\n── vitest run ${args.join(" ")} (${seconds} s) ──\n`);
        process.stdout.write(Buffer.concat(output));
      }
      done(code ?? (signal ? 1 : 0));
    });
  });
}

/** The whole suite: unit + integration in this terminal, end-to-end beside it. */
async function runWholeSuite(env: NodeJS.ProcessEnv): Promise<number> {
  const codes = await Promise.all([
    runVitest(["--project", "unit", "--project", "integration"], env),
    runVitest(["--project", "e2e"], env, true),
  ]);
  return codes.find((code) => code !== 0) ?? 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  // A log named by the caller is kept (scripts/graph-conformance/main.ts can check it again).
  const kept = process.env.SEPT_GRAPH_REQUEST_LOG;
  const dir = kept ? null : mkdtempSync(join(tmpdir(), "sept-graph-requests-"));
  const log = kept ?? join(dir!, "requests.jsonl");
  writeFileSync(log, "");
  // Only a run of the whole suite sees every request the add-in makes.
  const wholeSuite = args.length === 0;
  try {
    const env = { ...process.env, SEPT_GRAPH_REQUEST_LOG: log };
    const vitestCode = wholeSuite ? await runWholeSuite(env) : await runVitest(args, env);

    const result = checkRecords(loadGraphModel(), readRequestLog(log));
    const lines = summarise(result);
    let code = vitestCode;
    if (result.failures.length > 0) code ||= 1;

    if (!wholeSuite) {
      lines.push("docs/graph-requests.md: not compared (a partial run: arguments were given).");
    } else if (vitestCode !== 0) {
      lines.push("docs/graph-requests.md: not compared (the test run failed).");
    } else {
      lines.push(...(await compareWithDoc(result)));
      if (process.env.CI === "true" && lines.some((l) => l.startsWith(STALE))) code ||= 1;
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
