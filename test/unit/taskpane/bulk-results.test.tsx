import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { SeptError } from "../../../src/core/errors.js";
import type { BulkItemResult } from "../../../src/services/save/from-pane.js";
import { BulkResults } from "../../../src/taskpane/features/save/other-messages.js";
import { I18nProvider } from "../../../src/taskpane/shared/i18n.js";

const result = (n: number, extra: Partial<BulkItemResult> = {}): BulkItemResult =>
  ({ key: `m${n}`, subject: `Message ${n}`, status: "saved", ...extra }) as BulkItemResult;

function show(results: BulkItemResult[], language: "en" | "fr", running = false) {
  return render(
    <I18nProvider language={language}>
      <BulkResults results={results} total={results.length} running={running} />
    </I18nProvider>,
  );
}

describe("the results of a save of several messages", () => {
  it("says how many saves' activity entries wait on the device, in real plural forms", () => {
    const { unmount } = show(
      [
        result(1, { eventPending: true }),
        result(2, { eventPending: true }),
        result(3),
        result(4, { status: "failed", error: new SeptError("network") }),
      ],
      "en",
    );
    expect(screen.getByTestId("bulk-event-pending").textContent).toMatch(
      /^The activity log entries of 2 saves could not be written yet/,
    );
    unmount();
    show([result(1, { eventPending: true })], "fr");
    expect(screen.getByTestId("bulk-event-pending").textContent).toMatch(
      /^L’entrée du journal d’activité de 1 enregistrement n’a pas encore pu être écrite/,
    );
  });

  it("says nothing of it while the save runs, or when every entry was written", () => {
    const { unmount } = show([result(1, { eventPending: true })], "en", true);
    expect(screen.queryByTestId("bulk-event-pending")).toBeNull();
    unmount();
    show([result(1), result(2, { status: "already_saved" })], "en");
    expect(screen.queryByTestId("bulk-event-pending")).toBeNull();
  });
});
