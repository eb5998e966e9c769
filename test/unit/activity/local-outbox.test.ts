import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import { SeptError } from "../../../src/core/errors.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import {
  createLocalOutbox,
  type KeyValueStore,
} from "../../../src/adapters/browser/local-outbox.js";
import { createMemoryStorage } from "../../support/memory-storage.js";

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const withdrawn: ActivityEvent = {
  id: "w-1",
  at: "2026-01-01T10:00:00.000Z",
  kind: "consent_withdrawn",
  outcome: "success",
  refs: {},
};

describe("the pane's outbox in localStorage", () => {
  it("keeps an event that failed across a closed pane, per user, and sends it at start", async () => {
    const store = memoryStore();
    const memory = createMemoryStorage();
    const offline: StoragePort = {
      ...memory,
      writeJson: async () => {
        throw new SeptError("network", { retryable: true });
      },
    };
    const key = "sept.activity-outbox.alex@contoso.example";
    await expect(
      createStorageActivityLog(offline, { outbox: createLocalOutbox(store, key) }).append(
        withdrawn,
      ),
    ).rejects.toMatchObject({ code: "network" });
    expect([...store.data.keys()]).toEqual([key]);
    // Another user on the same machine has nothing to send.
    const other = createLocalOutbox(store, "sept.activity-outbox.sam@contoso.example");
    expect(await other.read()).toEqual([]);

    const restarted = createStorageActivityLog(memory, { outbox: createLocalOutbox(store, key) });
    await restarted.flush();
    expect((await restarted.list()).map((e) => e.id)).toEqual(["w-1"]);
    expect(store.data.has(key)).toBe(false);
  });

  it("keeps entries in memory where the store refuses them", async () => {
    const refusing: KeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => undefined,
    };
    const outbox = createLocalOutbox(refusing, "k");
    await outbox.write([{ event: withdrawn, idempotent: false, attempts: 1 }]);
    expect((await outbox.read()).map((e) => e.event.id)).toEqual(["w-1"]);
    expect(await createLocalOutbox(null, "k").read()).toEqual([]);
  });
});
