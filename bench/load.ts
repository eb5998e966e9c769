// The task pane's start-up, as the browser saw it: every JS file it loaded before its first useful
// view (resource timing in the pane's frame), the Graph requests made before that view (the fake's
// request log), and the time to it, side by side with Microsoft's React task-pane template.
//
// The template row needs a built copy of OfficeDev/Office-Addin-TaskPane-React (nothing of it is
// in this repository). To make one, outside the repository (about 5 minutes here):
//
//   git clone --depth 1 https://github.com/OfficeDev/Office-Addin-TaskPane-React /tmp/tpl
//   cd /tmp/tpl
//   rm -r .npmrc package-lock.json test   # .npmrc and the lock point at Microsoft's private feed;
//                                         # ts-loader type-checks test/, which needs dropped deps
//   # devDependencies only its tests and sideloading use; office-addin-debugging's native build
//   # aborts npm install on Linux, webpack-dev-server 6 wants Node 22:
//   npm pkg delete devDependencies.{office-addin-debugging,office-addin-test-server,office-addin-test-helpers,office-addin-lint,office-addin-prettier-config,eslint-plugin-office-addins,eslint-plugin-react,mocha,ts-node,webpack-dev-server,office-addin-mock,office-addin-cli,office-addin-manifest,less,less-loader}
//   npm install --no-audit --no-fund --registry=https://registry.npmjs.org/
//   npx webpack --mode production      # writes dist/, as the template's own `npm run build`
//   SEPT_BENCH_TEMPLATE_DIR=/tmp/tpl/dist npm run bench -- --only load
//
// (Checked on 2026-12-02 against the template's main branch: the install took about 3 minutes and
// the build about 2 on this 2-core machine. Any copy of the repository does, e.g. a `git archive`
// of a snapshot extracted into /tmp/tpl instead of the clone.) Never copy it into this repository.
// The pane's times move with the machine's load; the ratio, measured in alternating runs, much less.
//
// The template's taskpane.html is served by a static server like the pane's (same code, TLS and
// headers), over a copy of the demo build in which it is the /taskpane.html the same Outlook
// stand-in opens, with Office.js swapped for the stand-in's runtime exactly as the pane's is, so
// the two differ only in their own code. Its "first view" is its App in the DOM. (Until
// 2026-12-02 the stand-in's request for /taskpane.html was rerouted by Playwright instead, which
// delayed the template's page, and only the template's, by the round trip through the bench's
// process: about 50-100 ms on this machine.)
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContext, Frame } from "playwright-core";
import { startDemoStack, type DemoStack } from "../dev/demo-stack.js";
import { startStaticServer, type StaticServer } from "../dev/static-server.js";
import { contentSecurityPolicy, fakeConnectSources } from "../scripts/csp.js";
import type { LoggedRequest } from "../dev/graph-fake/types.js";
import { launchChromium } from "../test/e2e/chromium.js";
import { median, type BenchRow } from "./report.js";

const TEMPLATE_ENV = "SEPT_BENCH_TEMPLATE_DIR";
const PANE_FRAME = "sept-taskpane";
/** Set by the pane once the consent gate or the message is shown. */
const FIRST_VIEW = "sept:first-view";
/** Set by the bench (below) when the save panel, with its projects, is in the DOM. */
const SAVE_PANEL = "bench:save-panel";
/** Set by the bench when the template's App has rendered into #container. */
const TEMPLATE_APP = "bench:app-in-dom";

// Runs in every frame before its own scripts: marks, in the frame's own timeline, the moment an
// element the bench waits for enters the DOM (no polling delay in the figure). A string, not a
// function: tsx would wrap a function's inner names in a helper the page does not have.
const OBSERVE_MARKS = `(() => {
  const watch = [
    ["[data-testid=save-panel]", ${JSON.stringify(SAVE_PANEL)}],
    ["#container > *", ${JSON.stringify(TEMPLATE_APP)}],
  ];
  const seen = new Set();
  new MutationObserver(() => {
    for (const [selector, mark] of watch) {
      if (!seen.has(mark) && document.querySelector(selector)) {
        seen.add(mark);
        performance.mark(mark);
      }
    }
  }).observe(document, { childList: true, subtree: true });
})();`;

