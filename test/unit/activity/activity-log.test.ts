import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import { hashEvent, recordHash } from "../../../src/core/activity/chain.js";
import { SeptError } from "../../../src/core/errors.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import {
  activityEventFile,
  activityLogSize,
  BULK_SHARD_BYTES,
  chainBeginsWith,
  createMemoryOutbox,
  createStorageActivityLog,
  HEAD_FORMAT,
  parseActivityEvent,
  SHARD_BYTES,
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
    readJsonMany: (...a) => (calls.push("readJsonMany"), storage.readJsonMany(...a)),
    readMany: (...a) => (calls.push("readMany"), storage.readMany(...a)),
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
interface Head {
  seq: number;
  hash: string;
  events: ActivityEvent[];
  shards: Array<{ name: string; first: number; last: number; hash: string }>;
  genesis: string | null;
  legacySeq: number;
}
const readHead = (storage: Memory) => readPath(storage, ACTIVITY_HEAD_PATH) as unknown as Head;
const shardPaths = (storage: Memory) =>
  [...storage.files.keys()].filter((p) => p.startsWith("activity/shards/")).sort();
const readShard = (storage: Memory, path: string) =>
  readPath(storage, path) as { events: ActivityEvent[]; prior: { hash: string } | null };
/** Every event as stored: the archive shards' (oldest first), then the head's. */
const storedEvents = (storage: Memory): ActivityEvent[] => [
  ...shardPaths(storage).flatMap((p) => readShard(storage, p).events),
  ...readHead(storage).events,
];
const readStored = (storage: Memory, id: string): ActivityEvent => {
  const found = storedEvents(storage).find((e) => e.id === id);
  if (!found) throw new Error(`${id} is not stored`);
  return found;
};
/** A cap that holds a handful of the events these tests write (about 300 bytes each). */
const SMALL_SHARD = 1600;

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
  it("seals each event with its place and hash, and the head holds them: one write an append", async () => {
    const memory = createMemoryStorage();
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage);
    await log.append(event("e1"));
    await log.append(event("e2"));
    const [e1, e2] = [readStored(memory, "e1"), readStored(memory, "e2")];
    expect(e1).toMatchObject({ seq: 1, prevHash: null });
    expect(e1.hash).toBe(await hashEvent(e1));
    expect(e2).toMatchObject({ seq: 2, prevHash: e1.hash });
    expect(readHead(memory)).toMatchObject({ seq: 2, hash: e2.hash, shards: [], genesis: "e1" });
    expect(readHead(memory).events.map((e) => e.id)).toEqual(["e1", "e2"]);
    expect(calls.filter((c) => c.startsWith("writeJson"))).toEqual([
      `writeJson ${ACTIVITY_HEAD_PATH}`,
      `writeJson ${ACTIVITY_HEAD_PATH}`,
    ]);
    // No file of its own per event any more.
    expect([...memory.files.keys()]).toEqual([ACTIVITY_HEAD_PATH]);
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
      `writeJson ${ACTIVITY_HEAD_PATH}`,
      // From then on one write per event (the head), no read.
      `writeJson ${ACTIVITY_HEAD_PATH}`,
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

  it("keeps two panes and the tenant job in one chain while the head fills and is archived", async () => {
    const storage = createMemoryStorage();
    const writers = ["pane-a", "pane-b", "tenant"].map(() =>
      createStorageActivityLog(storage, { contentionDelayMs: 1, shardBytes: SMALL_SHARD }),
    );
    await Promise.all(
      writers.map((log, w) =>
        Promise.all([
          ...Array.from({ length: 10 }, (_, i) => log.append(event(`w${w}-${i}`))),
          log.appendMany(
            Array.from({ length: 6 }, (_, i) => event(`w${w}-run-${i}`)),
            { idempotent: true },
          ),
        ]),
      ),
    );
    const reader = createStorageActivityLog(storage);
    const listed = await reader.list();
    expect(listed).toHaveLength(48);
    expect(listed.map((e) => e.seq)).toEqual(Array.from({ length: 48 }, (_, i) => 48 - i));
    expect(await reader.verify()).toMatchObject({ ok: true, problems: [], chained: 48 });
    // Archived (a group commit bigger than a head goes to one shard whole), each shard once,
    // and each event stored once (in a shard or in the head).
    expect(shardPaths(storage).length).toBeGreaterThan(1);
    for (const path of shardPaths(storage)) {
      expect(storage.writes.filter((w) => w === path)).toHaveLength(1);
    }
    expect(storedEvents(storage)).toHaveLength(48);
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

  it("refuses ids that are not path-safe, and the head's own name", async () => {
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
    // The ids are looked up in the head it holds: no read, one write.
    expect(calls).toEqual([`writeJson ${ACTIVITY_HEAD_PATH}`]);
    expect(readStored(memory, "m1").prevHash).toBe(readStored(memory, "first").hash);
    expect(readStored(memory, "m3")).toMatchObject({
      seq: 4,
      prevHash: readStored(memory, "m2").hash,
    });
    expect((await log.verify()).ok).toBe(true);
  });

  it("holds events in the outbox without a request; the next flush sends them in one move", async () => {
    const memory = createMemoryStorage();
    const { storage, calls } = counting(memory);
    const outbox = createMemoryOutbox();
    const log = createStorageActivityLog(storage, { outbox });
    await log.append(event("before"));
    calls.length = 0;
    await log.hold([event("h1")]);
    await log.hold([event("h2"), event("h3")]);
    expect(calls).toEqual([]);
    expect(await log.pending()).toBe(3);
    // Kept as an append keeps them: a pane started over the same outbox would send them.
    expect(outbox.entries.map((e) => e.event.id)).toEqual(["h1", "h2", "h3"]);
    await log.flush();
    expect(calls).toEqual([`writeJson ${ACTIVITY_HEAD_PATH}`]);
    expect(await log.pending()).toBe(0);
    expect(readHead(memory).events.map((e) => e.id)).toEqual(["before", "h1", "h2", "h3"]);
    expect((await log.verify()).ok).toBe(true);
  });

  it("refuses to hold a bad or repeated id, keeping nothing", async () => {
    const log = createStorageActivityLog(createMemoryStorage());
    for (const run of [
      [event("ok-1"), event("../x")],
      [event("twice"), event("TWICE")],
    ]) {
      const error = await log.hold(run).catch((e: unknown) => e);
      expect((error as SeptError).code).toBe("bad_request");
    }
    expect(await log.pending()).toBe(0);
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

describe("archive shards", () => {
  it("archives the full head as a shard, then starts the head again linked to its last hash", async () => {
    const memory = createMemoryStorage();
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage, { shardBytes: SMALL_SHARD });
    let n = 0;
    while (shardPaths(memory).length === 0) await log.append(event(`e${n++}`));
    const [path] = shardPaths(memory);
    const shard = readShard(memory, path!);
    const head = readHead(memory);
    const lastArchived = shard.events[shard.events.length - 1]!;
    // Named by its first place and its last hash only.
    expect(path).toBe(`activity/shards/0000000001-${lastArchived.hash!.slice(0, 16)}.json`);
    expect(shard.prior).toBeNull();
    expect(shard.events.map((e) => e.seq)).toEqual(shard.events.map((_, i) => i + 1));
    expect(head.events.map((e) => e.id)).toEqual([`e${n - 1}`]);
    expect(head.events[0]).toMatchObject({ seq: n, prevHash: lastArchived.hash });
    expect(head.shards).toEqual([
      { name: path!.split("/").pop(), first: 1, last: n - 1, hash: lastArchived.hash },
    ]);
    // The append that archived: the shard, then the head; every other append one write.
    expect(calls.filter((c) => c.startsWith("writeJson")).slice(-2)).toEqual([
      `writeJson ${path}`,
      `writeJson ${ACTIVITY_HEAD_PATH}`,
    ]);
    expect(calls.filter((c) => c.startsWith("writeJson"))).toHaveLength(n + 1);
    expect(await log.verify()).toMatchObject({ ok: true, chained: n });
  });

  it("logs a purge of 1,000 in three writes: the head, one archive shard, the head again", async () => {
    const memory = createMemoryStorage();
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage);
    await log.append(event("before"));
    calls.length = 0;
    const run = Array.from({ length: 1000 }, (_, i) =>
      event(`purged-s${String(i).padStart(6, "0")}-20260101T100000000Z`, {
        kind: "email_purged",
        projectId: "tower-b",
        sizeBytes: 2_871_234,
        details: {
          reason: "retention_expired",
          retentionDays: 90,
          savedAt: "2025-09-01T08:00:00.000Z",
        },
      }),
    );
    const results = await log.appendMany(run, { idempotent: true });
    expect(results.every((r) => r.outcome === "appended")).toBe(true);
    const shards = shardPaths(memory);
    expect(shards).toHaveLength(1);
    // The run lands in the head (the chain's commit), then the head goes to one shard whole,
    // and the head starts again empty, linked to it. Nothing read: the ids were looked up in
    // what this log holds.
    expect(calls).toEqual([
      `writeJson ${ACTIVITY_HEAD_PATH}`,
      `writeJson ${shards[0]}`,
      `writeJson ${ACTIVITY_HEAD_PATH}`,
    ]);
    const shard = readShard(memory, shards[0]!);
    expect(shard.events.map((e) => e.id)).toEqual(["before", ...run.map((e) => e.id)]);
    expect(memory.files.get(shards[0]!)!.byteLength).toBeLessThan(BULK_SHARD_BYTES);
    const head = readHead(memory);
    expect(head.events).toEqual([]);
    expect(head).toMatchObject({ seq: 1001, hash: shard.events[1000]!.hash });
    expect(memory.files.get(ACTIVITY_HEAD_PATH)!.byteLength).toBeLessThan(SHARD_BYTES);
    expect(await log.verify()).toMatchObject({ ok: true, chained: 1001 });
    // The next save is one small write again, onto the shard's last event.
    calls.length = 0;
    await log.append(event("after"));
    expect(calls).toEqual([`writeJson ${ACTIVITY_HEAD_PATH}`]);
    expect(readHead(memory).events[0]).toMatchObject({ seq: 1002, prevHash: head.hash });
    expect(await log.verify()).toMatchObject({ ok: true, chained: 1002 });
  });

  it("cuts a run bigger than a bulk shard into bulk moves, each archived once", async () => {
    const memory = createMemoryStorage();
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage, {
      shardBytes: SMALL_SHARD,
      bulkShardBytes: 8000,
    });
    const run = Array.from({ length: 60 }, (_, i) => event(`purged-${i}`));
    const results = await log.appendMany(run, { idempotent: true });
    expect(results.every((r) => r.outcome === "appended")).toBe(true);
    const shards = shardPaths(memory);
    expect(shards.length).toBeGreaterThan(1);
    for (const p of shards) expect(memory.files.get(p)!.byteLength).toBeLessThan(8000 + 1024);
    // Per bulk move: the head, its shard, the head emptied.
    expect(calls.filter((c) => c.startsWith("writeJson activity/shards/"))).toEqual(
      shards.map((p) => `writeJson ${p}`),
    );
    const lastShard = readShard(memory, shards[shards.length - 1]!);
    const tail = readHead(memory).events.length === 0 ? 0 : 1;
    expect(calls.filter((c) => c === `writeJson ${ACTIVITY_HEAD_PATH}`)).toHaveLength(
      2 * shards.length + tail,
    );
    expect(lastShard.events.length).toBeGreaterThan(0);
    expect(storedEvents(memory).map((e) => e.id)).toEqual(run.map((e) => e.id));
    expect(await log.verify()).toMatchObject({ ok: true, chained: 60 });
  });

  it("logs a bulk run once when its archiving stopped half-way; the next writer archives it", async () => {
    const memory = createMemoryStorage();
    const setup = createStorageActivityLog(memory, { shardBytes: SMALL_SHARD });
    await setup.append(event("before"));
    // The run lands in the head and its shard is written; then the head's move is lost.
    let headWrites = 0;
    const stopping: StoragePort = {
      ...memory,
      async writeJson(path, value, options) {
        if (path === ACTIVITY_HEAD_PATH && ++headWrites === 2) throw new SeptError("network");
        return memory.writeJson(path, value, options);
      },
    };
    const run = Array.from({ length: 30 }, (_, i) => event(`purged-${i}`));
    const crashed = createStorageActivityLog(stopping, { shardBytes: SMALL_SHARD });
    const results = await crashed.appendMany(run, { idempotent: true });
    expect(results.every((r) => r.outcome === "appended")).toBe(true);
    expect(shardPaths(memory)).toHaveLength(1);
    expect(readHead(memory).events).toHaveLength(31);

    // Sent again (the tenant job resumed): found in the head, nothing logged twice.
    const resumed = createStorageActivityLog(memory, { shardBytes: SMALL_SHARD });
    const again = await resumed.appendMany(run, { idempotent: true });
    expect(again.every((r) => r.outcome === "already_logged")).toBe(true);
    // The next append archives the full head: the same shard (same name, same events).
    await resumed.append(event("next"));
    expect(shardPaths(memory)).toHaveLength(1);
    expect(readHead(memory).events.map((e) => e.id)).toEqual(["next"]);
    expect(storedEvents(memory).map((e) => e.id)).toEqual([
      "before",
      ...run.map((e) => e.id),
      "next",
    ]);
    expect(await resumed.verify()).toMatchObject({ ok: true, problems: [], chained: 32 });
  });

  it("finds an idempotent id in the recent shards, reading each shard at most once", async () => {
    const memory = createMemoryStorage();
    const writer = createStorageActivityLog(memory, { shardBytes: SMALL_SHARD });
    await writer.appendIdempotent(event("saved-early"));
    for (let i = 0; i < 12; i++) await writer.append(event(`later-${i}`));
    expect(shardPaths(memory).length).toBeGreaterThanOrEqual(2);
    const { storage, calls } = counting(memory);
    const resumed = createStorageActivityLog(storage, { shardBytes: SMALL_SHARD });
    expect(await resumed.appendIdempotent(event("saved-early"))).toBe("already_logged");
    const shardReads = calls.filter((c) => c.startsWith("readJson activity/shards/"));
    expect(shardReads.length).toBeLessThanOrEqual(shardPaths(memory).length);
    expect(new Set(shardReads).size).toBe(shardReads.length);
    calls.length = 0;
    expect(await resumed.appendIdempotent(event("saved-early"))).toBe("already_logged");
    expect(calls.filter((c) => c.startsWith("readJson"))).toEqual([]);
  });

  it("looks back only two shards past the last one that held an id it looks for", async () => {
    const memory = createMemoryStorage();
    const writer = createStorageActivityLog(memory, { shardBytes: SMALL_SHARD });
    for (let i = 0; i < 40; i++) await writer.append(event(`old-${i}`));
    const shards = shardPaths(memory).length;
    expect(shards).toBeGreaterThan(4);
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage, { shardBytes: SMALL_SHARD });
    expect(await log.appendIdempotent(event("never-logged"))).toBe("appended");
    expect(calls.filter((c) => c.startsWith("readJson activity/shards/"))).toHaveLength(2);
  });

  it("logs a resumed run once: the tenant job killed after its events landed sends them again", async () => {
    const memory = createMemoryStorage();
    const run = Array.from({ length: 60 }, (_, i) => event(`purged-${i}`));
    const killed = createStorageActivityLog(memory, { shardBytes: SMALL_SHARD });
    await killed.append(event("earlier"));
    await killed.appendMany(run, { idempotent: true });
    const seq = readHead(memory).seq;
    // The resumed run has no outbox of the first one: every id is looked up in storage.
    const resumed = createStorageActivityLog(memory, { shardBytes: SMALL_SHARD });
    const results = await resumed.appendMany(run, { idempotent: true });
    expect(results.every((r) => r.outcome === "already_logged")).toBe(true);
    expect(readHead(memory).seq).toBe(seq);
  });

  it("carries on when a writer archived the head and stopped before moving it", async () => {
    const memory = createMemoryStorage();
    const setup = createStorageActivityLog(memory);
    for (let i = 0; i < 5; i++) await setup.append(event(`f${i}`));
    // The next append archives, then its head write is lost: the process stopped.
    const stopping: StoragePort = {
      ...memory,
      async writeJson(path, value, options) {
        if (path === ACTIVITY_HEAD_PATH) throw new SeptError("network");
        return memory.writeJson(path, value, options);
      },
    };
    const crashed = createStorageActivityLog(stopping, { shardBytes: 400 });
    await expect(crashed.append(event("lost-answer"))).rejects.toMatchObject({ code: "network" });
    expect(shardPaths(memory)).toHaveLength(1);
    const headBefore = readHead(memory);
    expect(headBefore.shards).toEqual([]);
    // Another writer meets the same shard (same name, same events) and moves on.
    const next = createStorageActivityLog(memory, { shardBytes: 400 });
    await next.append(event("next"));
    expect(shardPaths(memory)).toHaveLength(1);
    expect(readHead(memory).events.map((e) => e.id)).toEqual(["next"]);
    const listed = await next.list();
    expect(listed.map((e) => e.id)).toEqual([
      "next",
      ...headBefore.events.map((e) => e.id).reverse(),
    ]);
    expect(await next.verify()).toMatchObject({ ok: true, chained: headBefore.seq + 1 });
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
});

/**
 * A log as versions before shards left it: events of the first pane sessions chained per session
 * (no `seq`, files named `{time}-{id}.json`), then one chain with a file per event
 * (`activity/{id}.json`), and a head holding the events of its last append, the newest of them
 * never filed (the writer stopped after the head).
 */
async function earlierVersionLog(memory: Memory) {
  const write = (path: string, value: unknown) =>
    memory.writeJson(path, value, { conflict: "fail" });
  let prev: string | null = null;
  for (const id of ["old-1", "old-2"]) {
    const content: ActivityEvent = { ...event(id), prevHash: prev };
    const hash: string = await hashEvent(content);
    await write(`activity/20251101T100000000Z-${id}.json`, { ...content, hash });
    prev = hash;
  }
  prev = null;
  const chained: ActivityEvent[] = [];
  for (const [i, id] of ["c-1", "c-2", "c-3", "saved-legacy", "c-5"].entries()) {
    const content: ActivityEvent = { ...event(id), seq: i + 1, prevHash: prev };
    const hash: string = await hashEvent(content);
    const sealed: ActivityEvent = { ...content, hash };
    chained.push(sealed);
    if (id !== "c-5") await write(activityEventFile(id), sealed);
    prev = hash;
  }
  const last = chained[chained.length - 1]!;
  await write(ACTIVITY_HEAD_PATH, {
    format: HEAD_FORMAT,
    seq: last.seq,
    hash: last.hash,
    events: chained.slice(-2),
  });
  return chained;
}

describe("a log of an earlier version continues with no rewrite", () => {
  it("verifies, lists and goes on from the old head; the old files are left as they are", async () => {
    const memory = createMemoryStorage();
    await earlierVersionLog(memory);
    const before = new Map([...memory.files].map(([p, b]) => [p, Buffer.from(b).toString()]));
    expect(await createStorageActivityLog(memory).verify()).toMatchObject({
      ok: true,
      chained: 5,
      legacy: 2,
    });
    memory.writes.length = 0;
    const log = createStorageActivityLog(memory, { shardBytes: SMALL_SHARD });
    for (let i = 0; i < 12; i++) await log.append(event(`new-${i}`));
    // Only the head and new shards were written; every old file is as it was.
    expect(
      memory.writes.every((p) => p === ACTIVITY_HEAD_PATH || p.startsWith("activity/shards/")),
    ).toBe(true);
    for (const [path, text] of before) {
      if (path !== ACTIVITY_HEAD_PATH)
        expect(Buffer.from(memory.files.get(path)!).toString()).toBe(text);
    }
    expect(shardPaths(memory).length).toBeGreaterThan(0);
    // The unfiled event of the old head was carried into the first shard: nothing lost.
    expect(readShard(memory, shardPaths(memory)[0]!).events[0]?.id).toBe("saved-legacy");
    const reader = createStorageActivityLog(memory);
    const listed = await reader.list();
    expect(listed).toHaveLength(2 + 5 + 12);
    expect(listed.slice(0, 3).map((e) => e.seq)).toEqual([17, 16, 15]);
    expect(await reader.verify()).toMatchObject({ ok: true, chained: 17, legacy: 2 });
    expect(readHead(memory)).toMatchObject({ legacySeq: 5, genesis: null });
    // Counted without reading an event: every place of the chain, and the old files before it
    // (the old head's one unfiled event is the one it cannot see).
    expect(await activityLogSize(memory)).toMatchObject({ events: 2 + 17 - 1 });
  });

  it("finds an event of the old layout by its file: an idempotent append logs it once", async () => {
    const memory = createMemoryStorage();
    await earlierVersionLog(memory);
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage);
    expect(await log.appendIdempotent(event("c-2"))).toBe("already_logged");
    expect(calls).toEqual([`readJson ${ACTIVITY_HEAD_PATH}`, `stat ${activityEventFile("c-2")}`]);
    expect(await log.appendIdempotent(event("c-5"))).toBe("already_logged");
    expect(readHead(memory).seq).toBe(5);
  });

  it("still reports an edited or removed old event", async () => {
    const memory = createMemoryStorage();
    const chained = await earlierVersionLog(memory);
    await createStorageActivityLog(memory).append(event("new-1"));
    await memory.writeJson(activityEventFile("c-2"), { ...chained[1], outcome: "failure" });
    await memory.remove(activityEventFile("c-3"));
    const { problems } = await createStorageActivityLog(memory).verify();
    expect(problems).toEqual(
      expect.arrayContaining([
        { kind: "edited", eventId: "c-2", seq: 2 },
        { kind: "gap", eventId: "saved-legacy", seq: 3 },
      ]),
    );
  });
});

describe("reading the log", () => {
  it("lists newest first, reading each shard once", async () => {
    const memory = createMemoryStorage();
    const other = createStorageActivityLog(memory, { shardBytes: SMALL_SHARD });
    for (let i = 0; i < 10; i++) await other.append(event(`other-${i}`));
    const { storage, calls } = counting(memory);
    const log = createStorageActivityLog(storage, { shardBytes: SMALL_SHARD });
    expect((await log.list()).map((e) => e.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `other-${9 - i}`),
    );
    expect(calls.filter((c) => c === "read")).toHaveLength(shardPaths(memory).length);
    calls.length = 0;
    await log.list();
    expect(calls.filter((c) => c === "read")).toEqual([]);
  });

  it("sees an event rewritten in a shard after this pane had read it", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage, { shardBytes: SMALL_SHARD });
    for (let i = 0; i < 8; i++) await log.append(event(`e${i}`));
    expect((await log.verify()).ok).toBe(true);
    const [path] = shardPaths(storage);
    const shard = readShard(storage, path!);
    const edited = { ...shard.events[1]!, outcome: "failure" };
    await storage.writeJson(path!, {
      ...shard,
      events: [shard.events[0], edited, ...shard.events.slice(2)],
    });
    expect((await log.verify()).problems).toEqual(
      expect.arrayContaining([{ kind: "edited", eventId: "e1", seq: 2 }]),
    );
    expect((await log.list()).find((e) => e.id === "e1")?.outcome).toBe("failure");
  });

  it("reports a shard that is no longer JSON, and still lists the rest", async () => {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage, { shardBytes: SMALL_SHARD });
    for (let i = 0; i < 8; i++) await log.append(event(`e${i}`));
    const [path] = shardPaths(storage);
    const archived = readShard(storage, path!).events.length;
    await storage.write(path!, new TextEncoder().encode("{not json"));
    expect((await log.list()).map((e) => e.id)).toEqual(
      Array.from({ length: 8 - archived }, (_, i) => `e${7 - i}`),
    );
    const { problems } = await log.verify();
    expect(problems.map((p) => p.kind).sort()).toEqual(["edited", "gap"]);
    expect(problems[0]?.eventId).toBe(`shards/${path!.split("/").pop()!.replace(".json", "")}`);
  });
});

