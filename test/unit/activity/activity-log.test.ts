import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import { hashEvent } from "../../../src/core/activity/chain.js";
import { SeptError } from "../../../src/core/errors.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import {
  activityEventFile,
  createStorageActivityLog,
  parseActivityEvent,
} from "../../../src/services/activity-log.js";
import { createMemoryStorage } from "../../support/memory-storage.js";

let clock = 0;
function event(id: string, extra: Partial<ActivityEvent> = {}): ActivityEvent {
  const at = new Date(Date.UTC(2026, 0, 1, 10, 0, 0, clock++)).toISOString();
  return {
    id,
    at,
    kind: "email_saved",
    outcome: "success",
    refs: { savedId: `s-${id}` },
    ...extra,
  };
}

/** Counts the storage calls a log makes, by method. */
function counting(storage: StoragePort) {
  const calls: string[] = [];
  const counted: StoragePort = {
    write: (...a) => (calls.push("write"), storage.write(...a)),
    writeJson: (...a) => (calls.push("writeJson"), storage.writeJson(...a)),
    read: (...a) => (calls.push("read"), storage.read(...a)),
    readJson: (...a) => (calls.push("readJson"), storage.readJson(...a)),
    stat: (...a) => (calls.push("stat"), storage.stat(...a)),
    list: (...a) => (calls.push("list"), storage.list(...a)),
    remove: (...a) => (calls.push("remove"), storage.remove(...a)),
    removeMany: (...a) => (calls.push("removeMany"), storage.removeMany(...a)),
    writeMany: (...a) => (calls.push("writeMany"), storage.writeMany(...a)),
  };
  return { storage: counted, calls };
}

const readStored = (storage: ReturnType<typeof createMemoryStorage>, id: string) =>
  JSON.parse(new TextDecoder().decode(storage.files.get(activityEventFile(id)))) as ActivityEvent;

