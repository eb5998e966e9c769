import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { StoredEmail } from "../../../src/services/rights/stored-emails.js";
import type { StoredFacade } from "../../../src/taskpane/features/stored/facade.js";
import { StoredView } from "../../../src/taskpane/features/stored/stored-view.js";
import { I18nProvider } from "../../../src/taskpane/shared/i18n.js";
import { memoryPaneServices } from "../../support/pane-services.js";
import { seededRecord, seedStoredEmails } from "../../support/rights-stack.js";

const EMAILS = 25;
const PAGE = 10;

/** Real services over memory storage with `EMAILS` stored emails, newest first by number. */
async function storedServices() {
  const s = memoryPaneServices();
  const now = Date.now();
  await seedStoredEmails(
    s.storage,
    Array.from({ length: EMAILS }, (_, n) =>
      seededRecord(n, new Date(now - n * 3_600_000).toISOString(), { content: false }),
    ),
  );
  return s.services;
}

/**
 * The real facade, read page by page as a sharded layout gives it: the first page comes at once,
 * every later one when the test lets it through.
 */
function paged(stored: StoredFacade) {
  const waiting: Array<() => void> = [];
  let allowed = 1;
  const wake = () => waiting.splice(0).forEach((go) => go());
  const facade: StoredFacade = {
    ...stored,
    async *pages(signal) {
      const all: StoredEmail[] = await stored.list();
      for (let start = 0, n = 0; start < all.length; start += PAGE, n++) {
        while (n >= allowed) await new Promise<void>((go) => waiting.push(go));
        signal?.throwIfAborted();
        yield all.slice(start, start + PAGE);
      }
    },
  };
  return {
    facade,
    /** Lets the next page through. */
    next: () => act(() => (allowed++, wake())),
    /** Lets every page through. */
    rest: () => act(() => ((allowed = Infinity), wake())),
  };
}

async function renderStored(language: "en" | "fr" = "en") {
  const services = await storedServices();
  const pages = paged(services.stored);
  render(
    <I18nProvider language={language}>
      <StoredView stored={pages.facade} projects={services.projects} />
    </I18nProvider>,
  );
  return pages;
}

const count = () => screen.getByTestId("stored-count").textContent;
const rowSubjects = () =>
  screen.queryAllByTestId("stored-row").map((row) => within(row).getByRole("button").textContent);

// jsdom lays nothing out: give the list's scroller a height, so the virtualiser shows rows.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(520);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(360);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("the Stored view over pages", () => {
  it("shows the newest page's rows before the last page arrives, then appends the rest", async () => {
    const pages = await renderStored();
    await screen.findAllByTestId("stored-row");
    expect(count()).toBe(`${PAGE} stored emails loaded, loading more…`);
    expect(rowSubjects()[0]).toBe("Seeded email 0");
    expect(screen.getByTestId("stored-count").dataset.state).toBe("loading");

    await pages.next();
    await waitFor(() => expect(count()).toBe(`${2 * PAGE} stored emails loaded, loading more…`));
    await pages.rest();
    await waitFor(() => expect(count()).toBe(`${EMAILS} stored emails`));
    expect(screen.getByTestId("stored-count").dataset.state).toBe("done");
    expect(rowSubjects()[0]).toBe("Seeded email 0");
  });

  it("says so in French, with the plural, while pages are loading", async () => {
    await renderStored("fr");
    await screen.findAllByTestId("stored-row");
    expect(count()).toBe(`${PAGE} courriels enregistrés chargés, chargement de la suite…`);
  });

  it("finds an email that is not in the first page once its page arrives", async () => {
    const user = userEvent.setup();
    const pages = await renderStored();
    await screen.findAllByTestId("stored-row");
    const oldest = `Seeded email ${EMAILS - 1}`;
    await user.type(screen.getByRole("searchbox"), oldest);
    // Not loaded yet: the view says it is still looking, not that nothing matches.
    expect((await screen.findByTestId("stored-no-match")).textContent).toMatch(/still loading/);
    await pages.rest();
    await waitFor(() => expect(rowSubjects()).toEqual([oldest]));
    expect(screen.queryByTestId("stored-no-match")).toBeNull();
  });

  it("keeps every keystroke in the search box while the list follows, and converges", async () => {
    const user = userEvent.setup();
    const pages = await renderStored();
    await screen.findAllByTestId("stored-row");
    const search = screen.getByRole("searchbox") as HTMLInputElement;
    const query = "seeded email 2";
    for (let i = 1; i <= query.length; i++) {
      await user.type(search, query[i - 1]!);
      // The box shows what was typed at once, whatever the list is doing.
      expect(search.value).toBe(query.slice(0, i));
      if (i === 4) await pages.rest(); // later pages arrive mid-typing
    }
    const subjects = Array.from({ length: EMAILS }, (_, n) => `Seeded email ${n}`);
    const expected = subjects.filter((s) => s.toLowerCase().includes(query));
    await waitFor(() => expect(rowSubjects()).toEqual(expected));
    expect(screen.getByTestId("stored-list").getAttribute("aria-busy")).toBe("false");
  });
});