interface LoadedScript {
  path: string;
  transfer: number;
  decoded: number;
  gzip: number;
}

interface PaneLoad {
  /** ms from the frame's navigation start to the view. */
  view: number;
  scripts: LoadedScript[];
  graph: LoggedRequest[];
}

interface FrameTiming {
  /** Each mark waited for, in ms from the frame's navigation start. */
  marks: Record<string, number>;
  timeOrigin: number;
  entries: Array<{
    name: string;
    startTime: number;
    transferSize: number;
    decodedBodySize: number;
  }>;
}

async function paneFrame(context: BrowserContext, url: string): Promise<Frame> {
  const page = await context.newPage();
  await page.goto(url);
  const element = await page.waitForSelector(`iframe[name=${PANE_FRAME}]`);
  const frame = await element.contentFrame();
  if (!frame) throw new Error("no task pane frame");
  return frame;
}

/** Waits for every mark in the frame, then reads what it had fetched by then. */
async function timingAt(frame: Frame, marks: string[]): Promise<FrameTiming> {
  try {
    await frame.waitForFunction(
      (names) => names.every((name) => performance.getEntriesByName(name).length > 0),
      marks,
      { timeout: 60_000 },
    );
  } catch (error) {
    const seen = await frame
      .evaluate(() => ({
        marks: performance.getEntriesByType("mark").map((m) => m.name),
        testIds: [...document.querySelectorAll("[data-testid]")].map((e) =>
          e.getAttribute("data-testid"),
        ),
      }))
      .catch(() => null);
    throw new Error(`waiting for ${marks.join(", ")}: saw ${JSON.stringify(seen)}`, {
      cause: error,
    });
  }
  return frame.evaluate((names) => {
    const entries = [
      ...performance.getEntriesByType("navigation"),
      ...performance.getEntriesByType("resource"),
    ] as PerformanceResourceTiming[];
    return {
      marks: Object.fromEntries(
        names.map((name) => [name, performance.getEntriesByName(name)[0]?.startTime ?? NaN]),
      ),
      timeOrigin: performance.timeOrigin,
      entries: entries.map((e) => ({
        name: e.name,
        startTime: e.startTime,
        transferSize: e.transferSize,
        decodedBodySize: e.decodedBodySize,
      })),
    };
  }, marks);
}

/**
 * The add-in's own JS the frame requested before `view` (a file fetched afterwards, a prefetch,
 * did not delay it). The stand-in's Office runtime is left out: it stands for Office.js.
 */
function scriptsBefore(
  timing: FrameTiming,
  view: number,
  origin: string,
  root: string,
): LoadedScript[] {
  return timing.entries
    .filter((e) => e.startTime <= view && e.name.startsWith(origin))
    .map((e) => ({ ...e, path: new URL(e.name).pathname }))
    .filter((e) => e.path.endsWith(".js") && !/\/office-standin\./.test(e.path))
    .map((e) => {
      // gzip of the same file from the build output: the static server does not compress.
      const file = join(root, decodeURIComponent(e.path));
      return {
        path: e.path,
        transfer: e.transferSize,
        decoded: e.decodedBodySize,
        gzip: existsSync(file) ? gzipSync(readFileSync(file), { level: 9 }).length : Number.NaN,
      };
    });
}

/** HTTP requests that reached the fake's Graph endpoints before `view` ($batch counts once). */
function graphBefore(
  requests: LoggedRequest[],
  timing: FrameTiming,
  view: number,
): LoggedRequest[] {
  const until = timing.timeOrigin + view;
  return requests
    .filter((r) => !r.batch && /^\/(v1\.0|_upload|_download)(\/|$)/.test(r.path))
    .filter((r) => Date.parse(r.time) <= until);
}

