// Issue #14: a mailbox saved by earlier versions (one `emails/{savedId}.json` record per email and
// `index/emails.json`) moves into the record shards with nothing lost. N emails (default 12,000)
// are seeded once in that layout (stored-seed.ts, cached), then the pane's reconcile (grace 0)
// runs through the real storage adapter against the Graph fake over HTTPS and moves them. Then:
// every saved id listed before is listed after, every record read back equals the one seeded,
// no old record file or index file is left, and the .eml files are untouched. A loss is a row
// that misses its goal of 0, and the bench exits non-zero (see `required` in report.ts).
import { rmSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { startGraphFake, type GraphFake } from "../dev/graph-fake/server.js";
import type { LoggedRequest } from "../dev/graph-fake/types.js";
import type { StoredFile } from "../src/core/ports/storage.js";
import { EMAILS_DIR, INDEX_DIR, RECORDS_DIR } from "../src/services/storage/layout.js";
import { testCertificate, trustCertificateGlobally } from "../test/support/graph-fake.js";
import { createPaneStack } from "../test/support/pane-stack.js";
import { failedRequirements, type BenchRow } from "./report.js";
import { legacyRecords, seededLegacyState } from "./stored-seed.js";

const USER = "alex.martin@contoso-build.example";
const DEV_USER = { id: USER, username: USER, name: "Alex Martin" };
export const MIGRATION_SIZE = 12_000;
const MB = 1024 * 1024;

/** The fake's request log, read and emptied often: it keeps only its last 10,000 entries. */
function drainRequests(fake: GraphFake) {
  const seen: LoggedRequest[] = [];
  const drain = () => {
    seen.push(...fake.requests());
    fake.clearRequests();
  };
  const timer = setInterval(drain, 100);
  return {
    stop(): LoggedRequest[] {
      clearInterval(timer);
      drain();
      return seen;
    },
  };
}

interface RequestCounts {
  /** Requests to Graph: a $batch counts once, its inner requests not. */
  graph: number;
  /** GETs of pre-authenticated download URLs. */
  downloads: number;
  /** Fragments sent to pre-authenticated upload URLs. */
  uploads: number;
  /** Inner requests of the $batch requests. */
  inner: number;
  /** Graph requests by kind, most first. */
  byKind: string;
  /** Inner requests by kind, most first. */
  innerByKind: string;
  /** Files written under `records/` (simple PUTs and upload sessions). */
  shardWrites: number;
  /** Answers of 400 and above (outer, inner and pre-authenticated), by status. */
  failures: string;
}

function kindOf(r: LoggedRequest): string {
  const path = decodeURIComponent(r.path);
  if (/\$batch$/.test(path)) return "$batch";
  if (/\/children$/.test(path)) return "list";
  if (/\/createUploadSession$/.test(path)) return "upload session";
  if (/\/permanentDelete$/.test(path)) return "permanentDelete";
  if (/:\/content$/.test(path)) return `${r.method} content`;
  const where = /approot:\/([^/]+)/.exec(path)?.[1] ?? "other";
  return `${r.method} ${where}/…`;
}

const byCount = (kinds: Map<string, number>) =>
  [...kinds]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ");

function countRequests(log: LoggedRequest[]): RequestCounts {
  const kinds = new Map<string, number>();
  const innerKinds = new Map<string, number>();
  const statuses = new Map<string, number>();
  const counts = { graph: 0, downloads: 0, uploads: 0, inner: 0, shardWrites: 0 };
  for (const r of log) {
    if (r.status >= 400 || r.status === 0) {
      statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + 1);
    }
    if (r.path.startsWith("/_download/")) counts.downloads += 1;
    else if (r.path.startsWith("/_upload/")) counts.uploads += 1;
    else if (r.batch) {
      counts.inner += 1;
      const kind = kindOf(r);
      innerKinds.set(kind, (innerKinds.get(kind) ?? 0) + 1);
    } else {
      counts.graph += 1;
      const kind = kindOf(r);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const path = decodeURIComponent(r.path);
    const writes = r.method === "PUT" || /\/createUploadSession$/.test(path);
    if (writes && path.includes(`approot:/${RECORDS_DIR}/`) && !r.path.startsWith("/_")) {
      counts.shardWrites += 1;
    }
  }
  return {
    ...counts,
    byKind: byCount(kinds),
    innerByKind: byCount(innerKinds),
    failures: byCount(statuses) || "none",
  };
}

/** The JS heap's peak while `run` runs (sampled every 50 ms). */
async function withPeakHeap<T>(run: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 50);
  try {
    return { result: await run(), peak };
  } finally {
    clearInterval(timer);
  }
}

const eTags = (files: StoredFile[], extension: string) =>
  new Map(files.filter((f) => f.name.endsWith(extension)).map((f) => [f.name, f.eTag]));

