// The Stored view at 1,000, 10,000 and 100,000 stored emails, in headless Chromium through the
// Outlook stand-in: Graph requests and time from opening the view to its first rows and to its
// last page, the JS heap once everything is loaded, how long a keystroke in the search takes to
// reach the screen (Event Timing), and the index (or shard) bytes one save writes at that size.
// The emails are seeded once per size and layout and reused (stored-seed.ts).
import { rmSync } from "node:fs";
import type { Frame } from "playwright-core";
import type { LoggedRequest } from "../dev/graph-fake/types.js";
import { startDemoStack } from "../dev/demo-stack.js";
import { launchChromium } from "../test/e2e/chromium.js";
import { trustCertificateGlobally } from "../test/support/graph-fake.js";
import { createPaneStack } from "../test/support/pane-stack.js";
import { median, type BenchRow } from "./report.js";
import { seededStoredState } from "./stored-seed.js";

/** The stand-in's mailbox owner: the pane signs in as this user. */
const USER = "alex.martin@contoso-build.example";
const DEV_USER = { id: USER, username: USER, name: "Alex Martin" };
export const STORED_SIZES = [1000, 10_000, 100_000];
const MB = 1024 * 1024;

/** Clicks the Stored tab; answers ms to the first row on screen. */
function openToRows(frame: Frame): Promise<number> {
  return frame.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (document.querySelector("[data-testid=stored-row]")) {
            observer.disconnect();
            resolve(performance.now() - start);
          }
        });
        observer.observe(document.body, { childList: true, subtree: true });
        (document.querySelector("[data-testid=tab-stored]") as HTMLElement).click();
      }),
  );
}

/** Waits for the last page (the count no longer says "loading more"). */
async function untilAllLoaded(frame: Frame): Promise<void> {
  await frame.locator("[data-testid=stored-count][data-state=done]").waitFor({ timeout: 600_000 });
}

/**
 * Types `text` into the search, a key at a time, and answers each keystroke's latency as Event
 * Timing measures it (key event to the next paint, per interaction). Chromium reports only
 * interactions over 16 ms, so a keystroke it leaves out counts as 16 ("within a frame").
 */
async function typingLatency(frame: Frame, text: string): Promise<number[]> {
  await frame.evaluate(() => {
    const w = window as unknown as { septEvents: Map<number, number> };
    w.septEvents = new Map();
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Array<PerformanceEntry & { interactionId?: number }>) {
        const id = e.interactionId ?? 0;
        if (id > 0) w.septEvents.set(id, Math.max(w.septEvents.get(id) ?? 0, e.duration));
      }
    }).observe({ type: "event", durationThreshold: 16 } as PerformanceObserverInit);
  });
  const search = frame.locator("[data-testid=stored-search]");
  await search.click();
  await frame.evaluate(() =>
    (window as unknown as { septEvents: Map<number, number> }).septEvents.clear(),
  );
  await search.pressSequentially(text, { delay: 40 });
  // The list settles on the results of the whole query.
  await frame.locator("[data-testid=stored-list][aria-busy=false]").waitFor();
  await frame.waitForTimeout(300);
  const slow = await frame.evaluate(() => [
    ...(window as unknown as { septEvents: Map<number, number> }).septEvents.values(),
  ]);
  return [...slow, ...Array<number>(Math.max(0, text.length - slow.length)).fill(16)];
}

/**
 * Requests sent over HTTP: a JSON $batch counts once (the fake also logs each request inside it,
 * which the detail lists); a pre-authenticated download counts as a request of its own.
 */
const sentRequests = (log: LoggedRequest[]): number => log.filter((r) => !r.batch).length;