/** One cold open of the pane, measured at each of `marks`. */
async function measurePane(
  browser: Browser,
  stack: DemoStack,
  marks: string[],
): Promise<Record<string, PaneLoad>> {
  // A new context per run: empty cache and no roaming settings, as on a first open.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    await context.addInitScript({ content: OBSERVE_MARKS });
    stack.fake.clearRequests();
    const frame = await paneFrame(context, `${stack.addinUrl}/outlook.html?pane=open`);
    const timing = await timingAt(frame, marks);
    const requests = stack.fake.requests();
    return Object.fromEntries(
      marks.map((mark) => {
        const view = timing.marks[mark] ?? Number.NaN;
        return [
          mark,
          {
            view,
            scripts: scriptsBefore(timing, view, stack.addinUrl, stack.outputDir),
            graph: graphBefore(requests, timing, view),
          },
        ];
      }),
    );
  } finally {
    await context.close();
  }
}

/** A returning user: consent given and one email saved, so the first view is the save panel. */
async function becomeReturningUser(browser: Browser, stack: DemoStack): Promise<void> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(`${stack.addinUrl}/outlook.html?pane=open`);
    const pane = page.frameLocator(`iframe[name=${PANE_FRAME}]`);
    await pane.getByTestId("consent-metadata").check();
    await pane.getByTestId("consent-content").check();
    await pane.getByTestId("consent-allow").click();
    const picker = pane.getByTestId("project-picker");
    await picker.click();
    await picker.fill("Tower B");
    await pane.getByTestId("project-create").click();
    await pane.getByTestId("save-button").click();
    await pane.getByTestId("save-result").waitFor({ timeout: 60_000 });
  } finally {
    await context.close();
  }
}

/**
 * Serves a built template as the stand-in's /taskpane.html: a copy of the demo build (the stand-in
 * and its runtime), the template's files under /template/, and its page, with Office.js swapped
 * for the stand-in's runtime, in place of the pane's.
 */
