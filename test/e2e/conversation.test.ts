// Least privilege in the browser, through the Outlook stand-in: the stand-in's Office.js refuses
// what Outlook refuses an add-in with our manifest (ReadItem, no SupportsMultiSelect), offers
// getAsFileAsync only on a Mailbox 1.14 host, and the pane saves several messages the way real
// Outlook allows: the other messages of the conversation, read through Graph.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoggedRequest } from "../../dev/graph-fake/types.js";
import { useChromium } from "./use-chromium.js";
import {
  fakeApi,
  grantConsent,
  openStandin,
  paneFrame,
  screenshot,
  setFakeFaults,
  type StandinSession,
} from "./standin.js";

const browser = useChromium();

const THREAD_ROOT = "<YT1PR01MB4417C2E0D6A94B7F88@northwind-steel.example>";
const THREAD_SUBJECT = "Tower B - Structural steel delivery schedule, Levels 1-6";

/** A reply in the steel delivery thread (same conversation), added to the fake at run time. */
function reply(n: number): string {
  return [
    `Message-ID: <steel-thread-extra-${n}@contoso-build.example>`,
    `Date: Thu, 29 Oct 2026 1${n}:00:00 -0600`,
    "From: Alex Martin <alex.martin@contoso-build.example>",
    "To: Sam Okafor <sam.okafor@northwind-steel.example>",
    `Subject: RE: ${THREAD_SUBJECT}`,
    `In-Reply-To: ${THREAD_ROOT}`,
    `References: ${THREAD_ROOT}`,
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="us-ascii"',
    "",
    `Follow-up ${n} on the steel delivery schedule.`,
    "",
  ].join("\r\n");
}

async function requests(): Promise<LoggedRequest[]> {
  return (await (await fakeApi("/_fake/requests")).json()) as LoggedRequest[];
}

async function clearRequests(): Promise<void> {
  await fakeApi("/_fake/requests", { method: "DELETE" });
}

const path = (r: LoggedRequest) => decodeURIComponent(r.path);
const isMailRequest = (r: LoggedRequest) => /\/me\/(messages|mailFolders)\b/.test(path(r));
/**
 * Records committed: each save's record lands in one write of its month's record shard
 * (records/{month}.{suffix}.json; the catalogue is not a shard), one successful PUT per save.
 */
const recordsWritten = (log: LoggedRequest[]) =>
  new Set(
    log
      .filter((r) => r.method === "PUT" && r.status < 300)
      .filter((r) => /approot:\/records\/(\d{4}-\d{2}|undated)[~.]/.test(path(r)))
      .map((r) => r.seq),
  );

/** The slice of the stand-in's Office.js these tests probe. */
interface StandinOffice {
  EventType: { SelectedItemsChanged: string };
  context: {
    requirements: { isSetSupported(set: string, version: string): boolean };
    mailbox: {
      item?: { getAsFileAsync?: unknown } | null;
      getSelectedItemsAsync(callback: () => void): void;
      addHandlerAsync(
        type: string,
        handler: () => void,
        callback: (result: { status: string }) => void,
      ): void;
    };
  };
}

async function openThreadRoot(session: StandinSession): Promise<void> {
  const row = session.page.locator("#message-list li").filter({
    has: session.page.locator(".subject", { hasText: new RegExp(`^${THREAD_SUBJECT}`) }),
  });
  await row.first().click();
}

async function pickProject(session: StandinSession, name: string): Promise<void> {
  const picker = session.pane.getByTestId("project-picker");
  await picker.click();
  await picker.fill(name);
  await session.pane.getByTestId("project-create").click();
  await expect.poll(() => picker.inputValue()).toBe(name);
}

beforeAll(async () => {
  for (const n of [1, 2]) {
    const added = await fakeApi("/_fake/messages", {
      method: "POST",
      headers: { "Content-Type": "message/rfc822" },
      body: reply(n),
    });
    if (!added.ok) throw new Error(`adding a message: ${added.status}`);
  }
});
afterAll(async () => {
  await fakeApi("/_fake/messages", { method: "DELETE" });
});

describe("the Outlook stand-in honours the manifest and the host", () => {
  it("refuses multi-select to a ReadItem add-in, as Outlook does", async () => {
    const session = await openStandin(browser);
    await grantConsent(session, false);
    const frame = await paneFrame(session);
    const outcome = await frame.evaluate(async () => {
      const office = (window as unknown as { Office: StandinOffice }).Office;
      let thrown = "";
      try {
        office.context.mailbox.getSelectedItemsAsync(() => undefined);
      } catch (error) {
        thrown = (error as Error).message;
      }
      const handler = await new Promise<string>((resolve) =>
        office.context.mailbox.addHandlerAsync(
          office.EventType.SelectedItemsChanged,
          () => undefined,
          (result: { status: string }) => resolve(result.status),
        ),
      );
      return { thrown, handler };
    });
    expect(outcome.thrown).toContain("Elevated permission is required");
    expect(outcome.handler).toBe("failed");
    // Several messages selected: Outlook does not activate an add-in without SupportsMultiSelect.
    const picks = session.page.locator("#message-list li input.pick");
    await picks.nth(1).check();
    await session.pane.getByTestId("message-empty").waitFor();
    expect(await session.pane.getByTestId("save-panel").count()).toBe(0);
    await session.close();
  });

  it("offers getAsFileAsync on a current host only, not below Mailbox 1.14", async () => {
    const probe = async (host: "current" | "older") => {
      const session = await openStandin(browser, { host });
      await session.pane.getByTestId("taskpane").waitFor();
      const found = await (
        await paneFrame(session)
      ).evaluate(() => {
        const office = (window as unknown as { Office: StandinOffice }).Office;
        return {
          supported: office.context.requirements.isSetSupported("Mailbox", "1.14"),
          getAsFile: typeof office.context.mailbox.item?.getAsFileAsync,
        };
      });
      await session.close();
      return found;
    };
    expect(await probe("current")).toEqual({ supported: true, getAsFile: "function" });
    expect(await probe("older")).toEqual({ supported: false, getAsFile: "undefined" });
  });
});

