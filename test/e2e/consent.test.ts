import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useChromium } from "./use-chromium.js";
import { fakeApi, grantByKeyboard, openStandin, screenshot, tabTo } from "./standin.js";

const browser = useChromium();

async function fakeRequests(): Promise<Array<{ method: string; path: string }>> {
  return (await (await fakeApi("/_fake/requests")).json()) as Array<{
    method: string;
    path: string;
  }>;
}

describe("consent in the Outlook stand-in", () => {
  it("meets a first-time user with the consent view before anything else, and moves no email data", async () => {
    const session = await openStandin(browser);
    const { pane } = session;
    await pane.getByTestId("consent-view").waitFor();
    expect(await pane.getByTestId("consent-allow").isDisabled()).toBe(true);
    expect(await pane.getByTestId("message-card").count()).toBe(0);
    await pane.getByTestId("consent-not-now").click();
    await pane.getByTestId("consent-declined").waitFor();
    const requests = await fakeRequests();
    expect(requests.filter((r) => r.path.includes("/messages"))).toEqual([]);
    expect(requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("is granted with the keyboard alone", async () => {
    const session = await openStandin(browser);
    await grantByKeyboard(session);
    await session.pane.getByTestId("message-card").waitFor();
    // The button is gone with the form: focus is on the message that took its place.
    await expect
      .poll(() => session.pane.locator(":focus").getAttribute("data-testid"))
      .toBe("message-subject");
    const writesTo = async (folder: RegExp) =>
      (await fakeRequests()).some(
        (r) => r.method === "PUT" && folder.test(decodeURIComponent(r.path)),
      );
    await expect.poll(() => writesTo(/approot:\/consent\//)).toBe(true);
    await expect.poll(() => writesTo(/approot:\/activity\//)).toBe(true);
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("withdraws from the Privacy view, showing the effects first, and the consent view returns", async () => {
    const session = await openStandin(browser);
    const { pane, page } = session;
    await grantByKeyboard(session);
    await pane.getByTestId("message-card").waitFor();

    // The tab list is one tab stop; arrow keys move within it. Privacy is the last tab. Tab only
    // moves forward, and the button that granted consent is gone: the walk starts from the
    // stand-in's pane header, above the pane, as a keyboard user coming from Outlook would.
    await page.locator("#close-pane").focus();
    await tabTo(session, (el) => el.testId === "tab-message");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await pane.getByTestId("privacy-view").waitFor();
    await tabTo(session, (el) => el.testId === "privacy-withdraw");
    await page.keyboard.press("Enter");
    const dialog = pane.getByTestId("withdraw-dialog");
    await dialog.waitFor();
    const effects = await dialog.textContent();
    expect(effects).toContain("Saving stops at once");
    expect(effects).toContain("retention period");
    expect(effects).toContain("My Apps");
    await screenshot(page, "consent-withdraw-dialog");
    await tabTo(session, (el) => el.testId === "withdraw-confirm");
    await page.keyboard.press("Enter");
    await pane.getByTestId("withdraw-done").waitFor();

    await pane.getByTestId("tab-message").click();
    await pane.getByTestId("consent-withdrawn").waitFor();
    expect(await pane.getByTestId("consent-view").isVisible()).toBe(true);
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("downloads a consent receipt in the Kantara v1.1 shape", async () => {
    const session = await openStandin(browser);
    const { pane, page } = session;
    await grantByKeyboard(session);
    await pane.getByTestId("message-card").waitFor();
    await pane.getByTestId("tab-privacy").click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      pane.getByTestId("receipt-download").first().click(),
    ]);
    const path = await download.path();
    const receipt = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    expect(receipt.version).toBe("KI-CR-v1.1.0");
    expect(receipt.policyUrl).toBe("https://septsoftware.com/privacy-policy");
    expect(receipt["sept:policyVersion"]).toBe("2024-02-14");
    expect(receipt.piiPrincipalId).toBe("alex.martin@contoso-build.example");
    expect(typeof receipt.consentTimestamp).toBe("number");
    const services = receipt.services as Array<{ purposes: Array<{ consentType: string }> }>;
    expect(services[0]?.purposes.map((p) => p.consentType)).toEqual(["EXPLICIT", "EXPLICIT"]);
    expect(download.suggestedFilename()).toBe(
      `sept-consent-receipt-${String(receipt.consentReceiptID)}.json`,
    );
    await session.close();
  });

  it("asks in French when Outlook is in French", async () => {
    const session = await openStandin(browser, { lang: "fr-FR" });
    const { pane } = session;
    await pane.getByTestId("consent-view").waitFor();
    expect(await pane.getByTestId("consent-view").textContent()).toContain(
      "Rien ne quitte Outlook tant que vous ne l’autorisez pas ici.",
    );
    expect(await pane.getByTestId("consent-allow").textContent()).toBe("Autoriser");
    await grantByKeyboard(session);
    await pane.getByTestId("message-card").waitFor();
    // The tab may sit in the tab bar's "more" menu at this width; its label is French either way.
    expect(
      await pane.getByRole("tab", { name: "Confidentialité", includeHidden: true }).count(),
    ).toBe(1);
    await session.close();
  });
});