async function serveTemplate(templateDir: string, stack: DemoStack): Promise<StaticServer> {
  const dist = existsSync(join(templateDir, "taskpane.html"))
    ? templateDir
    : join(templateDir, "dist");
  if (!existsSync(join(dist, "taskpane.html"))) {
    throw new Error(`${TEMPLATE_ENV}=${templateDir}: no taskpane.html there or in dist/`);
  }
  const root = mkdtempSync(join(tmpdir(), "sept-bench-template-"));
  cpSync(stack.outputDir, root, { recursive: true });
  cpSync(dist, join(root, "template"), { recursive: true });
  const standin = readdirSync(stack.outputDir).find((f) => /^office-standin\..*\.js$/.test(f));
  if (!standin) throw new Error("the demo build has no office-standin script");
  const html = readFileSync(join(dist, "taskpane.html"), "utf8")
    .replace(
      /<script[^>]*src=["']?https:\/\/appsforoffice\.microsoft\.com[^>]*><\/script>/,
      `<script src="/${standin}"></script>`,
    )
    // The page is served as /taskpane.html, so its own relative URLs must say where.
    .replace(/(src|href)=(["']?)(?![a-z]+:|\/)([^"'\s>]+)/g, "$1=$2/template/$3");
  if (!html.includes(standin)) throw new Error("the template's taskpane.html loads no office.js");
  writeFileSync(join(root, "taskpane.html"), html);
  const server = await startStaticServer({
    root,
    tls: stack.tls,
    csp: contentSecurityPolicy({
      connect: fakeConnectSources(stack.fake.graphBaseUrl),
      scripts: [],
    }),
  });
  return {
    ...server,
    async close() {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function measureTemplate(browser: Browser, template: StaticServer): Promise<number> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    await context.addInitScript({ content: OBSERVE_MARKS });
    const problems: string[] = [];
    context.on("console", (m) => void (m.type() === "error" && problems.push(m.text())));
    context.on("weberror", (e) => void problems.push(e.error().message));
    const frame = await paneFrame(context, `${template.url}/outlook.html?pane=open`);
    try {
      return (await timingAt(frame, [TEMPLATE_APP])).marks[TEMPLATE_APP] ?? Number.NaN;
    } catch (error) {
      throw new Error(`the template did not render: ${problems.join("; ")}`, { cause: error });
    }
  } finally {
    await context.close();
  }
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function scriptRow(name: string, load: PaneLoad, goal: number | null = 100): BenchRow {
  const files = load.scripts;
  return {
    name,
    value: kb(sum(files.map((f) => f.gzip))),
    unit: "KB",
    ...(goal === null ? {} : { goal }),
    detail:
      `${files.length} files, ${kb(sum(files.map((f) => f.decoded)))} KB decoded, ` +
      `${kb(sum(files.map((f) => f.transfer)))} KB transferred: ` +
      files.map((f) => `${f.path.replace(/^\//, "")} ${kb(f.gzip)}`).join(", "),
  };
}

function graphRow(name: string, load: PaneLoad, goal: number | null = 3): BenchRow {
  return {
    name,
    value: load.graph.length,
    unit: "",
    ...(goal === null ? {} : { goal }),
    detail: load.graph.map((r) => `${r.method} ${decodeURIComponent(r.path)}`).join("; "),
  };
}

export async function benchLoad(runs = 10): Promise<BenchRow[]> {
  const templateDir = process.env[TEMPLATE_ENV];
  const stack = await startDemoStack();
  const browser = await launchChromium();
  const firstViews: number[] = [];
  const templateViews: number[] = [];
  const returningViews: number[] = [];
  const savePanelViews: number[] = [];
  let newUser: PaneLoad | undefined;
  let returning: Record<string, PaneLoad> | undefined;
  let template: StaticServer | undefined;
  try {
    template = templateDir ? await serveTemplate(templateDir, stack) : undefined;
    // Side by side: the pane and the template alternate, so a busy machine slows both alike.
    for (let i = 0; i < runs; i++) {
      newUser = (await measurePane(browser, stack, [FIRST_VIEW]))[FIRST_VIEW];
      if (newUser) firstViews.push(newUser.view);
      if (template) templateViews.push(await measureTemplate(browser, template));
    }
    await becomeReturningUser(browser, stack);
    for (let i = 0; i < Math.max(1, Math.ceil(runs / 2)); i++) {
      returning = await measurePane(browser, stack, [FIRST_VIEW, SAVE_PANEL]);
      returningViews.push(returning[FIRST_VIEW]?.view ?? Number.NaN);
      savePanelViews.push(returning[SAVE_PANEL]?.view ?? Number.NaN);
    }
  } finally {
    await browser.close();
    await template?.close();
    await stack.close();
  }
  const returningFirst = returning?.[FIRST_VIEW];
  const returningPanel = returning?.[SAVE_PANEL];
  if (!newUser || !returningFirst || !returningPanel) throw new Error("no run measured");
  const ms = (values: number[]) => values.map((t) => Math.round(t)).join(", ");
  const sept = median(firstViews);
  const templateView = templateViews.length ? median(templateViews) : Number.NaN;
  return [
    scriptRow("JS before the first useful view (gzip, new user: consent)", newUser),
    scriptRow("JS before the first useful view (gzip, returning user: message)", returningFirst),
    scriptRow("JS before the save panel is ready (gzip, returning user)", returningPanel, null),
    graphRow("Graph requests to the first useful view (new user)", newUser),
    graphRow("Graph requests to the first useful view (returning user)", returningFirst),
    graphRow("Graph requests to the save panel ready (returning user)", returningPanel, null),
    {
      name: `cold load to first view (median of ${runs})`,
      value: Math.round(sept),
      unit: "ms",
      goal: 500,
      detail: `runs: ${ms(firstViews)}`,
    },
    {
      name: `returning user: first view / save panel ready (median of ${returningViews.length})`,
      value: Math.round(median(returningViews)),
      unit: "ms",
      detail: `first view: ${ms(returningViews)}; save panel ready: ${ms(savePanelViews)} (median ${Math.round(median(savePanelViews))})`,
    },
    templateViews.length
      ? {
          name: "first view / Microsoft template's App-in-DOM",
          value: Math.round((sept / templateView) * 100) / 100,
          unit: "x",
          goal: 1.3,
          detail: `template App-in-DOM median ${Math.round(templateView)} ms (runs: ${ms(templateViews)}); pane ${Math.round(sept)} ms`,
        }
      : {
          name: "first view / Microsoft template's App-in-DOM",
          value: Number.NaN,
          unit: "x",
          goal: 1.3,
          detail: `not measured (set ${TEMPLATE_ENV} to a built Office-Addin-TaskPane-React dist/; see bench/load.ts)`,
        },
  ];
}
