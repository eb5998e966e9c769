// Bundle size of the production task pane and its cold load time in headless Chromium.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildAddin, startDemoStack } from "../dev/demo-stack.js";
import { launchChromium } from "../test/e2e/chromium.js";
import { median, type BenchRow } from "./report.js";

/** gzip size of every script taskpane.html loads from the add-in's own origin. */
export function initialScriptBytes(outputDir: string): {
  gzip: number;
  raw: number;
  files: string[];
} {
  const html = readFileSync(join(outputDir, "taskpane.html"), "utf8");
  // The production HTML is minified: attribute values may come without quotes.
  const files = [...html.matchAll(/<script[^>]*\ssrc=["']?([^"'\s>]+)/g)]
    .map((m) => m[1] ?? "")
    .filter((src) => !/^https?:/.test(src));
  let gzip = 0;
  let raw = 0;
  for (const file of files) {
    const bytes = readFileSync(join(outputDir, file.replace(/^\//, "")));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { gzip, raw, files };
}

export async function benchLoad(runs = 10): Promise<BenchRow[]> {
  const prodDir = mkdtempSync(join(tmpdir(), "sept-bench-prod-"));
  // Size is taken from the production build: what Outlook users download.
  await buildAddin({ demo: false, outputDir: prodDir });
  const size = initialScriptBytes(prodDir);

  const stack = await startDemoStack();
  const browser = await launchChromium();
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A new context per run: empty cache, as on a first open.
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await page.goto(`${stack.addinUrl}/outlook.html?pane=open`);
      const frameElement = await page.waitForSelector("iframe[name=sept-taskpane]");
      const frame = await frameElement.contentFrame();
      if (!frame) throw new Error("no task pane frame");
      // The first useful view (consent gate or message) marks itself once the ledger is read.
      const handle = await frame.waitForFunction(
        () => performance.getEntriesByName("sept:first-view")[0]?.startTime,
      );
      const firstView = Number(await handle.jsonValue());
      times.push(firstView);
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.close();
  }
  return [
    {
      name: "initial task-pane JS (gzip)",
      value: Math.round(size.gzip / 102.4) / 10,
      unit: "KB",
      goal: 110,
      detail: `${size.files.join(", ")}; ${size.raw} bytes raw`,
    },
    {
      name: `cold load to first view (median of ${runs})`,
      value: Math.round(median(times)),
      unit: "ms",
      goal: 500,
      detail: `runs: ${times.map((t) => Math.round(t)).join(", ")}`,
    },
  ];
}
