import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import { hashEvent, recordHash } from "../../../src/core/activity/chain.js";
import { SeptError } from "../../../src/core/errors.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import {
  activityEventFile,
  createMemoryOutbox,
  createStorageActivityLog,
  parseActivityEvent,
} from "../../../src/services/storage/activity-log.js";
import { ACTIVITY_HEAD_PATH } from "../../../src/services/storage/layout.js";
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
    writeJson: (...a) => (calls.push(`writeJson ${a[0]}`), storage.writeJson(...a)),
    read: (...a) => (calls.push("read"), storage.read(...a)),
    readJson: (...a) => (calls.push(`readJson ${a[0]}`), storage.readJson(...a)),
    stat: (...a) => (calls.push(`stat ${a[0]}`), storage.stat(...a)),
    list: (...a) => (calls.push(`list ${a[0]}`), storage.list(...a)),
    remove: (...a) => (calls.push("remove"), storage.remove(...a)),
    removeMany: (...a) => (calls.push("removeMany"), storage.removeMany(...a)),
    writeMany: (...a) => (calls.push("writeMany"), storage.writeMany(...a)),
  };
  return { storage: counted, calls };
}

type Memory = ReturnType<typeof createMemoryStorage>;
const readPath = (storage: Memory, path: string) =>
  JSON.parse(new TextDecoder().decode(storage.files.get(path))) as Record<string, unknown>;
const readStored = (storage: Memory, id: string) =>
  readPath(storage, activityEventFile(id)) as unknown as ActivityEvent;
const readHead = (storage: Memory) =>
  readPath(storage, ACTIVITY_HEAD_PATH) as { seq: number; hash: string; events: ActivityEvent[] };

/** A storage whose writes fail with `code` while `failing.on` is true. */
function flaky(memory: Memory, code: "network" | "service_unavailable" | "quota_full") {
  const failing = { on: true };
  const storage: StoragePort = {
    ...memory,
    async writeJson(path, value, options) {
      if (failing.on) throw new SeptError(code, { retryable: code !== "quota_full" });
      return memory.writeJson(path, value, options);
    },
  };
  return { storage, failing };
}

