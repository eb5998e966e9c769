// The user's rights at scale, against the Graph fake over HTTPS: listing 1,000 stored emails,
// purging 1,000 expired ones, exporting 1,000. Requests are counted from the fake's own log (a
// $batch counts once, as Graph throttling counts it).
import { retentionDays } from "../src/core/retention.js";
import { exportMyData } from "../src/services/rights/export.js";
import { purgeExpired } from "../src/services/rights/purge.js";
import { listStored } from "../src/services/rights/stored-emails.js";
import { startTestFake, trustCertificateGlobally } from "../test/support/graph-fake.js";
import {
  createRightsPane,
  createSeedingStorage,
  seedStoredEmails,
  seededRecord,
} from "../test/support/rights-stack.js";
import type { BenchRow } from "./report.js";

const EMAILS = 1000;
/** About the size of a site email with a small PDF: the export moves real bytes. */
const ATTACHMENT_BYTES = 48 * 1024;
const DAY = 86_400_000;
const MB = 1024 * 1024;

/** Heap plus ArrayBuffers (where downloaded bytes and the ZIP live), sampled while `task` runs. */
export async function peakMemory<T>(
  task: () => Promise<T>,
): Promise<{ result: T; peakMb: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const baseline = used();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, used());
  }, 10);
  try {
    const result = await task();
    peak = Math.max(peak, used());
    return { result, peakMb: (peak - baseline) / MB };
  } finally {
    clearInterval(timer);
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export async function benchRights(): Promise<BenchRow[]> {
  const t = await startTestFake();
  trustCertificateGlobally(t.ca);
  const rows: BenchRow[] = [];
  try {
    const now = new Date();
    const seeder = createSeedingStorage(t.fake.graphBaseUrl);
    // Saved 100–149 days ago: all expire under a 90-day retention.
    const records = Array.from({ length: EMAILS }, (_, n) =>
      seededRecord(n, new Date(now.getTime() - (100 + (n % 50)) * DAY).toISOString(), {
        attachmentBytes: ATTACHMENT_BYTES,
      }),
    );
    await seedStoredEmails(seeder, records, { attachmentBytes: ATTACHMENT_BYTES });
    const pane = createRightsPane(t.fake.graphBaseUrl);
    await pane.settings.setRetention(retentionDays(365));
    await pane.settings.current();
    const retention = async () => (await pane.settings.current()).effective;
    const outer = () => t.fake.requests().filter((r) => !r.batch);

    t.fake.clearRequests();
    let started = performance.now();
    const listed = await listStored({ index: pane.index, retention });
    const listMs = performance.now() - started;
    rows.push(
      {
        name: "list 1,000 stored emails: requests",
        value: outer().length,
        unit: "requests",
        goal: 3,
        detail: `${listed.length} listed; ${outer()
          .map(
            (r) =>
              `${r.method} ${r.path.replace(/^.*approot:?/, "").replace(/^\/_download\/.*/, "/_download/…")}`,
          )
          .join(", ")}; the retention setting is read once at pane start`,
      },
      {
        name: "list 1,000 stored emails: time to data",
        value: Math.round(listMs),
        unit: "ms",
        detail: "index read and expiry dates; render is measured by the view bench",
      },
    );

    t.fake.clearRequests();
    started = performance.now();
    const exported = await peakMemory(() =>
      exportMyData({
        storage: pane.storage,
        activity: pane.activity,
        ledger: pane.ledger,
        principal: { principalId: "alex.martin@contoso-build.example", language: "en" },
      }),
    );
    const exportMs = performance.now() - started;
    rows.push(
      {
        name: "export 1,000 emails: time",
        value: Math.round(exportMs),
        unit: "ms",
        detail: `${round1(exported.result.byteLength / MB)} MB ZIP, ${outer().length} requests`,
      },
      {
        name: "export 1,000 emails: peak memory",
        value: round1(exported.peakMb),
        unit: "MB",
        detail: "growth of heap + ArrayBuffers over the export (the fake runs in-process too)",
      },
    );

    await pane.settings.setRetention(retentionDays(90));
    t.fake.clearRequests();
    started = performance.now();
    const purged = await purgeExpired({ ...pane.deps, retention });
    const purgeMs = performance.now() - started;
    const requests = outer();
    const batches = requests.filter((r) => r.path.endsWith("/$batch")).length;
    const events = requests.filter((r) => r.method === "PUT" && r.path.includes("/activity/"));
    const inner = t.fake.requests().filter((r) => r.batch);
    const innerOf = (folder: string) => inner.filter((r) => r.path.includes(folder)).length;
    const refused = inner.filter((r) => r.path.endsWith("/permanentDelete") && r.status === 403);
    rows.push(
      {
        name: "purge 1,000 expired: requests",
        value: requests.length,
        unit: "requests",
        goal: 60,
        detail:
          `${purged.purged.length} purged: ${batches} $batch (${innerOf("/emails/")} content ` +
          `deletes, ${refused.length} of them permanentDeletes refused; ${innerOf("/records/")} ` +
          `record-file renames and deletes), ${events.length} event PUTs, ` +
          `${requests.length - batches - events.length} index`,
      },
      {
        name: "purge 1,000 expired: time",
        value: Math.round(purgeMs),
        unit: "ms",
      },
    );
  } finally {
    await t.stop();
  }
  return rows;
}