describe("the storage activity log", () => {
  it("stores each event as activity/{id}.json, sealed with its hash", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    await log.append(event("e1"));
    const stored = readStored(storage, "e1");
    expect(stored.prevHash).toBeNull();
    expect(stored.hash).toBe(await hashEvent(stored));
  });

  it("chains each append to the one before it in the same pane", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    await log.append(event("e1"));
    await log.append(event("e2"));
    expect(readStored(storage, "e2").prevHash).toBe(readStored(storage, "e1").hash);
  });

  it("replaces a hash or prevHash given by the caller", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    await log.append(event("e1", { hash: "forged", prevHash: "forged" }));
    const stored = readStored(storage, "e1");
    expect(stored.prevHash).toBeNull();
    expect(stored.hash).toBe(await hashEvent(stored));
  });

  it("appends with one write and no read, however long the log", async () => {
    const memory = createMemoryStorage();
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage);
    for (let i = 0; i < 5; i++) await log.append(event(`e${i}`));
    expect(calls).toEqual(["writeJson", "writeJson", "writeJson", "writeJson", "writeJson"]);
  });

  it("lists newest first, downloading only events it has not seen", async () => {
    const memory = createMemoryStorage();
    await createStorageActivityLog(memory).append(event("other-pane"));
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage);
    await log.append(event("mine"));
    expect((await log.list()).map((e) => e.id)).toEqual(["mine", "other-pane"]);
    expect(calls).toEqual(["writeJson", "list", "read"]);
    calls.length = 0;
    await log.list();
    expect(calls).toEqual(["list"]);
  });

  it("chains onto the newest event a listing showed", async () => {
    const storage = createMemoryStorage();
    await createStorageActivityLog(storage).append(event("first"));
    const second = createStorageActivityLog(storage);
    await second.list();
    await second.append(event("next"));
    expect(readStored(storage, "next").prevHash).toBe(readStored(storage, "first").hash);
  });

  it("keeps every event of concurrent appends in one pane, and the fork verifies", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    await Promise.all(Array.from({ length: 10 }, (_, i) => log.append(event(`c${i}`))));
    expect(await log.list()).toHaveLength(10);
    expect(await log.verify()).toEqual({ ok: true, problems: [] });
  });

  it("writes an idempotent event once, however often it is appended", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    expect(await log.appendIdempotent(event("saved-abc"))).toBe("appended");
    const first = readStored(storage, "saved-abc");
    expect(await log.appendIdempotent(event("saved-abc", { outcome: "failure" }))).toBe(
      "already_logged",
    );
    expect(readStored(storage, "saved-abc")).toEqual(first);
    expect(await createStorageActivityLog(storage).appendIdempotent(event("saved-abc"))).toBe(
      "already_logged",
    );
    expect((await log.list()).map((e) => e.id)).toEqual(["saved-abc"]);
  });

  it("does not chain onto an idempotent event it did not write", async () => {
    const storage = createMemoryStorage();
    await createStorageActivityLog(storage).appendIdempotent(event("saved-abc"));
    const log = createStorageActivityLog(storage);
    await log.append(event("before"));
    await log.appendIdempotent(event("saved-abc"));
    await log.append(event("after"));
    expect(readStored(storage, "after").prevHash).toBe(readStored(storage, "before").hash);
    expect((await log.verify()).ok).toBe(true);
  });

  it("treats a retried write that had already landed as appended", async () => {
    const memory = createMemoryStorage();
    // The first PUT lands but its answer is lost; the retry meets its own file.
    const storage: StoragePort = {
      ...memory,
      async writeJson(path, value, options) {
        await memory.writeJson(path, value, options);
        return memory.writeJson(path, value, options);
      },
    };
    const log = createStorageActivityLog(storage);
    await expect(log.append(event("e1"))).resolves.toBeUndefined();
    await log.append(event("e2"));
    expect(readStored(memory, "e2").prevHash).toBe(readStored(memory, "e1").hash);
  });

  it("refuses to append an event whose random id is already another event's", async () => {
    const storage = createMemoryStorage();
    await createStorageActivityLog(storage).append(event("dup"));
    const error = await createStorageActivityLog(storage)
      .append(event("dup", { outcome: "failure" }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeptError);
    expect((error as SeptError).code).toBe("conflict");
  });

  it("refuses ids that cannot name a file safely", async () => {
    const log = createStorageActivityLog(createMemoryStorage());
    for (const id of ["../x", "a/b", "a:b", "", " a", "x".repeat(129)]) {
      const error = await log.append(event(id)).catch((e: unknown) => e);
      expect((error as SeptError).code, id).toBe("bad_request");
    }
  });

  it("sees an event rewritten after this pane had read it", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    await log.append(event("e1"));
    expect((await log.verify()).ok).toBe(true);
    const stored = readStored(storage, "e1");
    await storage.writeJson(activityEventFile("e1"), { ...stored, outcome: "failure" });
    expect(await log.verify()).toEqual({
      ok: false,
      problems: [{ kind: "edited", eventId: "e1" }],
    });
    expect((await log.list())[0]?.outcome).toBe("failure");
  });

  it("reports a file that is no longer JSON as edited, and still lists the rest", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    await log.append(event("e1"));
    await log.append(event("e2"));
    await storage.write(activityEventFile("e1"), new TextEncoder().encode("{not json"));
    expect((await log.list()).map((e) => e.id)).toEqual(["e2"]);
    expect((await log.verify()).problems).toEqual([
      { kind: "edited", eventId: "e1" },
      { kind: "missing", eventId: "e2" },
    ]);
  });

  it("reports events written before the chain existed as unchained", async () => {
    const storage = createMemoryStorage();
    const legacy = event("legacy");
    await storage.writeJson("activity/20260101T100000000Z-legacy.json", legacy);
    const log = createStorageActivityLog(storage);
    expect((await log.list()).map((e) => e.id)).toEqual(["legacy"]);
    expect((await log.verify()).problems).toEqual([{ kind: "unchained", eventId: "legacy" }]);
  });
});

describe("parseActivityEvent", () => {
  it("keeps the chain fields", () => {
    const parsed = parseActivityEvent({ ...event("e1"), hash: "h", prevHash: null });
    expect(parsed?.hash).toBe("h");
    expect(parsed?.prevHash).toBeNull();
  });

  it("refuses what is not an event", () => {
    expect(parseActivityEvent({ id: "x", at: "t", kind: "nope", outcome: "success" })).toBeNull();
    expect(parseActivityEvent("text")).toBeNull();
  });
});