describe("the integrity check over shards", () => {
  async function sharded() {
    const storage = createMemoryStorage();
    const log = createStorageActivityLog(storage, { shardBytes: SMALL_SHARD });
    for (let i = 0; i < 24; i++) await log.append(event(`e${i}`));
    expect(shardPaths(storage).length).toBeGreaterThanOrEqual(3);
    expect((await log.verify()).ok).toBe(true);
    return storage;
  }

  it("detects a shard dropped from the middle", async () => {
    const storage = await sharded();
    const [, middle, after] = shardPaths(storage);
    const dropped = readShard(storage, middle!).events;
    await storage.remove(middle!);
    const firstAfter = readShard(storage, after!).events[0]!;
    expect((await createStorageActivityLog(storage).verify()).problems).toEqual([
      { kind: "gap", eventId: firstAfter.id, seq: dropped[dropped.length - 1]!.seq },
    ]);
  });

  it("detects a forged shard, however well sealed", async () => {
    const storage = await sharded();
    const head = readHead(storage);
    const content = {
      ...event("forged", { kind: "consent_granted" }),
      seq: head.seq + 1,
      prevHash: head.hash,
    };
    const forged = { ...content, hash: await hashEvent(content) };
    await storage.writeJson(
      `activity/shards/${String(head.seq + 1).padStart(10, "0")}-${forged.hash.slice(0, 16)}.json`,
      {
        format: "sept-activity-shard/1",
        events: [forged],
        prior: null,
        legacySeq: 0,
      },
    );
    expect((await createStorageActivityLog(storage).verify()).problems).toEqual([
      { kind: "outside_chain", eventId: "forged", seq: head.seq + 1 },
    ]);
  });

  it("detects the head's events cut off, and a removed head", async () => {
    const storage = await sharded();
    const head = readHead(storage);
    await storage.writeJson(ACTIVITY_HEAD_PATH, { ...head, events: [] });
    expect((await createStorageActivityLog(storage).verify()).problems).toEqual([
      { kind: "tail_cut", eventId: "head", seq: head.seq },
    ]);
    await storage.remove(ACTIVITY_HEAD_PATH);
    expect((await createStorageActivityLog(storage).verify()).problems).toContainEqual({
      kind: "head_missing",
      eventId: "head",
    });
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

describe("what delete-all and the tenant job ask of the log", () => {
  it("counts events from the head and listings, and names the chain's first event", async () => {
    const memory = createMemoryStorage();
    const log = createStorageActivityLog(memory, { shardBytes: SMALL_SHARD });
    await log.append(event("all-data-deleted-privacy-office-r1", { kind: "all_data_deleted" }));
    for (let i = 0; i < 9; i++) await log.append(event(`e${i}`));
    expect(await activityLogSize(memory)).toEqual({
      events: 10,
      files: 1 + shardPaths(memory).length,
    });
    expect(await chainBeginsWith(memory, "all-data-deleted-privacy-office-r1")).toBe(true);
    expect(await chainBeginsWith(memory, "e0")).toBe(false);
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
