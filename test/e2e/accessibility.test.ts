import { describe, expect, it } from "vitest";
import { useChromium } from "./use-chromium.js";
import { axeViolations as violations, grantConsent, openStandin, openTab } from "./standin.js";

const browser = useChromium();

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

      await openTab(session, "stored");
      await pane.getByTestId("stored-view").waitFor();
      found.stored = await violations(session);

      await openTab(session, "activity");
      await pane.getByTestId("activity-list").waitFor();
      found.activity = await violations(session);

      await openTab(session, "privacy");
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
