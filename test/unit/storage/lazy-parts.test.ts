// The email index and the activity log as the pane composes them: their code is fetched after the
// first view, so until their first use they hold nothing and ask storage for nothing; from then on
// they answer exactly as the parts they stand for.
import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import { createLazyActivityLog } from "../../../src/services/storage/lazy-activity-log.js";
import { createEmailIndex } from "../../../src/services/storage/email-index.js";
import { createLazyEmailIndex } from "../../../src/services/storage/lazy-email-index.js";
import { createMemoryStorage } from "../../support/memory-storage.js";
import { seededRecord } from "../../support/rights-stack.js";

/** A storage that counts every call made to it. */
function counted(storage: StoragePort): { storage: StoragePort; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(storage, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { storage: proxy, calls };
}

describe("the email index loaded at its first use", () => {
  it("holds nothing and asks storage nothing before it is used", async () => {
    const { storage, calls } = counted(createMemoryStorage());
    const index = createLazyEmailIndex(storage);
    index.forget();
    expect(index.cached()).toBeNull();
    await Promise.resolve();
    expect(calls).toEqual([]);
  });

  it("commits and finds a record as the index itself does", async () => {
    const { storage, calls } = counted(createMemoryStorage());
    const index = createLazyEmailIndex(storage);
    const record = seededRecord(1, "2026-11-03T09:00:00.000Z", { content: false });
    expect((await index.commit(record)).mine).toBe(true);
    expect(calls.length).toBeGreaterThan(0);
    const found = await index.find(record.message.receivedDateTime, [record.savedId]);
    expect(found.map((r) => r.savedId)).toEqual([record.savedId]);
    expect((await index.entries()).map((e) => e.savedId)).toEqual([record.savedId]);
    expect(index.cached()?.map((e) => e.savedId)).toEqual([record.savedId]);
  });

  it("writes what the index itself reads back", async () => {
    const storage = createMemoryStorage();
    const record = seededRecord(2, "2026-10-20T16:30:00.000Z");
    await createLazyEmailIndex(storage).commit(record);
    const direct = createEmailIndex(storage);
    expect((await direct.record(record.savedId))?.message.subject).toBe(record.message.subject);
  });
});

describe("the activity log loaded at its first use", () => {
  const event = (id: string): ActivityEvent => ({
    id,
    kind: "data_exported",
    outcome: "success",
    at: "2026-12-02T08:00:00.000Z",
    refs: {},
  });

  it("asks storage nothing before it is used", async () => {
    const { storage, calls } = counted(createMemoryStorage());
    createLazyActivityLog(storage, {});
    await Promise.resolve();
    expect(calls).toEqual([]);
  });

  it("appends, lists and verifies as the log itself does", async () => {
    const storage = createMemoryStorage();
    const log = createLazyActivityLog(storage, {});
    await log.append(event("export-1"));
    expect(await log.appendIdempotent(event("export-1"))).toBe("already_logged");
    expect((await log.list()).map((e) => e.id)).toEqual(["export-1"]);
    expect(await log.pending()).toBe(0);
    expect((await log.verify()).ok).toBe(true);
    // Read back by the log itself, over the same storage.
    const direct = createStorageActivityLog(storage);
    expect((await direct.list()).map((e) => e.id)).toEqual(["export-1"]);
  });
});
