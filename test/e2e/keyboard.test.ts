import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { useChromium } from "./use-chromium.js";
import { grantByKeyboard, openStandin, tabTo, type StandinSession } from "./standin.js";

const browser = useChromium();

/** Moves along the tab list with arrow keys from the Message tab, then opens the tab. */
async function openTab(session: StandinSession, steps: number): Promise<void> {
  await tabTo(session, (el) => el.testId?.startsWith("tab-") ?? false);
  await session.page.keyboard.press("Home");
  for (let i = 0; i < steps; i++) await session.page.keyboard.press("ArrowRight");
  await session.page.keyboard.press("Enter");
}

describe("every flow by keyboard alone", () => {
  it("saves, deletes and exports without a pointer", async () => {
    const session = await openStandin(browser);
    const { page, pane } = session;
    await grantByKeyboard(session);
    await pane.getByTestId("save-panel").waitFor();

    // Save: type a new project into the picker, choose "Create project", then Save.
    await tabTo(session, (el) => el.testId === "project-picker");
    await page.keyboard.type("Tower B");
    await pane.getByTestId("project-create").waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => pane.getByTestId("project-picker").inputValue()).toBe("Tower B");
    await tabTo(session, (el) => el.testId === "save-button");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => pane.getByTestId("save-result").textContent())
      .toContain("Saved to Tower B");

    // Delete: the Stored tab, open the email's details, Delete, confirm.
    const subject = await pane.getByTestId("message-subject").textContent();
    await openTab(session, 1);
    await pane.getByTestId("stored-row").first().waitFor();
    await tabTo(session, (el) => el.text === subject);
    await page.keyboard.press("Enter");
    await pane.getByTestId("stored-details").waitFor();
    await tabTo(session, (el) => el.testId === "details-delete");
    await page.keyboard.press("Enter");
    await pane.getByTestId("confirm-dialog").waitFor();
    await tabTo(session, (el) => el.testId === "confirm-yes");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => pane.getByTestId("stored-notice").textContent())
      // The demo token holds Files.ReadWrite.AppFolder only, so the strict fake refuses
      // permanentDelete: the pane says where the email went instead of "deleted".
      .toContain("recycle bin");
    // The dialog keeps focus trapped until its closing transition ends.
    await expect.poll(() => pane.getByTestId("confirm-dialog").count()).toBe(0);

    // Export: the button, Enter, a ZIP arrives.
    await tabTo(session, (el) => el.testId === "export-button");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.keyboard.press("Enter"),
    ]);
    const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
    expect(Object.keys(files)).toContain("README.txt");
    expect(session.problems).toEqual([]);
    await session.close();
  });
});
