import { describe, expect, it } from "vitest";
import { SeptError } from "../../../src/core/errors.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import { FOREVER, retentionDays, type RetentionBounds } from "../../../src/core/retention.js";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import { SETTINGS_FILE } from "../../../src/services/storage/layout.js";
import { createSettingsService } from "../../../src/services/storage/settings.js";
import { createMemoryStorage } from "../../support/memory-storage.js";

const bounds: RetentionBounds = { defaultDays: 90, minDays: 30, maxDays: 365, allowForever: true };

function setup(storage: StoragePort = createMemoryStorage(), b: RetentionBounds = bounds) {
  const activity = createStorageActivityLog(storage);
  let n = 0;
  const settings = createSettingsService({
    storage,
    activity,
    bounds: () => b,
    now: () => new Date("2026-05-01T12:00:00Z"),
    newId: () => `id-${++n}`,
  });
  return { storage, activity, settings };
}

describe("retention settings", () => {
  it("starts on the org default without writing anything", async () => {
    const { storage, settings } = setup();
    const state = await settings.read();
    expect(state).toMatchObject({ chosen: retentionDays(90), stored: false });
    expect(await storage.stat(SETTINGS_FILE)).toBeNull();
  });

  it("stores a change in settings.json and logs old and new retention", async () => {
    const { storage, activity, settings } = setup();
    const state = await settings.setRetention(retentionDays(30));
    expect(state).toMatchObject({ chosen: retentionDays(30), effective: retentionDays(30) });
    const { value } = await storage.readJson<Record<string, unknown>>(SETTINGS_FILE);
    expect(value).toMatchObject({ schema: 1, retention: { kind: "days", days: 30 } });

    await settings.setRetention(FOREVER);
    const events = await activity.list();
    expect(events.map((e) => [e.kind, e.details])).toEqual([
      ["settings_changed", { setting: "retention", oldRetention: "P30D", newRetention: "forever" }],
      ["settings_changed", { setting: "retention", oldRetention: "P90D", newRetention: "P30D" }],
    ]);
  });

  it("writes and logs nothing when the setting does not change", async () => {
    const { activity, settings } = setup();
    await settings.setRetention(retentionDays(180));
    await settings.setRetention(retentionDays(180));
    expect(await activity.list()).toHaveLength(1);
  });

  it("refuses a setting outside the org bounds and keeps the old one", async () => {
    const { settings } = setup();
    await settings.setRetention(retentionDays(60));
    const error = await settings.setRetention(retentionDays(10)).catch((e: unknown) => e);
    expect((error as SeptError).code).toBe("retention_out_of_bounds");
    expect((await settings.read()).chosen).toEqual(retentionDays(60));
  });

  it("applies the org's current bounds to a choice made under older ones", async () => {
    const storage = createMemoryStorage();
    await setup(storage).settings.setRetention(FOREVER);
    const stricter = { defaultDays: 90, minDays: 30, maxDays: 120, allowForever: false };
    const state = await setup(storage, stricter).settings.read();
    expect(state.chosen).toEqual(FOREVER);
    expect(state.effective).toEqual(retentionDays(120));
  });

  it("keeps fields it does not know when it writes", async () => {
    const { storage, settings } = setup();
    await storage.writeJson(SETTINGS_FILE, { schema: 1, theme: "dark" });
    await settings.setRetention(retentionDays(45));
    const { value } = await storage.readJson<Record<string, unknown>>(SETTINGS_FILE);
    expect(value).toMatchObject({ theme: "dark", retention: { kind: "days", days: 45 } });
  });

  it("replaces a settings file that is not JSON", async () => {
    const { storage, settings } = setup();
    await storage.write(SETTINGS_FILE, new TextEncoder().encode("{not json"));
    expect((await settings.read()).stored).toBe(false);
    await settings.setRetention(retentionDays(45));
    expect((await settings.read()).chosen).toEqual(retentionDays(45));
  });

  it("retries on a lost race and applies the change to the other pane's version", async () => {
    const memory = createMemoryStorage();
    let raced = false;
    const storage: StoragePort = {
      ...memory,
      async writeJson(path, value, options) {
        if (!raced) {
          raced = true;
          // Another pane lands its own write between our read and our write.
          await memory.writeJson(path, { schema: 1, other: "pane" }, {});
        }
        return memory.writeJson(path, value, options);
      },
    };
    const { settings } = setup(storage);
    await settings.setRetention(retentionDays(200));
    const { value } = await memory.readJson<Record<string, unknown>>(SETTINGS_FILE);
    expect(value).toMatchObject({ other: "pane", retention: { kind: "days", days: 200 } });
  });

  it("answers current() from what it last read or wrote", async () => {
    const memory = createMemoryStorage();
    let reads = 0;
    const storage: StoragePort = {
      ...memory,
      // Reads of the settings file (the activity log reads its own head too).
      readJson: (path, signal) => (
        path === SETTINGS_FILE && reads++,
        memory.readJson(path, signal)
      ),
    };
    const { settings } = setup(storage);
    await settings.current();
    await settings.current();
    expect(reads).toBe(1);
    await settings.setRetention(retentionDays(31));
    expect((await settings.current()).chosen).toEqual(retentionDays(31));
    settings.forget();
    await settings.current();
    expect(reads).toBe(3);
  });
});
