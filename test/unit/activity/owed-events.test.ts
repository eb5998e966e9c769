import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SeptError } from "../../../src/core/errors.js";
import { retryOwedEvents } from "../../../src/services/storage/owed-events.js";

/** An activity log whose outbox holds `waiting` events and whose flushes fail `failures` times. */
function log(waiting: number, failures: number) {
  const state = { waiting, failures, flushes: 0 };
  return {
    state,
    pending: async () => state.waiting,
    flush: async () => {
      state.flushes++;
      if (state.failures > 0) {
        state.failures--;
        throw new SeptError("network");
      }
      state.waiting = 0;
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("events owed by this device", () => {
  it("are sent again on a back-off until they land, then no more", async () => {
    const activity = log(2, 2);
    const delays: number[] = [];
    const owed = retryOwedEvents(activity, (attempt) => {
      const ms = 1000 * 2 ** attempt;
      delays.push(ms);
      return ms;
    });
    await owed.check();
    await vi.runAllTimersAsync();
    expect(activity.state.flushes).toBe(3);
    expect(activity.state.waiting).toBe(0);
    expect(delays).toEqual([1000, 2000, 4000]);
    // Nothing waits: a later check schedules nothing.
    await owed.check();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("schedule nothing when the outbox is empty, and one retry however often checked", async () => {
    const empty = log(0, 0);
    await retryOwedEvents(empty).check();
    expect(vi.getTimerCount()).toBe(0);

    const activity = log(1, 0);
    const owed = retryOwedEvents(activity);
    await Promise.all([owed.check(), owed.check(), owed.check()]);
    expect(vi.getTimerCount()).toBe(1);
    await vi.runAllTimersAsync();
    expect(activity.state.flushes).toBe(1);
  });

  it("stop when disposed, leaving the outbox as it is", async () => {
    const activity = log(1, 0);
    const owed = retryOwedEvents(activity);
    await owed.check();
    owed.dispose();
    await vi.runAllTimersAsync();
    expect(activity.state.flushes).toBe(0);
    expect(activity.state.waiting).toBe(1);
  });
});
