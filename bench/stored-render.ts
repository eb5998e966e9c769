// The Stored view with 1,000 stored emails, in headless Chromium through the Outlook stand-in:
// Graph requests and time from opening the view to its rows on screen.
import { createDevTokenProvider } from "../src/adapters/auth/dev-token-provider.js";
import { createAppFolderStorage } from "../src/adapters/graph/app-folder-storage.js";
import { createGraphClient } from "../src/adapters/graph/graph-client.js";
import { GRAPH_SCOPES } from "../src/core/ports/auth.js";
import { startDemoStack } from "../dev/demo-stack.js";
import { launchChromium } from "../test/e2e/chromium.js";
import { trustCertificateGlobally } from "../test/support/graph-fake.js";
import { seededRecord, seedStoredEmails } from "../test/support/rights-stack.js";
import { median, type BenchRow } from "./report.js";

const EMAILS = 1000;
/** The stand-in's mailbox owner: the pane signs in as this user. */
const USER = "alex.martin@contoso-build.example";

export async function benchStoredRender(runs = 5): Promise<BenchRow[]> {
  const stack = await startDemoStack();
  trustCertificateGlobally(stack.tls.ca);
  const browser = await launchChromium();
  const times: number[] = [];
  const requests: number[] = [];
  let rendered = 0;
  try {
    const storage = createAppFolderStorage(
      createGraphClient({
        graphBaseUrl: stack.fake.graphBaseUrl,
        auth: createDevTokenProvider({ id: USER, username: USER, name: "Alex Martin" }),
        scopes: [GRAPH_SCOPES.storage],
      }),
      { maxConcurrent: 16 },
    );
    const now = Date.now();
    const records = Array.from({ length: EMAILS }, (_, n) =>
      seededRecord(n, new Date(now - (n % 60) * 86_400_000).toISOString(), { content: false }),
    );
    await seedStoredEmails(storage, records);

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
      await frame.locator("[data-testid=message-card]").waitFor();
      // Let start-up housekeeping (reconcile, purge) finish before measuring the view.
      await page.waitForTimeout(1500);
      stack.fake.clearRequests();
      const elapsed = await frame.evaluate(
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
      times.push(elapsed);
      requests.push(stack.fake.requests().length);
      rendered = await frame.locator("[data-testid=stored-row]").count();
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.close();
  }
  return [
    {
      name: `Stored view, ${EMAILS} emails: Graph requests`,
      value: median(requests),
      unit: "requests",
      goal: 3,
      detail: `runs: ${requests.join(", ")}`,
    },
    {
      name: `Stored view, ${EMAILS} emails: open to rows on screen (median of ${runs})`,
      value: Math.round(median(times)),
      unit: "ms",
      goal: 300,
      detail: `rows in the DOM (virtualised): ${rendered}; runs: ${times.map(Math.round).join(", ")}`,
    },
  ];
}