describe("saving with least privilege from the stand-in", () => {
  it("saves the open message with no Graph mail request on a current host", async () => {
    const session = await openStandin(browser);
    await grantConsent(session, true);
    await pickProject(session, "Tower B");
    await clearRequests();
    await session.pane.getByTestId("save-button").click();
    await expect
      .poll(() => session.pane.getByTestId("save-result").textContent())
      .toContain("Saved to Tower B");
    const log = await requests();
    expect(log.some((r) => /\.eml:\/content$/.test(path(r)))).toBe(true);
    expect(log.filter(isMailRequest)).toEqual([]);
    await session.close();
  });

  it("reads through Graph $value on an older host", async () => {
    const session = await openStandin(browser, { host: "older" });
    await grantConsent(session, true);
    await pickProject(session, "Tower B");
    await clearRequests();
    await session.pane.getByTestId("save-button").click();
    await expect
      .poll(() => session.pane.getByTestId("save-result").textContent())
      .toContain("Saved to Tower B");
    expect((await requests()).some((r) => isMailRequest(r) && path(r).endsWith("/$value"))).toBe(
      true,
    );
    await session.close();
  });

  it("saves ticked messages of the conversation with the open one, a result each, under consent", async () => {
    const session = await openStandin(browser);
    const { pane } = session;
    // Details only: consent must hold for every message, so no content goes anywhere.
    await grantConsent(session, false);
    await openThreadRoot(session);
    await pane.getByTestId("save-panel").waitFor();
    await pickProject(session, "Tower B");
    await clearRequests();
    await pane.getByTestId("more-conversation").click();
    const picks = pane.getByTestId("more-pick");
    await expect.poll(() => picks.count()).toBe(4);
    for (const n of [0, 1, 2]) await picks.nth(n).check();
    expect(await pane.getByTestId("save-button").textContent()).toContain("Save 4 messages");
    await pane.getByTestId("save-button").click();
    await expect
      .poll(() => pane.getByTestId("bulk-progress").textContent(), { timeout: 30_000 })
      .toContain("4 saved");
    expect(await pane.locator("[data-testid=bulk-results] li[data-status=saved]").count()).toBe(4);
    await screenshot(session.page, "save-conversation");
    const log = await requests();
    // One Graph list of the conversation; no message read one by one, no content stored.
    const mail = log.filter(isMailRequest);
    expect(mail.map((r) => `${r.method} ${path(r)}`)).toEqual(["GET /v1.0/me/messages"]);
    expect(mail[0]?.query).toContain("conversationId");
    expect(log.some((r) => /\.eml/.test(path(r)) && r.method !== "GET")).toBe(false);
    expect(recordsWritten(log).size).toBe(4);
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("stops the rest of a conversation save when consent is withdrawn mid-way", async () => {
    const session = await openStandin(browser);
    const { pane } = session;
    await grantConsent(session, true);
    await openThreadRoot(session);
    await pane.getByTestId("save-panel").waitFor();
    await pickProject(session, "Tower B");
    await pane.getByTestId("more-conversation").click();
    const picks = pane.getByTestId("more-pick");
    await expect.poll(() => picks.count()).toBe(4);
    for (const n of [0, 1, 2]) await picks.nth(n).check();
    // The other messages' content comes slowly from Graph; the open one comes from Office.js.
    await setFakeFaults({ latencyMs: 6000, match: "\\$value" });
    await clearRequests();
    await pane.getByTestId("save-button").click();
    // Withdraw while the first slow Graph read is on the wire. (Requests carrying email data pass
    // the consent gate one at a time in a pane, so the open message's upload waits behind it.)
    await expect
      .poll(async () => (await requests()).some((r) => path(r).endsWith("/$value")), {
        timeout: 30_000,
      })
      .toBe(true);
    await pane.getByTestId("tab-privacy").click();
    await pane.getByTestId("privacy-withdraw").click();
    await pane.getByTestId("withdraw-confirm").click();
    await pane.getByTestId("withdraw-done").waitFor({ timeout: 30_000 });
    // Let the slow reads come back: the saves they belong to must stop there.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    await setFakeFaults({});
    const log = await requests();
    const withdrawal = log.find(
      (r) => r.method === "PUT" && /consent\/.*-withdrawal-/.test(path(r)),
    );
    expect(withdrawal).toBeDefined();
    const emailData = (r: LoggedRequest) =>
      path(r).endsWith("/$value") || (r.method === "PUT" && /approot:\/emails\//.test(path(r)));
    // At most the request already on the wire carries email data after the withdrawal landed.
    expect(log.filter((r) => r.seq > withdrawal!.seq && emailData(r)).length).toBeLessThanOrEqual(
      1,
    );
    // The rest of the conversation is not saved.
    expect(recordsWritten(log).size).toBeLessThan(4);
    expect(log.filter((r) => /\.eml:\/content$/.test(path(r))).length).toBeLessThan(4);
    await session.close();
  });
});
