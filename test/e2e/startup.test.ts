// Opening the pane: what it asks Graph before its first useful view. Counts requests in the
// fake's log; how long anything takes is the bench's business (npm run bench), not a test's.
import { describe, expect, it } from "vitest";
import { useChromium } from "./use-chromium.js";
import { fakeApi, grantConsent, openStandin, paneFrame, type StandinSession } from "./standin.js";

interface Logged {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: string;
  batch: boolean;
}

const browser = useChromium();

/** Graph requests as sent over HTTP ($batch counts once), oldest first. */
async function graphRequests(): Promise<Logged[]> {
  const all = (await (await fakeApi("/_fake/requests")).json()) as Logged[];
  return all
    .filter((r) => !r.batch && /^\/(v1\.0|_upload|_download)(\/|$)/.test(r.path))
    .sort((a, b) => a.seq - b.seq);
}

/** When the pane marked its first useful view, in wall-clock ms (the fake logs wall-clock times). */
async function firstViewAt(session: StandinSession): Promise<number> {
  const frame = await paneFrame(session);
  await frame.waitForFunction(() => performance.getEntriesByName("sept:first-view").length > 0);
  return frame.evaluate(
    () =>
      performance.timeOrigin + (performance.getEntriesByName("sept:first-view")[0]?.startTime ?? 0),
  );
}

const show = (r: Logged) =>
  `${r.method} ${decodeURIComponent(r.path)}${r.query ? `?${r.query}` : ""}`;

function repeated(requests: Logged[]): string[] {
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const r of requests.map(show)) {
    if (seen.has(r)) twice.push(r);
    seen.add(r);
  }
  return twice;
}

describe("opening the task pane", () => {
  it("shows a first-time user the consent view after at most three Graph requests, none repeated", async () => {
    const session = await openStandin(browser);
    await session.pane.getByTestId("consent-view").waitFor();
    const viewAt = await firstViewAt(session);
    const before = (await graphRequests()).filter((r) => Date.parse(r.time) <= viewAt);
    expect(before.length, before.map(show).join("\n")).toBeGreaterThan(0);
    expect(before.length, before.map(show).join("\n")).toBeLessThanOrEqual(3);
    expect(repeated(before)).toEqual([]);
    // The consent view waits for the consent ledger alone: housekeeping comes after it. A new
    // user has no consent folder yet, and its 404 takes one look at the app folder itself (to
    // tell a new user from one without a OneDrive).
    expect(
      before
        .filter((r) => !/approot:\/consent[:/]/.test(decodeURIComponent(r.path)))
        .map(show)
        .filter((r) => r !== "GET /v1.0/me/drive/special/approot?$select=id"),
    ).toEqual([]);
    expect(session.problems).toEqual([]);
    await session.close();
  });

  it("shows a returning user the message after at most three Graph requests, and reads nothing twice before the save panel is ready", async () => {
    // A returning user: consent given and one email saved (so the record shards exist).
    const first = await openStandin(browser);
    await grantConsent(first);
    const picker = first.pane.getByTestId("project-picker");
    await picker.click();
    await picker.fill("Tower B");
    await first.pane.getByTestId("project-create").click();
    await first.pane.getByTestId("save-button").click();
    await first.pane.getByTestId("save-result").waitFor();
    await first.close();
    await fakeApi("/_fake/requests", { method: "DELETE" });

    const session = await openStandin(browser);
    await session.pane.getByTestId("message-card").waitFor();
    const viewAt = await firstViewAt(session);
    await session.pane.getByTestId("save-panel").waitFor();
    // Housekeeping (repairing interrupted saves lists the pending folder) comes after the
    // save panel's own reads, so everything logged before it is what opening the pane cost.
    let requests: Logged[] = [];
    await expect
      .poll(async () => {
        requests = await graphRequests();
        return requests.some((r) => /approot:\/pending:?\//.test(decodeURIComponent(r.path)));
      })
      .toBe(true);
    const housekeeping = requests.findIndex((r) =>
      /approot:\/pending:?\//.test(decodeURIComponent(r.path)),
    );
    const opening = requests.slice(0, housekeeping);
    const toFirstView = opening.filter((r) => Date.parse(r.time) <= viewAt);
    expect(toFirstView.length, toFirstView.map(show).join("\n")).toBeLessThanOrEqual(3);
    // The save panel's reads (projects, the record shards for "already saved" and the suggestion) are
    // all done before housekeeping starts, and none of them twice.
    expect(
      opening.some((r) => /approot:\/records\/catalogue\.json/.test(decodeURIComponent(r.path))),
    ).toBe(true);
    expect(repeated(opening)).toEqual([]);
    expect(session.problems).toEqual([]);
    await session.close();
  });
});