/** Moves `emails` old-layout emails and checks that nothing was lost. */
export async function benchMigration(emails = MIGRATION_SIZE): Promise<BenchRow[]> {
  const state = await seededLegacyState(emails, DEV_USER);
  const tls = await testCertificate();
  trustCertificateGlobally(tls.ca);
  const fake = await startGraphFake({ port: 0, dataDir: state.dataDir, tls });
  const seededRecords = new Map(legacyRecords(emails).map((r) => [r.savedId, r]));
  const label = `migrate ${emails.toLocaleString("en-GB")} old-layout emails`;
  try {
    const pane = createPaneStack({ graphBaseUrl: fake.graphBaseUrl, user: DEV_USER });
    const before = await pane.storage.list(EMAILS_DIR);
    const recordsBefore = [...eTags(before, ".json").keys()].map((n) => n.slice(0, -5));
    const emlBefore = eTags(before, ".eml");
    const indexBefore = (await pane.storage.list(INDEX_DIR)).length;
    // The seeding itself is checked: the comparison below means nothing against another mailbox.
    if (
      recordsBefore.length !== emails ||
      recordsBefore.some((id) => !seededRecords.has(id)) ||
      indexBefore === 0
    ) {
      throw new Error(
        `the cached legacy state in ${state.cacheDir} is not the one legacyRecords(${emails}) ` +
          `describes (${recordsBefore.length} record files, ${indexBefore} index files): delete it`,
      );
    }

    fake.clearRequests();
    const log = drainRequests(fake);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let failure = "";
    const { result: report, peak } = await withPeakHeap(() =>
      pane.reconcile().catch((error: unknown) => {
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        return null;
      }),
    );
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = ((cpu.user + cpu.system) / 1e6).toFixed(1);
    const requests = countRequests(log.stop());

    // What a new pane finds afterwards (nothing cached).
    const after = createPaneStack({ graphBaseUrl: fake.graphBaseUrl, user: DEV_USER });
    const filesAfter = await after.storage.list(EMAILS_DIR);
    const oldLeft = [...eTags(filesAfter, ".json").keys()].length;
    const indexLeft = (await after.storage.list(INDEX_DIR)).length;
    const emlAfter = eTags(filesAfter, ".eml");
    const emlChanged = [...emlBefore].filter(([name, eTag]) => emlAfter.get(name) !== eTag).length;
    const emlAdded = [...emlAfter.keys()].filter((name) => !emlBefore.has(name)).length;
    const listed = new Set((await after.index.entries()).map((e) => e.savedId));
    const readBack = new Map((await after.index.records()).map((r) => [r.savedId, r]));
    const notListed = recordsBefore.filter((id) => !listed.has(id));
    const changed = recordsBefore.filter(
      (id) => !isDeepStrictEqual(readBack.get(id), seededRecords.get(id)),
    );
    const lost = new Set([...notListed, ...changed]).size;
    const shardFiles = (await after.storage.list(RECORDS_DIR)).filter(
      (f) => f.name !== "catalogue.json",
    ).length;

    const seedNote =
      `seed ${state.seeded ? "paid this run" : "reused"} ` +
      `(${Math.round(state.seedMs / 1000)} s once, ${(state.cacheBytes / MB).toFixed(0)} MB ` +
      `in ${state.cacheDir})`;
    const outcome = failure
      ? `reconcile FAILED: ${failure}`
      : `reconcile moved ${report?.migrated ?? 0}`;
    return [
      {
        name: `${label}: time`,
        value: Math.round(ms / 100) / 10,
        unit: "s",
        detail:
          `${outcome}; CPU ${cpuSeconds} s in the bench process (the pane's services and the ` +
          `fake; steadier than the wall time on a shared machine); ${seedNote}`,
      },
      {
        name: `${label}: Graph requests`,
        value: requests.graph,
        unit: "requests",
        detail:
          `${requests.byKind}; a $batch counted once (${requests.inner} requests inside: ` +
          `${requests.innerByKind}); ` +
          `and ${requests.downloads} downloads, ${requests.uploads} upload fragments ` +
          `(pre-authenticated URLs); answers ≥ 400: ${requests.failures}`,
      },
      {
        name: `${label}: pre-authenticated downloads`,
        value: requests.downloads,
        unit: "requests",
        detail: "GETs of the download URLs Graph gives in the items' metadata",
      },
      {
        name: `${label}: lost`,
        value: lost,
        unit: "emails",
        goal: 0,
        required: true,
        detail:
          `of ${recordsBefore.length} listed before: not listed after ${notListed.length}, ` +
          `read back different or missing ${changed.length}` +
          (failure ? `; ${outcome}` : ""),
      },
      {
        name: `${label}: old files left, .eml files changed`,
        value: oldLeft + indexLeft + emlChanged + emlAdded,
        unit: "files",
        goal: 0,
        required: true,
        detail:
          `${oldLeft} old record files and ${indexLeft} index files left; .eml files ` +
          `${emlAfter.size} after, ${emlBefore.size} before (${emlChanged} changed or gone, ` +
          `${emlAdded} new)`,
      },
      {
        name: `${label}: shard files written`,
        value: requests.shardWrites,
        unit: "files",
        detail: `${shardFiles} shard files in ${RECORDS_DIR}/ afterwards`,
      },
      {
        name: `${label}: peak JS heap`,
        value: Math.round((peak / MB) * 10) / 10,
        unit: "MB",
        detail: "the bench process: the pane's services and the Graph fake, which runs in it",
      },
    ];
  } finally {
    await fake.close();
    rmSync(state.dataDir, { recursive: true, force: true });
  }
}

// `tsx bench/migration.ts [emails]` runs this bench alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchMigration(process.argv[2] ? Number(process.argv[2]) : undefined).then(
    (rows) => {
      for (const row of rows) console.log(`${row.name}: ${row.value} ${row.unit}\n  ${row.detail}`);
      const failed = failedRequirements({ date: "", node: "", rows });
      if (failed.length > 0) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
