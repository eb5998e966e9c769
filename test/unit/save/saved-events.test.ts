import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import { SeptError } from "../../../src/core/errors.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import { EVENTS_PER_WRITE, SavedEventGroup } from "../../../src/services/save/saved-events.js";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import { ACTIVITY_HEAD_PATH } from "../../../src/services/storage/layout.js";
import { createMemoryStorage } from "../../support/memory-storage.js";

const saved = (n: number): ActivityEvent => ({
  id: `saved-${n}`,
  at: new Date(Date.UTC(2026, 11, 2, 9, 0, n)).toISOString(),
  kind: "email_saved",
  outcome: "success",
  refs: { savedId: `s${n}` },
});

/** A log over memory storage that counts its head writes, and can be made to fail them. */
function countedLog() {
  const memory = createMemoryStorage();
  const state = { headWrites: 0, failing: false };
  const storage: StoragePort = {
    ...memory,
    async writeJson(path, value, options) {
      if (state.failing) throw new SeptError("network", { retryable: true });
      if (path === ACTIVITY_HEAD_PATH) state.headWrites += 1;
      return memory.writeJson(path, value, options);
    },
  };
  return { log: createStorageActivityLog(storage), state };
}

const noRetry = { retries: 0, delayMs: 0 };

/** Whether a promise has settled, after everything already queued has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 50; i++) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done;
}

describe("the events of a bulk save's saves", () => {
  it("wait for the next saves of the batch, then land EVENTS_PER_WRITE at a time in one write", async () => {
    const { log, state } = countedLog();
    const group = new SavedEventGroup(log, noRetry);
    const count = EVENTS_PER_WRITE * 2 + 1;
    for (let i = 0; i < count; i++) group.started();
    const landing = Array.from({ length: EVENTS_PER_WRITE - 1 }, (_, i) => group.log(saved(i)));
    expect(await settled(landing[0]!)).toBe(false);
    expect(state.headWrites).toBe(0);
    // Kept in the outbox meanwhile, not only in memory.
    expect(await log.pending()).toBe(EVENTS_PER_WRITE - 1);
    for (let i = EVENTS_PER_WRITE - 1; i < count - 1; i++) landing.push(group.log(saved(i)));
    await Promise.all(landing);
    expect(state.headWrites).toBe(2);
    const ids = (await log.list()).map((e) => e.id).reverse();
    expect(ids).toEqual(Array.from({ length: count - 1 }, (_, i) => `saved-${i}`));
  });

  it("once no message is left to start, go as soon as every message in flight has committed or ended", async () => {
    const { log, state } = countedLog();
    const group = new SavedEventGroup(log, noRetry);
    group.started();
    group.started();
    const only = group.log(saved(1));
    group.noMoreStarts();
    expect(await settled(only)).toBe(false);
    // The other message failed, was refused or found its email saved already.
    group.ended();
    await only;
    expect(state.headWrites).toBe(1);
  });

  it("all report a write that failed; the events stay in the outbox for the next send", async () => {
    const { log, state } = countedLog();
    const group = new SavedEventGroup(log, noRetry);
    group.started();
    group.started();
    group.noMoreStarts();
    state.failing = true;
    const results = await Promise.allSettled([group.log(saved(1)), group.log(saved(2))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await log.pending()).toBe(2);
    state.failing = false;
    await log.flush();
    expect((await log.list()).map((e) => e.id)).toEqual(["saved-2", "saved-1"]);
  });
});
