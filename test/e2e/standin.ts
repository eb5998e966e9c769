// Opening the Outlook stand-in in Chromium, and watching for what must never happen on a page.
import { AxeBuilder } from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from "playwright-core";
import { inject } from "vitest";

export const resultsDir = join(import.meta.dirname, "..", "..", "test-results");

export interface StandinSession {
  context: BrowserContext;
  page: Page;
  pane: FrameLocator;
  /** Console errors, page errors, dialogs and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

export async function openStandin(
  browser: Browser,
  query: Record<string, string> = {},
): Promise<StandinSession> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    // "Failed to load resource" is the browser reporting an HTTP status (a 404 for a folder not
    // yet created is how Graph answers), not an error thrown by a script.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(`console: ${message.text()} at ${message.location().url}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const search = new URLSearchParams({ pane: "open", ...query });
  await page.goto(`${inject("addinUrl")}/outlook.html?${search.toString()}`);
  await page.waitForSelector("body[data-ready=true]");
  // The stand-in may say it is ready a moment before it attaches the pane's frame (a loaded machine).
  if (search.get("pane") === "open") {
    await page.waitForSelector("iframe[name=sept-taskpane]", { state: "attached" });
  }
  const pane = page.frameLocator("iframe[name=sept-taskpane]");
  return { context, page, pane, problems, close: () => context.close() };
}

/**
 * The task pane's frame, once the stand-in has attached it and the browser has named it (the
 * element can be in the page a moment before its frame is, on a loaded machine).
 */
export async function paneFrame(session: StandinSession): Promise<Frame> {
  await session.page.waitForSelector("iframe[name=sept-taskpane]", { state: "attached" });
  for (let waited = 0; waited < 30_000; waited += 50) {
    const frame = session.page.frame({ name: "sept-taskpane" });
    if (frame) return frame;
    await session.page.waitForTimeout(50);
  }
  throw new Error("task pane frame not found");
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A call to the Graph fake's own admin API (`/_fake/…`: reset, request log, faults, messages). */
export async function fakeApi(path: string, init: RequestInit = {}): Promise<Response> {
  const { Agent } = await import("undici");
  const dispatcher = new Agent({ connect: { ca: inject("ca") } });
  const response = await fetch(`${inject("fakeUrl")}${path}`, {
    ...init,
    // @ts-expect-error Node's fetch takes an undici dispatcher
    dispatcher,
  });
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path} failed: ${response.status}`);
  return response;
}

/** Clears the fake's drive state and request log between tests. */
export async function resetFake(): Promise<void> {
  await fakeApi("/_fake/reset", { method: "POST" });
}

/** Sets the fake's injected faults (dev/graph-fake/types.ts); `{}` ends them. */
export async function setFakeFaults(faults: Record<string, unknown>): Promise<void> {
  await fakeApi("/_fake/faults", {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(faults),
  });
}

/** Moves focus with Tab (keyboard only) until `isTarget` holds for the focused element. */
export async function tabTo(
  session: StandinSession,
  isTarget: (el: { testId: string | null; label: string; text: string }) => boolean,
  maxPresses = 40,
): Promise<void> {
  const frame = await paneFrame(session);
  const seen: unknown[] = [];
  for (let i = 0; i < maxPresses; i++) {
    await session.page.keyboard.press("Tab");
    const focused = await frame.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const labelled = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      return {
        testId: el.getAttribute("data-testid"),
        label: el.getAttribute("aria-label") ?? labelled ?? "",
        text: el.textContent ?? "",
      };
    });
    if (focused && isTarget(focused)) return;
    seen.push(focused);
  }
  throw new Error(
    `focus never reached the target by Tab (last: ${JSON.stringify(seen.slice(0, 12))})`,
  );
}

/** Grants consent with the mouse (tests about other things start from a granted state). */
export async function grantConsent(session: StandinSession, content = true): Promise<void> {
  const { pane } = session;
  await pane.getByTestId("consent-view").waitFor();
  await pane.getByTestId("consent-metadata").check();
  if (content) await pane.getByTestId("consent-content").check();
  await pane.getByTestId("consent-allow").click();
  await pane.getByTestId("message-card").or(pane.getByTestId("message-empty")).first().waitFor();
}

/** Keyboard only: Tab to each control, Space to tick, Enter to press. */
export async function grantByKeyboard(session: StandinSession, content = true): Promise<void> {
  await session.pane.getByTestId("consent-view").waitFor();
  await session.page.locator("#close-pane").focus();
  await tabTo(session, (el) => el.label.includes("Email details") || el.label.includes("Détails"));
  await session.page.keyboard.press("Space");
  if (content) {
    await tabTo(
      session,
      (el) => el.label.includes("Email content") || el.label.includes("Contenu"),
    );
    await session.page.keyboard.press("Space");
  }
  await tabTo(session, (el) => el.testId === "consent-allow");
  await session.page.keyboard.press("Enter");
}

/** axe-core on the task pane only (the stand-in page around it is not the product). */
export async function axeViolations(session: StandinSession): Promise<string[]> {
  const results = await new AxeBuilder({ page: session.page })
    .include(["iframe[name=sept-taskpane]", "body"])
    // Tabster's focus sentinels (Fluent UI's focus management): hidden, focusable by design, they
    // hand focus on at once; axe's aria-hidden-focus rule cannot tell them from a real trap.
    .exclude(["iframe[name=sept-taskpane]", "[data-tabster-dummy]"])
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
}

/** Opens a section of the pane: its tab if it is in view, else through the tab bar's "more" menu. */
export async function openTab(session: StandinSession, tab: string): Promise<void> {
  const { pane } = session;
  if (await pane.getByTestId(`tab-${tab}`).isVisible()) {
    await pane.getByTestId(`tab-${tab}`).click();
    return;
  }
  await pane.getByTestId("tab-more").click();
  await pane.getByTestId(`tab-more-${tab}`).click();
}
