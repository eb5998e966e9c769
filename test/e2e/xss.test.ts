// XSS probes: a message whose subject, sender, attachment names and body carry markup and
// `javascript:` payloads, filed to a project whose name is markup, with a note that is markup,
// shown by the pane (and the stand-in host page) in the message card, the save panel, the Stored view (list, details, note),
// the Activity view and the Privacy view. Fails on any dialog (alert), console error, page error
// or CSP violation in the pane, and checks the hostile text shows as text, not as elements.
import type { Frame } from "playwright-core";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { useChromium } from "./use-chromium.js";
import { fakeApi, grantConsent, openStandin, paneFrame, type StandinSession } from "./standin.js";

const MARK = "XSSPROBE";
const SUBJECT = `${MARK} <img src=x onerror=alert(1)> <script>alert(2)</script> "'&amp;`;
const SENDER_NAME = `<img src=x onerror=alert(3)> Mallory`;
const ATTACHMENT = `javascript:alert(4)<svg onload=alert(5)>.pdf`;
const PROJECT = `<img src=x onerror=alert(6)>`;
const NOTE = `<script>alert(7)</script><a href="javascript:alert(8)">click</a>`;

function hostileEml(): string {
  const boundary = "_xss_boundary_";
  return [
    "Message-ID: <xss-probe-e2e@hostile.example>",
    "Date: Wed, 25 Nov 2026 05:00:00 +0000",
    `From: "${SENDER_NAME}" <mallory@hostile.example>`,
    "To: Alex Martin <alex.martin@contoso-build.example>",
    `Subject: ${SUBJECT}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    'Content-Type: text/html; charset="utf-8"',
    "",
    '<p onmouseover="alert(9)">Hello <script>alert(10)</script>',
    '<a href="javascript:alert(11)">link</a> <img src="https://remote.example/x.png" onerror="alert(12)"></p>',
    `--${boundary}`,
    `Content-Type: application/pdf; name="${ATTACHMENT}"`,
    `Content-Disposition: attachment; filename="${ATTACHMENT}"`,
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from("%PDF-1.4 probe").toString("base64"),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

const fakeAdmin = (method: string, path: string, body?: string) =>
  fakeApi(path, {
    method,
    ...(body === undefined ? {} : { body, headers: { "Content-Type": "message/rfc822" } }),
  });

const browser = useChromium();

// After useChromium's reset of the fake (hooks run in the order they are registered).
beforeEach(async () => {
  await fakeAdmin("POST", "/_fake/messages", hostileEml());
});
afterAll(async () => {
  await fakeAdmin("DELETE", "/_fake/messages").catch(() => undefined);
});

/** Records CSP violations of the pane (and the host page) in `window.__cspViolations`. */
async function watchCsp(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const w = window as unknown as { __cspViolations?: string[] };
    if (w.__cspViolations) return;
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__cspViolations!.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
}

async function cspViolations(frame: Frame): Promise<string[]> {
  return frame.evaluate(
    () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ["not watched"],
  );
}

/** Elements our payloads would create if they were parsed as markup instead of shown as text. */
async function injectedElements(frame: Frame): Promise<number> {
  return frame.evaluate(
    () =>
      document.querySelectorAll(
        'img[src="x"], svg[onload], [onerror], [onload], [onmouseover], a[href^="javascript:" i]',
      ).length +
      [...document.querySelectorAll("script")].filter((s) => s.textContent?.includes("alert("))
        .length,
  );
}

async function expectClean(session: StandinSession, where: string): Promise<void> {
  const frame = await paneFrame(session);
  expect(session.problems, where).toEqual([]);
  expect(await cspViolations(frame), where).toEqual([]);
  expect(await cspViolations(session.page.mainFrame()), where).toEqual([]);
  expect(await injectedElements(frame), where).toBe(0);
  expect(await injectedElements(session.page.mainFrame()), where).toBe(0);
}

describe("hostile email data shown by the pane", () => {
  it("stays text everywhere: no dialog, no script error, no CSP violation", async () => {
    const session = await openStandin(browser);
    const { page, pane } = session;
    const frame = await paneFrame(session);
    await watchCsp(frame);
    await watchCsp(page.mainFrame());
    await grantConsent(session, true);

    // The message card and the save panel.
    await page.locator("#message-list li", { hasText: MARK }).first().click();
    await expect.poll(() => pane.getByTestId("message-subject").textContent()).toBe(SUBJECT);
    expect(await pane.getByTestId("message-from").textContent()).toContain(SENDER_NAME);
    // The pane shows the attachment count, not names (the name reaches it through Office.js).
    expect(await pane.getByTestId("message-attachments").textContent()).toContain("1");
    await pane.getByTestId("save-panel").waitFor();
    const picker = pane.getByTestId("project-picker");
    await picker.click();
    await picker.fill(PROJECT);
    await pane.getByTestId("project-create").click();
    await expect.poll(() => picker.inputValue()).toBe(PROJECT);
    await pane.getByTestId("save-button").click();
    await expect
      .poll(() => pane.getByTestId("save-result").textContent())
      .toContain(`Saved to ${PROJECT}`);
    await expectClean(session, "message card and save panel");

    // The Stored view: the list, the details and a hostile note.
    await pane.getByTestId("tab-stored").click();
    const row = pane.getByTestId("stored-row").filter({ hasText: MARK });
    await expect.poll(() => row.count()).toBe(1);
    const rowText = (await row.textContent()) ?? "";
    expect(rowText).toContain(SUBJECT);
    expect(rowText).toContain(PROJECT);
    await row.getByRole("button", { name: SUBJECT }).click();
    const details = pane.getByTestId("stored-details");
    await details.waitFor();
    expect(await details.textContent()).toContain(SUBJECT);
    await pane.getByTestId("details-note").fill(NOTE);
    await pane.getByTestId("details-save").click();
    await expect.poll(() => pane.getByTestId("details-note").inputValue()).toBe(NOTE);
    await expectClean(session, "stored view");

    // The Activity view shows the save and the correction.
    await pane.getByTestId("tab-activity").click();
    await pane.getByTestId("activity-list").waitFor();
    await expect.poll(() => pane.getByTestId("activity-entry").count()).toBeGreaterThan(1);
    await expectClean(session, "activity view");

    // The Privacy view.
    await pane.getByTestId("tab-privacy").click();
    await pane.getByTestId("privacy-view").waitFor();
    await expectClean(session, "privacy view");

    // Back to the Stored view after a reload of the list: the note is shown from storage.
    await pane.getByTestId("tab-stored").click();
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole("button", { name: SUBJECT }).click();
    await expect.poll(() => pane.getByTestId("details-note").inputValue()).toBe(NOTE);
    await expectClean(session, "stored view again");
    await session.close();
  });
});
