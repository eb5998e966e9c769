import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useChromium } from "./use-chromium.js";
import { grantConsent, openStandin, screenshot } from "./standin.js";

const browser = useChromium();

describe("the task pane in the Outlook stand-in", () => {
  it("shows each message the user selects while pinned", async () => {
    const session = await openStandin(browser);
    const { page, pane } = session;
    await grantConsent(session);
    const rows = page.locator("#message-list li");
    expect(await rows.count()).toBeGreaterThanOrEqual(10);

    const subjectOf = (i: number) =>
      rows
        .nth(i)
        .locator(".subject")
        .evaluate((el) => el.firstChild?.textContent ?? "");
    const firstSubject = await subjectOf(0);
    await expect.poll(() => pane.getByTestId("message-subject").textContent()).toBe(firstSubject);

    await rows.nth(3).click();
    const fourthSubject = await subjectOf(3);
    expect(fourthSubject).not.toBe(firstSubject);
    await expect.poll(() => pane.getByTestId("message-subject").textContent()).toBe(fourthSubject);
    const sender = await rows.nth(3).locator(".sender").textContent();
    expect(await pane.getByTestId("message-from").textContent()).toContain(sender ?? "?");
    expect(await pane.locator("[data-testid=message-date] time").getAttribute("datetime")).toMatch(
      /^2026-\d\d-\d\dT/,
    );
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("follows Outlook's display language and theme", async () => {
    const session = await openStandin(browser);
    const { page, pane } = session;
    await expect.poll(() => pane.locator("h1").textContent()).toBe("SEPT for Outlook");
    await grantConsent(session);

    await page.selectOption("#language", "fr-FR");
    await expect.poll(() => pane.locator("h1").textContent()).toBe("SEPT pour Outlook");
    expect(await pane.locator("html").getAttribute("lang")).toBe("fr");

    await page.selectOption("#theme", "dark");
    await expect
      .poll(() => pane.locator(".fui-FluentProvider").first().getAttribute("data-theme"))
      .toBe("dark");
    const background = await pane
      .locator("main")
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).not.toBe("rgb(255, 255, 255)");

    const path = await screenshot(page, "standin-french-dark");
    expect(existsSync(path)).toBe(true);
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("serves every page with a Content-Security-Policy", async () => {
    const session = await openStandin(browser);
    const origin = new URL(session.page.url()).origin;
    for (const path of ["/taskpane.html", "/outlook.html", "/commands.html"]) {
      const response = await session.page.request.get(`${origin}${path}`);
      expect(response.headers()["content-security-policy"], path).toContain("default-src 'self'");
    }
    await session.close();
  });
});
