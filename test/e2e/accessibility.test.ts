import { AxeBuilder } from "@axe-core/playwright";
import { describe, expect, it } from "vitest";
import { useChromium } from "./use-chromium.js";
import { grantConsent, openStandin, type StandinSession } from "./standin.js";

const browser = useChromium();

/** axe-core on the task pane only (the stand-in page around it is not the product). */
async function violations(session: StandinSession): Promise<string[]> {
  const results = await new AxeBuilder({ page: session.page })
    .include(["iframe[name=sept-taskpane]", "body"])
    // Tabster's focus sentinels (Fluent UI's focus management): hidden, focusable by design, they
    // hand focus on at once; axe's aria-hidden-focus rule cannot tell them from a real trap.
    .exclude(["iframe[name=sept-taskpane]", "[data-tabster-dummy]"])
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
}

const appearances = [
  { lang: "en-US", theme: "light" },
  { lang: "fr-FR", theme: "dark" },
  { lang: "en-US", theme: "dark" },
  { lang: "fr-FR", theme: "light" },
];

describe("accessibility of every view (axe-core, WCAG 2.1 AA)", () => {
  for (const { lang, theme } of appearances) {
    it(`has no violations in ${lang}, ${theme} theme`, async () => {
      const session = await openStandin(browser, { lang, theme });
      const { pane } = session;
      const found: Record<string, string[]> = {};
      await pane.getByTestId("consent-view").waitFor();
      found.consent = await violations(session);

      await grantConsent(session, true);
      await pane.getByTestId("save-panel").waitFor();
      found.message = await violations(session);

      await pane.getByTestId("tab-stored").click();
      await pane.getByTestId("stored-view").waitFor();
      found.stored = await violations(session);

      await pane.getByTestId("tab-activity").click();
      await pane.getByTestId("activity-list").waitFor();
      found.activity = await violations(session);

      await pane.getByTestId("tab-privacy").click();
      await pane.getByTestId("privacy-view").waitFor();
      found.privacy = await violations(session);

      await pane.getByTestId("privacy-withdraw").click();
      await pane.getByTestId("withdraw-dialog").waitFor();
      found.withdrawDialog = await violations(session);

      expect(found).toEqual({
        consent: [],
        message: [],
        stored: [],
        activity: [],
        privacy: [],
        withdrawDialog: [],
      });
      await session.close();
    });
  }
});
