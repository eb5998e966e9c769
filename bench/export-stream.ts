// Exporting 1 GB of stored mail: the streaming export's peak memory in Node. The stored emails
// come from a storage that makes each .eml when it is read (so the bench itself holds none of
// the 1 GB), and the ZIP goes to /dev/null through a Node write stream, as the tenant job's
// `export --out` writes a file. What is measured is the export pipeline (listing, reading one
// email at a time, fflate's streaming Zip, the sink's back-pressure), not the Graph client.
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { chromium } from "playwright-core";
import { prepareChromium } from "../test/e2e/chromium.js";
import { createStorageActivityLog } from "../src/services/storage/activity-log.js";
import { createStorageConsentLedger } from "../src/services/storage/consent-ledger.js";
import { exportMyDataTo, writableStreamSink } from "../src/services/rights/export.js";
import { MB, syntheticMailStorage } from "./export-synthetic.js";
import type { BenchRow } from "./report.js";

interface Peak {
  heapUsed: number;
  heapPlusBuffers: number;
  rss: number;
}

async function measure<T>(task: () => Promise<T>): Promise<{ result: T; peak: Peak; base: Peak }> {
  (globalThis as { gc?: () => void }).gc?.();
  const sample = (): Peak => {
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, heapPlusBuffers: m.heapUsed + m.arrayBuffers, rss: m.rss };
  };
  const base = sample();
  const peak = { ...base };
  const take = () => {
    const now = sample();
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    peak.heapPlusBuffers = Math.max(peak.heapPlusBuffers, now.heapPlusBuffers);
    peak.rss = Math.max(peak.rss, now.rss);
  };
  const timer = setInterval(take, 5);
  try {
    const result = await task();
    take();
    return { result, peak, base };
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

export async function benchExportStream(): Promise<BenchRow[]> {
  const { storage, emails, bytes } = syntheticMailStorage();
  const activity = createStorageActivityLog(storage);
  const ledger = createStorageConsentLedger(storage);
  const started = performance.now();
  const { result, peak, base } = await measure(() =>
    exportMyDataTo(
      {
        storage,
        activity,
        ledger,
        principal: { principalId: "bench@contoso.example", language: "en" },
      },
      writableStreamSink(
        Writable.toWeb(createWriteStream("/dev/null")) as WritableStream<Uint8Array>,
      ),
    ),
  );
  const ms = performance.now() - started;
  const detail = `${emails} emails, ${mb(bytes)} MB stored, ${mb(result.sizeBytes)} MB ZIP in ${Math.round(ms / 100) / 10} s`;
  return [
    {
      name: "export 1 GB: peak JS heap (Node)",
      value: mb(peak.heapUsed),
      unit: "MB",
      goal: 300,
      detail: `${detail}; heap before ${mb(base.heapUsed)} MB`,
    },
    {
      name: "export 1 GB: peak heap + ArrayBuffers (Node)",
      value: mb(peak.heapPlusBuffers),
      unit: "MB",
      goal: 300,
      detail: "Uint8Arrays live outside the JS heap in Node: this row counts them too",
    },
    {
      name: "export 1 GB: peak RSS (Node)",
      value: mb(peak.rss),
      unit: "MB",
      detail: `the whole process (bench, V8, fflate); before ${mb(base.rss)} MB`,
    },
  ];
}

/** Resident memory (bytes) of every Chromium process started with this profile, by type. */
function chromiumRss(profile: string): { renderer: number; all: number } {
  let renderer = 0;
  let all = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmdline.includes(profile)) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      const bytes = Number(rss?.[1] ?? 0) * 1024;
      all += bytes;
      if (cmdline.includes("--type=renderer")) renderer += bytes;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return { renderer, all };
}

/**
 * The pane's export in headless Chromium: the page's JS heap (CDP Runtime.getHeapUsage) and the
 * renderer's resident memory, sampled while the ZIP goes into blobs. Chromium keeps blob bytes in
 * the browser process and pages them to disk past its quota, which the "all processes" figure
 * shows.
 */
export async function benchExportChromium(): Promise<BenchRow[]> {
  const bundle = execFileSync(
    join(import.meta.dirname, "..", "node_modules", ".bin", "esbuild"),
    [join(import.meta.dirname, "export-page.ts"), "--bundle", "--format=esm", "--log-level=error"],
    { maxBuffer: 64 * MB },
  ).toString("utf8");
  const profile = mkdtempSync(join(tmpdir(), "sept-bench-export-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? (await prepareChromium()),
    headless: true,
    acceptDownloads: false,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await context.newPage();
    // An https origin, so the page is a secure context (crypto.subtle) as the pane is.
    await page.route("https://bench.invalid/**", (route) =>
      route.request().url().endsWith(".js")
        ? route.fulfill({ contentType: "text/javascript", body: bundle })
        : route.fulfill({
            contentType: "text/html",
            body: '<!doctype html><script type="module" src="/export.js"></script>',
          }),
    );
    await page.goto("https://bench.invalid/");
    await page.waitForFunction(() => typeof window.runExport === "function");
    const cdp = await context.newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    const sampleHeap = async () =>
      (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
    const base = { heap: (await sampleHeap()).usedSize, rss: chromiumRss(profile) };
    const peak = { heap: base.heap, renderer: base.rss.renderer, all: base.rss.all };
    let running = true;
    const sampler = (async () => {
      while (running) {
        const heap = await sampleHeap().catch(() => null);
        if (heap) peak.heap = Math.max(peak.heap, heap.usedSize);
        const rss = chromiumRss(profile);
        peak.renderer = Math.max(peak.renderer, rss.renderer);
        peak.all = Math.max(peak.all, rss.all);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const result = await page.evaluate(() => window.runExport());
    running = false;
    await sampler;
    const detail = `${result.emails} emails, ${mb(result.bytes)} MB stored, ${mb(result.sizeBytes)} MB ZIP in ${Math.round(result.ms / 100) / 10} s`;
    return [
      {
        name: "export 1 GB: peak JS heap (Chromium)",
        value: mb(peak.heap),
        unit: "MB",
        goal: 300,
        detail: `${detail}; heap before ${mb(base.heap)} MB (CDP Runtime.getHeapUsage)`,
      },
      {
        name: "export 1 GB: renderer RSS growth (Chromium)",
        value: mb(peak.renderer - base.rss.renderer),
        unit: "MB",
        goal: 300,
        detail: `the page's process, ArrayBuffers included: peak ${mb(peak.renderer)} MB, before ${mb(base.rss.renderer)} MB (RSS counts shared pages)`,
      },
      {
        name: "export 1 GB: RSS growth, all Chromium processes",
        value: mb(peak.all - base.rss.all),
        unit: "MB",
        detail: `the browser process keeps blob bytes in memory up to its blob quota and pages them to disk beyond it; peak ${mb(peak.all)} MB, before ${mb(base.rss.all)} MB`,
      },
    ];
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
