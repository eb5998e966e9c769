import { describe, expect, it } from "vitest";
import { SeptError } from "../../../src/core/errors.js";
import { retentionDays } from "../../../src/core/retention.js";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import { createSettingsService } from "../../../src/services/storage/settings.js";
import { createMemoryStorage } from "../../support/memory-storage.js";

describe("a settings change's event", () => {
  it("is retried until it lands, once, and the change is not reported as failed", async () => {
    const storage = createMemoryStorage();
    const activity = createStorageActivityLog(storage);
    let refusals = 4;
    const flaky = {
      ...activity,
      appendIdempotent: async (event: Parameters<typeof activity.appendIdempotent>[0]) => {
        if (refusals-- > 0) throw new SeptError("service_unavailable", { retryable: true });
        return activity.appendIdempotent(event);
      },
    };
    const settings = createSettingsService({
      storage,
      activity: flaky,
      bounds: { defaultDays: 90, minDays: 30, maxDays: 365, allowForever: false },
      eventRetryDelayMs: () => 1,
    });
    const state = await settings.setRetention(retentionDays(30));
    expect(state.chosen).toEqual(retentionDays(30));
    // The first three tries failed while the change was reported; the background ones go on.
    await expect
      .poll(async () => (await activity.list()).filter((e) => e.kind === "settings_changed").length)
      .toBe(1);
    expect(refusals).toBeLessThan(0);
  });
});
