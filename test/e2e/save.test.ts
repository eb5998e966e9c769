import { describe, expect, it } from "vitest";
import { useChromium } from "./use-chromium.js";
import type { LoggedRequest } from "../../dev/graph-fake/types.js";
import {
  fakeApi,
  grantConsent,
  openStandin,
  screenshot,
  setFakeFaults,
  type StandinSession,
} from "./standin.js";

const browser = useChromium();

async function createAndPickProject(session: StandinSession, name: string): Promise<void> {
  const picker = session.pane.getByTestId("project-picker");
  await picker.click();
  await picker.fill(name);
  await session.pane.getByTestId("project-create").click();
  await expect.poll(() => picker.inputValue()).toBe(name);
}

/** A pane with consent given and a new project picked in its save panel. */
async function paneWithProject(name: string): Promise<StandinSession> {
  const session = await openStandin(browser);
  await grantConsent(session, true);
  await session.pane.getByTestId("save-panel").waitFor();
  await createAndPickProject(session, name);
  return session;
}

/** The kinds of the entries the Activity view lists, newest first. */
async function activityKinds(session: StandinSession): Promise<Array<string | null>> {
  await session.pane.getByTestId("tab-activity").click();
  await session.pane.getByTestId("activity-list").waitFor();
  return session.pane
    .getByTestId("activity-entry")
    .evaluateAll((els) => els.map((el) => el.getAttribute("data-kind")));
}

describe("saving from the Outlook stand-in", () => {
  it("saves the open message to a new project, then reports it as already saved", async () => {
    const session = await paneWithProject("Tower B");
    const { pane, page } = session;
    expect(await pane.getByTestId("include-content").isChecked()).toBe(true);
    await pane.getByTestId("save-button").click();
    await expect
      .poll(() => pane.getByTestId("save-result").textContent())
      .toContain("Saved to Tower B");
    await expect.poll(() => pane.getByTestId("already-saved").textContent()).toContain("Tower B");

    // Another message, then back: the pane knows from the index that it is stored.
    await page.locator("#message-list li").nth(2).click();
    await expect.poll(() => pane.getByTestId("already-saved").count()).toBe(0);
    await page.locator("#message-list li").nth(0).click();
    await expect.poll(() => pane.getByTestId("already-saved").textContent()).toContain("Tower B");

    await pane.getByTestId("save-button").click();
    await expect
      .poll(() => pane.getByTestId("save-result").textContent())
      .toContain("Already saved to Tower B");
    await screenshot(page, "save-already-saved");
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("suggests the project of earlier saves from the same thread", async () => {
    const session = await openStandin(browser);
    const { pane, page } = session;
    await grantConsent(session, false);
    const rows = page.locator("#message-list li");
    const subjects = await rows
      .locator(".subject")
      .evaluateAll((els) => els.map((el) => el.firstChild?.textContent ?? ""));
    const thread = subjects
      .map((s, i) => ({ s: s.replace(/^(RE|TR|FW):\s*/i, ""), i }))
      .filter((x, _, all) => all.filter((y) => y.s === x.s).length > 1);
    expect(thread.length).toBeGreaterThan(1);
    await rows.nth(thread[0]!.i).click();
    await pane.getByTestId("save-panel").waitFor();
    await createAndPickProject(session, "Tower B");
    await pane.getByTestId("save-button").click();
    await expect.poll(() => pane.getByTestId("save-result").textContent()).toContain("Saved");
    await rows.nth(thread[1]!.i).click();
    await expect
      .poll(() => pane.getByTestId("project-suggestion").textContent())
      .toContain("from this thread to Tower B");
    expect(await pane.getByTestId("project-picker").inputValue()).toBe("Tower B");
    await session.close();
  });

  it("says when a save's activity entry is still to be written, and writes it once Graph answers", async () => {
    const session = await paneWithProject("Tower B");
    const { pane } = session;
    // Every write of the activity log's head is cut off: the save commits, its event cannot land.
    const headPut = "^PUT .*approot:/activity/head\\.json:";
    await setFakeFaults({ queue: [{ status: "drop", match: headPut, times: 1000 }] });
    await fakeApi("/_fake/requests", { method: "DELETE" });
    await pane.getByTestId("save-button").click();
    await expect
      .poll(() => pane.getByTestId("save-result").textContent(), { timeout: 30_000 })
      .toContain("Saved to Tower B");
    expect(await pane.getByTestId("save-event-pending").textContent()).toContain(
      "could not be written yet",
    );
    await screenshot(session.page, "save-event-pending");
    const headWritten = async () => {
      const log = (await (await fakeApi("/_fake/requests")).json()) as LoggedRequest[];
      return log.some(
        (r) =>
          r.method === "PUT" &&
          decodeURIComponent(r.path).includes("/activity/head.json") &&
          r.status > 0 &&
          r.status < 300,
      );
    };
    expect(await headWritten()).toBe(false);
    // Graph answers again: the pane sends the event it kept, without another save.
    await setFakeFaults({});
    await expect.poll(headWritten, { timeout: 30_000 }).toBe(true);
    const kinds = await activityKinds(session);
    expect(kinds.filter((k) => k === "email_saved")).toHaveLength(1);
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("lists every save in the Activity view, filterable by kind", async () => {
    const session = await paneWithProject("Tower B");
    const { pane } = session;
    await pane.getByTestId("save-button").click();
    await expect.poll(() => pane.getByTestId("save-result").textContent()).toContain("Saved");
    const kinds = await activityKinds(session);
    expect(kinds[0]).toBe("email_saved");
    expect(kinds).toContain("consent_granted");
    expect(await pane.getByTestId("activity-entry").first().textContent()).toContain("Tower B");
    expect(await pane.getByTestId("activity-verification").textContent()).toContain("unaltered");
    await pane.getByTestId("activity-filter-kind").click();
    await pane.getByRole("option", { name: "Email saved" }).click();
    await expect.poll(() => pane.getByTestId("activity-entry").count()).toBe(1);
    expect(session.problems).toEqual([]);
    await session.close();
  });
});
