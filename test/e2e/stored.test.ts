import { readFileSync } from "node:fs";
import { unzipSync, strFromU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { useChromium } from "./use-chromium.js";
import { grantConsent, openStandin, type StandinSession } from "./standin.js";

const browser = useChromium();

/** Saves the first `count` messages of the list to one project through the pane. */
async function saveSome(
  session: StandinSession,
  count: number,
  project: string,
): Promise<string[]> {
  const { page, pane } = session;
  const subjects: string[] = [];
  for (let i = 0; i < count; i++) {
    const row = page.locator("#message-list li").nth(i);
    await row.click();
    subjects.push(await row.locator(".subject").evaluate((el) => el.firstChild?.textContent ?? ""));
    await expect.poll(() => pane.getByTestId("message-subject").textContent()).toBe(subjects[i]);
    const picker = pane.getByTestId("project-picker");
    await pane.getByTestId("save-panel").waitFor();
    if (i === 0) {
      await picker.click();
      await picker.fill(project);
      await pane.getByTestId("project-create").click();
    }
    await expect.poll(() => picker.inputValue()).toBe(project);
    await pane.getByTestId("save-button").click();
    await expect
      .poll(() => pane.getByTestId("save-result").textContent())
      .toContain(`Saved to ${project}`);
  }
  return subjects;
}

describe("the Stored view", () => {
  it("lists, searches and deletes stored emails after a confirmation", async () => {
    const session = await openStandin(browser);
    const { pane } = session;
    await grantConsent(session, true);
    const subjects = await saveSome(session, 3, "Tower B");
    await pane.getByTestId("tab-stored").click();
    await expect.poll(() => pane.getByTestId("stored-row").count()).toBe(3);

    const word = subjects[1]!.split(/\s+/).find((w) => w.length > 5)!;
    await pane.getByTestId("stored-search").fill(word);
    await expect.poll(() => pane.getByTestId("stored-row").count()).toBeLessThan(3);
    expect(await pane.getByTestId("stored-list").textContent()).toContain(subjects[1]);
    await pane.getByTestId("stored-search").fill("");

    const first = pane.getByTestId("stored-row").first();
    await first.getByRole("checkbox").check();
    await pane.getByTestId("delete-selected").click();
    const dialog = pane.getByTestId("confirm-dialog");
    expect(await dialog.textContent()).toContain("removed from SEPT storage for good");
    await pane.getByTestId("confirm-yes").click();
    await expect
      .poll(() => pane.getByTestId("stored-notice").textContent())
      // The demo token holds Files.ReadWrite.AppFolder only, so the strict fake refuses
      // permanentDelete: the pane says where the email went instead of "deleted".
      .toContain("recycle bin");
    await expect.poll(() => pane.getByTestId("stored-row").count()).toBe(2);
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("shortening retention shows the new countdown", async () => {
    const session = await openStandin(browser);
    const { pane } = session;
    await grantConsent(session, false);
    await saveSome(session, 1, "Riverside Clinic");
    await pane.getByTestId("tab-stored").click();
    const expiry = pane.getByTestId("stored-expiry").first();
    await expect.poll(() => expiry.textContent()).toMatch(/Deleted in (36[45]|\d+) day/);
    const before = await expiry.textContent();
    await pane.getByTestId("retention-choice").getByText("30 days").click();
    await pane.getByTestId("retention-apply").click();
    await expect
      .poll(() => pane.getByTestId("retention-message").textContent())
      .toContain("Retention saved");
    await expect.poll(() => expiry.textContent()).toMatch(/Deleted in (29|30) day/);
    expect(await expiry.textContent()).not.toBe(before);
    await session.close();
  });

  it("exports a ZIP with the .eml, records, receipts, activity and a README", async () => {
    const session = await openStandin(browser);
    const { pane, page } = session;
    await grantConsent(session, true);
    await saveSome(session, 2, "Tower B");
    await pane.getByTestId("tab-stored").click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      pane.getByTestId("export-button").click(),
    ]);
    const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
    const names = Object.keys(files);
    expect(names.filter((n) => n.endsWith(".eml"))).toHaveLength(2);
    expect(names).toContain("README.txt");
    for (const name of names.filter((n) => n.endsWith(".json"))) {
      expect(() => JSON.parse(strFromU8(files[name]!)), name).not.toThrow();
    }
    expect(names.some((n) => n.startsWith("consent/"))).toBe(true);
    expect(names.some((n) => n.startsWith("activity/"))).toBe(true);
    await expect.poll(() => pane.getByTestId("export-done").count()).toBe(1);
    await session.close();
  });
});
