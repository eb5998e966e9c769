// Outlook's task pane can be as narrow as 320 px. In French the section names are long: every
// section must still be fully in view, or one step away in the tab bar's "more" menu, by mouse
// and by keyboard, with axe-core finding nothing.
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useChromium } from "./use-chromium.js";
import {
  axeViolations,
  grantConsent,
  openStandin,
  paneFrame,
  screenshot,
  type StandinSession,
} from "./standin.js";

const TABS = ["message", "stored", "activity", "privacy"] as const;
const VIEWS: Record<string, string> = {
  message: "save-panel",
  stored: "stored-view",
  activity: "activity-list",
  privacy: "privacy-view",
};
const PANE_WIDTH = 320;

const browser = useChromium();

/** Opens the stand-in in French with the task pane's frame exactly 320 px wide. */
async function openNarrowFrench(): Promise<{ session: StandinSession; frame: Frame }> {
  const session = await openStandin(browser, { lang: "fr-FR" });
  const frame = await paneFrame(session);
  await session.page.evaluate((width) => {
    const pane = document.getElementById("pane")!;
    const frame = pane.querySelector("iframe")!;
    // The pane's own border and padding stay outside the add-in's frame.
    const chrome = pane.getBoundingClientRect().width - frame.getBoundingClientRect().width;
    pane.style.width = `${width + chrome}px`;
  }, PANE_WIDTH);
  await expect.poll(() => frame.evaluate(() => window.innerWidth)).toBe(PANE_WIDTH);
  return { session, frame };
}

interface TabLayout {
  /** Tabs shown in the tab bar, each wholly inside the bar and the pane, label not clipped. */
  whole: string[];
  /** Tabs shown but cut off by the bar, the pane or their own box. */
  cut: string[];
  /** Tabs not shown at all (moved into the "more" menu, if the menu offers them). */
  hidden: string[];
}

/** Where each tab stands, measured in the pane's own layout. */
function tabLayout(frame: Frame): Promise<TabLayout> {
  return frame.evaluate((tabs) => {
    const list = document.querySelector('[role="tablist"]')!.getBoundingClientRect();
    const layout: TabLayout = { whole: [], cut: [], hidden: [] };
    for (const tab of tabs) {
      const el = document.querySelector<HTMLElement>(`[data-testid="tab-${tab}"]`)!;
      const box = el.getBoundingClientRect();
      if (getComputedStyle(el).display === "none" || box.width === 0) {
        layout.hidden.push(tab);
        continue;
      }
      const inside =
        box.left >= Math.max(list.left, 0) - 0.5 &&
        box.right <= Math.min(list.right, window.innerWidth) + 0.5;
      const unclipped = [el, ...el.querySelectorAll<HTMLElement>("*")].every(
        (node) => node.scrollWidth <= node.clientWidth + 1 || node.clientWidth === 0,
      );
      (inside && unclipped ? layout.whole : layout.cut).push(tab);
    }
    return layout;
  }, TABS);
}

describe("the tab bar in a 320 px pane, in French", () => {
  it("shows each section whole or offers it in the “more” menu, and opens it from there", async () => {
    const { session, frame } = await openNarrowFrench();
    const { pane } = session;
    await grantConsent(session, true);
    await pane.getByTestId("save-panel").waitFor();

    const layout = await tabLayout(frame);
    expect(layout.cut).toEqual([]);
    expect([...layout.whole, ...layout.hidden].sort()).toEqual([...TABS].sort());
    expect(layout.whole).toContain("message"); // the selected tab stays in view
    // The French labels are too long for 320 px: some section must have moved into the menu.
    expect(layout.hidden.length).toBeGreaterThan(0);
    await screenshot(session.page, "narrow-pane-fr");

    const more = pane.getByTestId("tab-more");
    expect(await more.getAttribute("aria-label")).toMatch(/autres? sections?/);
    await more.click();
    for (const tab of TABS) {
      const item = pane.getByTestId(`tab-more-${tab}`);
      expect(await item.isVisible(), tab).toBe(layout.hidden.includes(tab));
    }
    expect(await axeViolations(session)).toEqual([]);
    await screenshot(session.page, "narrow-pane-fr-menu");

    // Each hidden section opens from the menu, and then sits selected and whole in the bar.
    for (const tab of layout.hidden) {
      if (!(await pane.getByRole("menu").isVisible())) await more.click();
      await pane.getByTestId(`tab-more-${tab}`).click();
      await pane.getByTestId(VIEWS[tab]!).waitFor();
      expect(await pane.getByTestId(`tab-${tab}`).getAttribute("aria-selected")).toBe("true");
      const now = await tabLayout(frame);
      expect(now.whole).toContain(tab);
      expect(now.cut).toEqual([]);
      expect(await axeViolations(session)).toEqual([]);
    }
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("reaches a section in the menu by keyboard alone", async () => {
    const { session, frame } = await openNarrowFrench();
    const { pane, page } = session;
    await grantConsent(session, true);
    await pane.getByTestId("save-panel").waitFor();
    const { hidden } = await tabLayout(frame);
    const target = hidden[hidden.length - 1]!;

    // Focus the selected tab, then arrow along the tab list to the "more" button.
    await pane.getByTestId("tab-message").focus();
    const focused = () =>
      frame.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? null);
    for (let i = 0; i < TABS.length && (await focused()) !== "tab-more"; i++) {
      await page.keyboard.press("ArrowRight");
    }
    expect(await focused()).toBe("tab-more");
    await page.keyboard.press("Enter");
    await pane.getByRole("menu").waitFor();
    for (let i = 0; i < TABS.length && (await focused()) !== `tab-more-${target}`; i++) {
      await page.keyboard.press("ArrowDown");
    }
    expect(await focused()).toBe(`tab-more-${target}`);
    await page.keyboard.press("Enter");
    await pane.getByTestId(VIEWS[target]!).waitFor();
    expect(await pane.getByTestId(`tab-${target}`).getAttribute("aria-selected")).toBe("true");
    expect(session.problems).toEqual([]);
    await session.close();
  });
});
