// Account settings against the Graph fake: If-Match on settings.json, two panes at once.
import { describe, expect, it } from "vitest";
import { FOREVER, retentionDays } from "../../../src/core/retention.js";
import { SETTINGS_FILE } from "../../../src/services/storage/layout.js";
import { createSettingsService } from "../../../src/services/storage/settings.js";
import { useRightsHarness } from "./rights-harness.js";

const h = useRightsHarness();

describe("settings.json", () => {
  it("is created on the first change and updated under If-Match after", async () => {
    const p = h.pane();
    await p.settings.setRetention(retentionDays(90));
    await p.settings.setRetention(FOREVER);
    const puts = h
      .fake()
      .fake.requests()
      .filter((r) => r.method === "PUT" && r.path.endsWith(`/${SETTINGS_FILE}:/content`));
    expect(puts).toHaveLength(2);
    expect(new URLSearchParams(puts[0]?.query).get("@microsoft.graph.conflictBehavior")).toBe(
      "fail",
    );
    expect(puts[1]?.headers["if-match"]).toBeTruthy();
    expect((await h.pane().settings.read()).chosen).toEqual(FOREVER);
  });

  it("lets two panes change it at once without an error, each change logged", async () => {
    const one = h.pane();
    const two = h.pane();
    await one.settings.setRetention(retentionDays(60));
    await Promise.all([
      one.settings.setRetention(retentionDays(30)),
      two.settings.setRetention(retentionDays(365)),
    ]);
    const final = (await h.pane().settings.read()).chosen;
    expect([retentionDays(30), retentionDays(365)]).toContainEqual(final);
    const changes = (await h.pane().activity.list()).filter((e) => e.kind === "settings_changed");
    expect(changes).toHaveLength(3);
  });

  it("refuses until-I-delete when the org does not allow it, writing nothing", async () => {
    const p = h.pane();
    const strict = { defaultDays: 90, minDays: 30, maxDays: 365, allowForever: false };
    const settings = createSettingsService({
      storage: p.storage,
      activity: p.activity,
      bounds: strict,
    });
    const error = await settings.setRetention(FOREVER).catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe("retention_forever_not_allowed");
    expect(await p.storage.stat(SETTINGS_FILE)).toBeNull();
  });
});