describe("appendMany", () => {
  it("writes a run as one chain in one writeMany, onto the pane's head", async () => {
    const memory = createMemoryStorage();
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage);
    await log.append(event("first"));
    const results = await log.appendMany([event("m1"), event("m2"), event("m3")]);
    expect(results).toEqual([
      { id: "m1", outcome: "appended" },
      { id: "m2", outcome: "appended" },
      { id: "m3", outcome: "appended" },
    ]);
    expect(calls).toEqual(["writeJson", "writeMany"]);
    expect(readStored(memory, "m1").prevHash).toBe(readStored(memory, "first").hash);
    expect(readStored(memory, "m2").prevHash).toBe(readStored(memory, "m1").hash);
    expect(readStored(memory, "m3").prevHash).toBe(readStored(memory, "m2").hash);
    await log.append(event("after"));
    expect(readStored(memory, "after").prevHash).toBe(readStored(memory, "m3").hash);
    expect(await log.verify()).toEqual({ ok: true, problems: [] });
    // Its own events are known: list() downloads none of them.
    expect(calls.filter((c) => c === "read")).toEqual([]);
  });

  it("treats a taken deterministic id as already logged and chains the rest past it", async () => {
    const memory = createMemoryStorage();
    const log = createStorageActivityLog(memory);
    await createStorageActivityLog(memory).append(event("purged-b"));
    const earlier = readStored(memory, "purged-b");
    const results = await log.appendMany(
      [event("purged-a"), event("purged-b"), event("purged-c")],
      { idempotent: true },
    );
    expect(results.map((r) => r.outcome)).toEqual(["appended", "already_logged", "appended"]);
    expect(readStored(memory, "purged-b")).toEqual(earlier);
    expect(readStored(memory, "purged-c").prevHash).toBe(readStored(memory, "purged-a").hash);
    expect(await log.verify()).toEqual({ ok: true, problems: [] });
  });

  it("reports a taken random id as a conflict, and a failed write per event", async () => {
    const memory = createMemoryStorage();
    await memory.writeJson(activityEventFile("x2"), { other: true });
    const storage: StoragePort = {
      ...memory,
      async writeMany(writes, options) {
        const results = await memory.writeMany(
          writes.filter((w) => !w.path.endsWith("x3.json")),
          options,
        );
        return writes.map(
          (w) =>
            results.find((r) => r.path === w.path) ?? {
              path: w.path,
              error: new SeptError("throttled"),
            },
        );
      },
    };
    const log = createStorageActivityLog(storage);
    const results = await log.appendMany([event("x1"), event("x2"), event("x3"), event("x4")]);
    expect(results.map((r) => r.outcome ?? r.error?.code)).toEqual([
      "appended",
      "conflict",
      "throttled",
      "appended",
    ]);
    expect(readStored(memory, "x4").prevHash).toBe(readStored(memory, "x1").hash);
    const verdict = await log.verify();
    // x2 is someone else's file, not an event: only it is reported.
    expect(verdict.problems).toEqual([{ kind: "edited", eventId: "x2" }]);
  });

  it("refuses a bad or repeated id before writing anything", async () => {
    const memory = createMemoryStorage();
    const log = createStorageActivityLog(memory);
    await expect(log.appendMany([event("ok"), event("bad/id")])).rejects.toMatchObject({
      code: "bad_request",
    });
    await expect(log.appendMany([event("dup"), event("DUP")])).rejects.toMatchObject({
      code: "bad_request",
    });
    expect(memory.writes).toEqual([]);
  });
});

describe("seal and settle", () => {
  it("seals onto the head without moving it until the write is settled", async () => {
    const memory = createMemoryStorage();
    const log = createStorageActivityLog(memory);
    await log.append(event("e1"));
    const sealed = await log.seal(event("saved-s1"));
    expect(sealed.path).toBe(activityEventFile("saved-s1"));
    expect(sealed.value.prevHash).toBe(readStored(memory, "e1").hash);
    expect(memory.writes).toEqual([activityEventFile("e1")]);
    const [written] = await memory.writeMany([
      { path: sealed.path, value: sealed.value, conflict: "fail" },
    ]);
    expect(await log.settle(sealed, written!, { idempotent: true })).toBe("appended");
    await log.append(event("e3"));
    expect(readStored(memory, "e3").prevHash).toBe(sealed.value.hash);
    expect((await log.verify()).ok).toBe(true);
  });

  it("settles a conflict as already logged when idempotent, and rejects other errors", async () => {
    const log = createStorageActivityLog(createMemoryStorage());
    const sealed = await log.seal(event("saved-s2"));
    await expect(
      log.settle(sealed, { error: new SeptError("conflict") }, { idempotent: true }),
    ).resolves.toBe("already_logged");
    await expect(
      log.settle(sealed, { error: new SeptError("throttled") }, { idempotent: true }),
    ).rejects.toMatchObject({ code: "throttled" });
  });
});