/** Bytes one save writes to the index or shards: every body sent but the record, .eml, log. */
function indexWrites(log: LoggedRequest[]): { bytes: number; detail: string } {
  let uploadTarget = "";
  const parts: string[] = [];
  let bytes = 0;
  for (const r of log) {
    const path = decodeURIComponent(r.path);
    if (/\$batch$/.test(path) && !r.batch) continue; // counted through its inner requests
    if (!["PUT", "POST", "PATCH"].includes(r.method)) continue;
    if (/createUploadSession$/.test(path)) uploadTarget = path;
    const target = path.includes("/_upload/") ? uploadTarget : path;
    const file = target.replace(/^.*approot:\//, "").replace(/:\/.*$/, "");
    // The index of earlier versions (`index/`) or the record shards and their catalogue
    // (`records/`); the activity log's own shards are not the index.
    if (!/^(index|records)\//.test(file)) continue;
    bytes += r.requestBytes;
    parts.push(`${r.method} ${file.replace(/[0-9a-f]{12,}/g, "{id}")} ${r.requestBytes} B`);
  }
  return { bytes, detail: parts.join("; ") || "no index write" };
}

/** The index bytes of one save (details only) through the pane's services; NaN when it fails. */
async function measureSaveWrite(
  fake: Awaited<ReturnType<typeof startDemoStack>>["fake"],
): Promise<{ bytes: number; detail: string }> {
  const pane = createPaneStack({ graphBaseUrl: fake.graphBaseUrl, user: DEV_USER });
  const [first, second] = fake.mailbox();
  if (!first || !second) throw new Error("the demo mailbox has fewer than two messages");
  const save = (view: typeof first) =>
    pane.save({
      restId: view.restId,
      projectId: "tower-b",
      includeContent: false,
      internetMessageId: view.internetMessageId,
    });
  try {
    await pane.consent.grant(["email_metadata"]);
    await save(first); // the pane's first save also reads what it needs once
    fake.clearRequests();
    await save(second);
    return indexWrites(fake.requests());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { bytes: Number.NaN, detail: `the save failed: ${message}` };
  }
}

async function benchSize(
  emails: number,
  browser: Awaited<ReturnType<typeof launchChromium>>,
  runs: number,
): Promise<BenchRow[]> {
  const state = await seededStoredState(emails, DEV_USER);
  const stack = await startDemoStack({ dataDir: state.dataDir });
  trustCertificateGlobally(stack.tls.ca);
  const times: number[] = [];
  const allTimes: number[] = [];
  const requests: number[] = [];
  const allRequests: number[] = [];
  let firstRequests = "";
  let rendered = 0;
  let heap = Number.NaN;
  let typing: number[] = [];
  let found = 0;
  let saveWrite = { bytes: Number.NaN, detail: "" };
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await page.goto(`${stack.addinUrl}/outlook.html?pane=open`);
      const frame = await (await page.waitForSelector("iframe[name=sept-taskpane]")).contentFrame();
      if (!frame) throw new Error("no task pane frame");
      if (run === 0) {
        await frame.locator("[data-testid=consent-metadata]").check();
        await frame.locator("[data-testid=consent-allow]").click();
      }
      await frame.locator("[data-testid=message-card]").waitFor({ timeout: 600_000 });
      // Start-up housekeeping (reconcile, purge) finishes before the view is measured: the pane
      // marks its document when it is over.
      await frame.locator("html[data-sept-housekeeping=done]").waitFor({
        state: "attached",
        timeout: 600_000,
      });
      stack.fake.clearRequests();
      const started = Date.now();
      times.push(await openToRows(frame));
      requests.push(sentRequests(stack.fake.requests()));
      firstRequests = stack.fake
        .requests()
        .map(
          (r) =>
            `${r.batch ? "(in $batch) " : ""}${r.method} ${decodeURIComponent(r.path)
              .replace(/^.*approot:?/, "")
              .replace(/_download\/.*/, "_download/…")}`,
        )
        .join(", ");
      await untilAllLoaded(frame);
      allTimes.push(Date.now() - started);
      allRequests.push(sentRequests(stack.fake.requests()));
      rendered = await frame.locator("[data-testid=stored-row]").count();
      if (run === runs - 1) {
        heap = await frame.evaluate(
          () =>
            (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
              ?.usedJSHeapSize ?? Number.NaN,
        );
        // The oldest email is on the last page.
        typing = await typingLatency(frame, `seeded email ${emails - 1}`);
        found = await frame
          .locator(`[data-testid=stored-row] >> text="Seeded email ${emails - 1}"`)
          .count();
      }
      await context.close();
    }

    // One real save (details only) at this size, through the pane's services.
    saveWrite = await measureSaveWrite(stack.fake);
  } finally {
    await stack.close();
    rmSync(state.dataDir, { recursive: true, force: true });
  }
  const label = `Stored view, ${emails} emails`;
  const seedNote =
    `seed ${state.seeded ? "paid this run" : "reused"} (${Math.round(state.seedMs / 1000)} s once, ` +
    `${(state.cacheBytes / MB).toFixed(0)} MB in ${state.cacheDir})`;
  return [
    {
      name: `${label}: Graph requests`,
      value: median(requests),
      unit: "requests",
      goal: 3,
      detail:
        `to the first rows; to the last page ${median(allRequests)}; runs: ${requests.join(", ")}; ` +
        `the last run's to the first rows: ${firstRequests}`,
    },
    {
      name: `${label}: open to rows on screen (median of ${runs})`,
      value: Math.round(median(times)),
      unit: "ms",
      goal: 300,
      detail:
        `rows in the DOM (virtualised): ${rendered}; runs: ${times.map(Math.round).join(", ")}; ` +
        `to the last page: ${Math.round(median(allTimes))} ms; ${seedNote}`,
    },
    {
      name: `${label}: index bytes written by one save`,
      value: saveWrite.bytes,
      unit: "bytes",
      goal: 64 * 1024,
      detail: saveWrite.detail,
    },
    {
      name: `${label}: keystroke in the search to paint (median, Event Timing)`,
      value: Math.round(median(typing)),
      unit: "ms",
      detail:
        `16 = within a frame; slowest ${Math.round(Math.max(...typing, 0))} ms of ${typing.length} keys; ` +
        `the oldest email found: ${found === 1 ? "yes" : "no"}`,
    },
    {
      name: `${label}: JS heap with every page loaded`,
      value: Number.isFinite(heap) ? Math.round((heap / MB) * 10) / 10 : heap,
      unit: "MB",
    },
  ];
}

/** Every size in turn; `sizes` from `--stored-sizes`, default 1,000, 10,000 and 100,000. */
export async function benchStoredRender(runs = 5, sizes = STORED_SIZES): Promise<BenchRow[]> {
  const browser = await launchChromium();
  const rows: BenchRow[] = [];
  try {
    // At 100,000 every run reads the whole mailbox's listing: three runs make the median.
    for (const emails of sizes) {
      rows.push(
        ...(await benchSize(emails, browser, emails >= 100_000 ? Math.min(runs, 3) : runs)),
      );
    }
  } finally {
    await browser.close();
  }
  return rows;
}