describe("one chain per user, continued from the stored head", () => {
  it("seals each event with its place and hash, and moves the head onto it", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    await log.append(event("e1"));
    await log.append(event("e2"));
    const [e1, e2] = [readStored(storage, "e1"), readStored(storage, "e2")];
    expect(e1).toMatchObject({ seq: 1, prevHash: null });
    expect(e1.hash).toBe(await hashEvent(e1));
    expect(e2).toMatchObject({ seq: 2, prevHash: e1.hash });
    expect(readHead(storage)).toMatchObject({ seq: 2, hash: e2.hash });
  });

  it("continues a later session's chain from the head: one small read first", async () => {
    const memory = createMemoryStorage();
    await createStorageActivityLog(memory).append(event("monday"));
    const { storage, calls } = counting(memory);
    const tuesday = createStorageActivityLog(storage);
    await tuesday.append(event("tuesday"));
    await tuesday.append(event("tuesday-2"));
    expect(readStored(memory, "tuesday")).toMatchObject({
      seq: 2,
      prevHash: readStored(memory, "monday").hash,
    });
    expect(calls).toEqual([
      `readJson ${ACTIVITY_HEAD_PATH}`,
      // The head's last event: filed by its writer already, which one stat confirms.
      `stat ${activityEventFile("monday")}`,
      `writeJson ${ACTIVITY_HEAD_PATH}`,
      `writeJson ${activityEventFile("tuesday")}`,
      // From then on two writes per event (the head, the event file), no read.
      `writeJson ${ACTIVITY_HEAD_PATH}`,
      `writeJson ${activityEventFile("tuesday-2")}`,
    ]);
    expect((await tuesday.verify()).ok).toBe(true);
  });

  it("keeps two writers appending at once in one valid chain, nothing lost or doubled", async () => {
    const storage = createMemoryStorage();
    const paneA = createStorageActivityLog(storage, { contentionDelayMs: 1 });
    const paneB = createStorageActivityLog(storage, { contentionDelayMs: 1 });
    await paneA.append(event("start"));
    await paneB.list();
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => paneA.append(event(`a${i}`))),
      ...Array.from({ length: 8 }, (_, i) => paneB.append(event(`b${i}`))),
    ]);
    const reader = createStorageActivityLog(storage);
    const listed = await reader.list();
    expect(listed).toHaveLength(17);
    expect(listed.map((e) => e.seq)).toEqual(Array.from({ length: 17 }, (_, i) => 17 - i));
    const verdict = await reader.verify();
    expect(verdict).toMatchObject({ ok: true, problems: [], chained: 17, headSeq: 17 });
    // Each pane's events keep their own order in the one chain.
    for (const prefix of ["a", "b"]) {
      const seqs = Array.from(
        { length: 8 },
        (_, i) => listed.find((e) => e.id === `${prefix}${i}`)?.seq ?? 0,
      );
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
  });

  it("sends the appends made while one is on the wire together, in the order they were made", async () => {
    const memory = createMemoryStorage();
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage);
    await Promise.all(Array.from({ length: 10 }, (_, i) => log.append(event(`g${i}`))));
    const listed = await log.list();
    expect(listed.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => `g${9 - i}`));
    expect(calls.filter((c) => c === `writeJson ${ACTIVITY_HEAD_PATH}`).length).toBeLessThan(10);
    expect((await log.verify()).ok).toBe(true);
  });

  it("replaces a hash, prevHash or seq given by the caller", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    await log.append(event("e1", { hash: "forged", prevHash: "forged", seq: 99 }));
    const stored = readStored(storage, "e1");
    expect(stored).toMatchObject({ seq: 1, prevHash: null });
    expect(stored.hash).toBe(await hashEvent(stored));
  });

  it("writes an idempotent event once, however often and by whomever it is appended", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    expect(await log.appendIdempotent(event("saved-abc"))).toBe("appended");
    const first = readStored(storage, "saved-abc");
    expect(await log.appendIdempotent(event("saved-abc", { outcome: "failure" }))).toBe(
      "already_logged",
    );
    expect(await createStorageActivityLog(storage).appendIdempotent(event("saved-abc"))).toBe(
      "already_logged",
    );
    expect(readStored(storage, "saved-abc")).toEqual(first);
    expect((await log.list()).map((e) => e.id)).toEqual(["saved-abc"]);
    expect(readHead(storage).seq).toBe(1);
  });

  it("shows one event when two writers log one deterministic id at the same moment", async () => {
    const storage = createMemoryStorage();
    const logs = [0, 1].map(() => createStorageActivityLog(storage, { contentionDelayMs: 1 }));
    await Promise.all(logs.map((log) => log.appendIdempotent(event("purged-x"))));
    const reader = createStorageActivityLog(storage);
    expect((await reader.list()).map((e) => e.id)).toEqual(["purged-x"]);
    expect((await reader.verify()).ok).toBe(true);
  });

  it("refuses ids that cannot name a file safely, and the head's own name", async () => {
    const log = createStorageActivityLog(createMemoryStorage());
    for (const id of ["../x", "a/b", "a:b", "", " a", "x".repeat(129), "head", "HEAD"]) {
      const error = await log.append(event(id)).catch((e: unknown) => e);
      expect((error as SeptError).code, id).toBe("bad_request");
    }
    expect(await log.pending()).toBe(0);
  });

  it("appends a run with one move of the head, in order", async () => {
    const memory = createMemoryStorage();
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage);
    await log.append(event("first"));
    calls.length = 0;
    const results = await log.appendMany([event("m1"), event("m2"), event("m3")], {
      idempotent: true,
    });
    expect(results).toEqual([
      { id: "m1", outcome: "appended" },
      { id: "m2", outcome: "appended" },
      { id: "m3", outcome: "appended" },
    ]);
    expect(calls.filter((c) => c === `writeJson ${ACTIVITY_HEAD_PATH}`)).toHaveLength(1);
    expect(readStored(memory, "m1").prevHash).toBe(readStored(memory, "first").hash);
    expect(readStored(memory, "m3")).toMatchObject({
      seq: 4,
      prevHash: readStored(memory, "m2").hash,
    });
    expect((await log.verify()).ok).toBe(true);
  });

  it("moves the head once per 60 events of a long run, so the head stays small", async () => {
    const memory = createMemoryStorage();
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage);
    const run = Array.from({ length: 150 }, (_, i) => event(`purged-${i}`));
    const results = await log.appendMany(run, { idempotent: true });
    expect(results.every((r) => r.outcome === "appended")).toBe(true);
    expect(calls.filter((c) => c === `writeJson ${ACTIVITY_HEAD_PATH}`)).toHaveLength(3);
    expect(readHead(memory)).toMatchObject({ seq: 150 });
    expect(readHead(memory).events).toHaveLength(30);
    expect(await log.verify()).toMatchObject({ ok: true, chained: 150 });
  });

  it("refuses a bad or repeated id in a run before writing anything", async () => {
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

describe("every event lands", () => {
  for (const code of ["network", "service_unavailable", "quota_full"] as const) {
    it(`keeps an event that failed (${code}) and sends it first at the next append`, async () => {
      const memory = createMemoryStorage();
      const { storage, failing } = flaky(memory, code);
      const outbox = createMemoryOutbox();
      const log = createStorageActivityLog(storage, { outbox });
      await expect(log.append(event("kept"))).rejects.toMatchObject({ code });
      expect(outbox.entries.map((e) => e.event.id)).toEqual(["kept"]);
      failing.on = false;
      await log.append(event("next"));
      expect(outbox.entries).toEqual([]);
      expect(readStored(memory, "kept")).toMatchObject({ seq: 1 });
      expect(readStored(memory, "next")).toMatchObject({ seq: 2 });
    });
  }

  it("re-sends at the next start from the durable outbox, in a new log", async () => {
    const memory = createMemoryStorage();
    const { storage, failing } = flaky(memory, "network");
    const outbox = createMemoryOutbox();
    await expect(
      createStorageActivityLog(storage, { outbox }).append(event("withdrawn")),
    ).rejects.toMatchObject({ code: "network" });
    failing.on = false;
    const restarted = createStorageActivityLog(storage, { outbox });
    expect(await restarted.pending()).toBe(1);
    await restarted.flush();
    expect(await restarted.pending()).toBe(0);
    expect((await restarted.list()).map((e) => e.id)).toEqual(["withdrawn"]);
  });

  it("does not log twice a re-send that meets its first send, which had landed", async () => {
    const memory = createMemoryStorage();
    // The head write lands, but its answer is lost: the pane cannot know it landed.
    let dropAnswers = 1;
    const storage: StoragePort = {
      ...memory,
      async writeJson(path, value, options) {
        const file = await memory.writeJson(path, value, options);
        if (path === ACTIVITY_HEAD_PATH && dropAnswers-- > 0) {
          throw new SeptError("network", { retryable: true });
        }
        return file;
      },
    };
    const outbox = createMemoryOutbox();
    const log = createStorageActivityLog(storage, { outbox });
    await expect(log.append(event("export-1"))).rejects.toMatchObject({ code: "network" });
    // The caller's own retry and the outbox's re-send are one and the same event.
    await log.append(event("export-1"));
    await createStorageActivityLog(storage, { outbox }).flush();
    await log.append(event("after"));
    expect((await log.list()).map((e) => e.id)).toEqual(["after", "export-1"]);
    expect(readHead(memory).seq).toBe(2);
    expect((await log.verify()).ok).toBe(true);
  });

  it("lists and verifies an event the head holds before its file is written", async () => {
    const memory = createMemoryStorage();
    // The writer stops right after the head: its event file is never written.
    const storage: StoragePort = {
      ...memory,
      async writeJson(path, value, options) {
        if (path !== ACTIVITY_HEAD_PATH) throw new SeptError("network");
        return memory.writeJson(path, value, options);
      },
      async writeMany() {
        throw new SeptError("network");
      },
    };
    await createStorageActivityLog(storage).append(event("crashed"));
    expect(memory.files.has(activityEventFile("crashed"))).toBe(false);
    const other = createStorageActivityLog(memory);
    expect((await other.list()).map((e) => e.id)).toEqual(["crashed"]);
    expect((await other.verify()).ok).toBe(true);
    // The next writer files it before it moves the head.
    await other.append(event("next"));
    expect(readStored(memory, "crashed")).toMatchObject({ seq: 1 });
    expect((await other.verify()).ok).toBe(true);
  });
});

describe("reading the log", () => {
  it("lists newest first, downloading only events it has not seen", async () => {
    const memory = createMemoryStorage();
    await createStorageActivityLog(memory).append(event("other-pane"));
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage);
    await log.append(event("mine"));
    calls.length = 0;
    expect((await log.list()).map((e) => e.id)).toEqual(["mine", "other-pane"]);
    // Only the other pane's event is downloaded: its own is known.
    expect(calls.filter((c) => c === "read")).toEqual(["read"]);
    calls.length = 0;
    await log.list();
    expect(calls.filter((c) => c === "read")).toEqual([]);
  });

  it("sees an event rewritten after this pane had read it", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    await log.append(event("e1"));
    expect((await log.verify()).ok).toBe(true);
    const stored = readStored(storage, "e1");
    await storage.writeJson(activityEventFile("e1"), { ...stored, outcome: "failure" });
    expect((await log.verify()).problems).toEqual(
      expect.arrayContaining([{ kind: "edited", eventId: "e1", seq: 1 }]),
    );
    expect((await log.list())[0]?.outcome).toBe("failure");
  });

  it("reports a file that is no longer JSON, and still lists the rest", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage);
    await log.append(event("e1"));
    await log.append(event("e2"));
    await log.append(event("e3"));
    await storage.write(activityEventFile("e1"), new TextEncoder().encode("{not json"));
    expect((await log.list()).map((e) => e.id)).toEqual(["e3", "e2"]);
    const { problems } = await log.verify();
    expect(problems.map((p) => p.kind).sort()).toEqual(["edited", "gap"]);
  });
});

describe("parseActivityEvent", () => {
  it("keeps the chain fields", () => {
    const parsed = parseActivityEvent({ ...event("e1"), hash: "h", prevHash: null, seq: 3 });
    expect(parsed).toMatchObject({ hash: "h", prevHash: null, seq: 3 });
  });

  it("refuses what is not an event", () => {
    expect(parseActivityEvent({ id: "x", at: "t", kind: "nope", outcome: "success" })).toBeNull();
    expect(parseActivityEvent("text")).toBeNull();
  });
});

describe("consent records covered by the chain", () => {
  it("carries each consent record's hash in its consent event", async () => {
    const storage = createMemoryStorage();
    const record = { kind: "grant", id: "g1", purposes: ["email_metadata"] };
    await storage.writeJson("consent/20260101T100000000Z-grant-g1.json", record);
    const log = createStorageActivityLog(storage);
    await log.append(event("c1", { kind: "consent_granted", refs: { consentRecordId: "g1" } }));
    expect(readStored(storage, "c1").refs.consentRecordHash).toBe(await recordHash(record));
    expect(await log.verify()).toMatchObject({ ok: true, consentCovered: 1 });
  });
});
