import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import {
  canonicalJson,
  hashEvent,
  recordHash,
  verifyChain,
  verifyLog,
} from "../../../src/core/activity/chain.js";

function event(id: string, at: string, extra: Partial<ActivityEvent> = {}): ActivityEvent {
  return {
    id,
    at,
    kind: "email_saved",
    outcome: "success",
    refs: { savedId: `s-${id}` },
    ...extra,
  };
}

/** Seals events in order, each pointing at the hash of the event named by `parent` (or null). */
async function seal(
  specs: Array<{ event: ActivityEvent; parent: string | null }>,
): Promise<ActivityEvent[]> {
  const sealed = new Map<string, ActivityEvent>();
  for (const { event: e, parent } of specs) {
    const prevHash = parent === null ? null : (sealed.get(parent)?.hash ?? null);
    const chained = { ...e, prevHash };
    sealed.set(e.id, { ...chained, hash: await hashEvent(chained) });
  }
  return [...sealed.values()];
}

describe("canonical JSON", () => {
  it("sorts keys at every level, so field order never changes the hash", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[2,{"y":0,"z":1}]},"b":1}',
    );
  });

  it("drops undefined fields like JSON does", () => {
    expect(canonicalJson({ a: undefined, b: null, c: [undefined] })).toBe('{"b":null,"c":[null]}');
  });
});

describe("hashEvent", () => {
  it("is SHA-256 hex of the canonical content without the hash field", async () => {
    const e = event("e1", "2026-01-01T10:00:00.000Z", { prevHash: null });
    const hash = await hashEvent(e);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashEvent({ ...e, hash: "anything" })).toBe(hash);
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as unknown as ActivityEvent;
    expect(Object.keys(reordered)[0]).toBe("prevHash");
    expect(await hashEvent(reordered)).toBe(hash);
  });

  it("changes when any field changes, prevHash included", async () => {
    const e = event("e1", "2026-01-01T10:00:00.000Z", { prevHash: null });
    const hash = await hashEvent(e);
    expect(await hashEvent({ ...e, outcome: "failure" })).not.toBe(hash);
    expect(await hashEvent({ ...e, refs: { savedId: "other" } })).not.toBe(hash);
    expect(await hashEvent({ ...e, prevHash: "0".repeat(64) })).not.toBe(hash);
  });
});

describe("verifyChain", () => {
  it("accepts a straight chain", async () => {
    const events = await seal([
      { event: event("a", "2026-01-01T10:00:00.000Z"), parent: null },
      { event: event("b", "2026-01-01T10:01:00.000Z"), parent: "a" },
      { event: event("c", "2026-01-01T10:02:00.000Z"), parent: "b" },
    ]);
    expect(await verifyChain(events)).toEqual({ ok: true, problems: [] });
  });

  it("accepts a fork: two panes appending after the same event", async () => {
    const events = await seal([
      { event: event("a", "2026-01-01T10:00:00.000Z"), parent: null },
      { event: event("b1", "2026-01-01T10:01:00.000Z"), parent: "a" },
      { event: event("b2", "2026-01-01T10:01:00.000Z"), parent: "a" },
      { event: event("c", "2026-01-01T10:02:00.000Z"), parent: "b2" },
    ]);
    expect(events[1]?.prevHash).toBe(events[2]?.prevHash);
    expect(await verifyChain(events)).toEqual({ ok: true, problems: [] });
  });

  it("accepts several roots (panes that appended before they had listed the log)", async () => {
    const events = await seal([
      { event: event("a", "2026-01-01T10:00:00.000Z"), parent: null },
      { event: event("b", "2026-01-01T10:00:00.000Z"), parent: null },
    ]);
    expect((await verifyChain(events)).ok).toBe(true);
  });

  it("does not depend on the order the events are given in", async () => {
    const events = await seal([
      { event: event("a", "2026-01-01T10:00:00.000Z"), parent: null },
      { event: event("b", "2026-01-01T10:01:00.000Z"), parent: "a" },
    ]);
    expect((await verifyChain([...events].reverse())).ok).toBe(true);
  });

  it("reports an event whose content was changed after it was sealed as edited", async () => {
    const events = await seal([
      { event: event("a", "2026-01-01T10:00:00.000Z"), parent: null },
      { event: event("b", "2026-01-01T10:01:00.000Z"), parent: "a" },
    ]);
    const [a, b] = events as [ActivityEvent, ActivityEvent];
    const edited = { ...a, outcome: "failure" as const };
    expect(await verifyChain([edited, b])).toEqual({
      ok: false,
      problems: [{ kind: "edited", eventId: "a" }],
    });
  });

  it("reports a field added to a sealed event as edited", async () => {
    const [a] = await seal([{ event: event("a", "2026-01-01T10:00:00.000Z"), parent: null }]);
    const tampered = { ...(a as ActivityEvent), note: "added later" };
    expect((await verifyChain([tampered])).problems).toEqual([{ kind: "edited", eventId: "a" }]);
  });

  it("reports a resealed edit through the broken link of the next event", async () => {
    // Whoever edits and recomputes the hash still breaks the successor's prevHash.
    const events = await seal([
      { event: event("a", "2026-01-01T10:00:00.000Z"), parent: null },
      { event: event("b", "2026-01-01T10:01:00.000Z"), parent: "a" },
    ]);
    const [a, b] = events as [ActivityEvent, ActivityEvent];
    const { hash: _old, ...content } = { ...a, outcome: "failure" as const };
    const resealed = { ...content, hash: await hashEvent(content) };
    expect((await verifyChain([resealed, b])).problems).toEqual([
      { kind: "missing", eventId: "b" },
    ]);
  });

  it("reports a deleted event as missing, naming the event that pointed at it", async () => {
    const events = await seal([
      { event: event("a", "2026-01-01T10:00:00.000Z"), parent: null },
      { event: event("b", "2026-01-01T10:01:00.000Z"), parent: "a" },
      { event: event("c", "2026-01-01T10:02:00.000Z"), parent: "b" },
    ]);
    const withoutB = events.filter((e) => e.id !== "b");
    expect(await verifyChain(withoutB)).toEqual({
      ok: false,
      problems: [{ kind: "missing", eventId: "c" }],
    });
  });

  it("cannot see the removal of the newest event, since nothing points at it yet", async () => {
    // A known limit of any hash chain kept where it can be deleted: the tail is unprotected.
    const events = await seal([
      { event: event("a", "2026-01-01T10:00:00.000Z"), parent: null },
      { event: event("b", "2026-01-01T10:01:00.000Z"), parent: "a" },
    ]);
    expect((await verifyChain(events.slice(0, 1))).ok).toBe(true);
  });

  it("reports events without a hash as unchained", async () => {
    const events = await seal([{ event: event("a", "2026-01-01T10:00:00.000Z"), parent: null }]);
    const legacy = event("old", "2025-12-31T10:00:00.000Z");
    expect(await verifyChain([legacy, ...events])).toEqual({
      ok: false,
      problems: [{ kind: "unchained", eventId: "old" }],
    });
  });
});

/** Seals a straight chain of `n` events (seq 1..n) and the head on its last one. */
async function chainOf(n: number, prefix = "e") {
  const events: ActivityEvent[] = [];
  let prevHash: string | null = null;
  for (let i = 1; i <= n; i++) {
    const at = new Date(Date.UTC(2026, 1, 1, 10, 0, i)).toISOString();
    const chained: ActivityEvent = { ...event(`${prefix}${i}`, at), seq: i, prevHash };
    const sealed = { ...chained, hash: await hashEvent(chained) };
    events.push(sealed);
    prevHash = sealed.hash;
  }
  const last = events[events.length - 1]!;
  return { events, head: { seq: last.seq!, hash: last.hash! } };
}

describe("verifyLog: one chain from the head", () => {
  it("accepts an intact chain", async () => {
    const { events, head } = await chainOf(6);
    expect(await verifyLog({ head, events })).toMatchObject({
      ok: true,
      problems: [],
      chained: 6,
      headSeq: 6,
    });
  });

  it("detects a whole session's events dropped from the middle", async () => {
    const { events, head } = await chainOf(8);
    const withoutSession = events.filter((e) => !["e3", "e4", "e5"].includes(e.id));
    const verdict = await verifyLog({ head, events: withoutSession });
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([{ kind: "gap", eventId: "e6", seq: 5 }]);
  });

  it("detects the newest events cut off while the head still names them", async () => {
    const { events, head } = await chainOf(8);
    const verdict = await verifyLog({ head, events: events.slice(0, 6) });
    expect(verdict.problems).toEqual([{ kind: "tail_cut", eventId: "head", seq: 8 }]);
  });

  it("detects a forged stand-alone event, sealed correctly but on no link", async () => {
    const { events, head } = await chainOf(4);
    const forged: ActivityEvent = {
      ...event("forged", "2026-02-01T10:00:02.500Z"),
      seq: 3,
      prevHash: events[1]!.hash!,
    };
    const sealed = { ...forged, hash: await hashEvent(forged) };
    const verdict = await verifyLog({ head, events: [...events, sealed] });
    expect(verdict.problems).toEqual([{ kind: "outside_chain", eventId: "forged", seq: 3 }]);
  });

  it("detects an event forged onto the end without moving the head", async () => {
    const { events, head } = await chainOf(3);
    const forged: ActivityEvent = {
      ...event("late", "2026-02-01T11:00:00.000Z"),
      seq: 4,
      prevHash: head.hash,
    };
    const verdict = await verifyLog({
      head,
      events: [...events, { ...forged, hash: await hashEvent(forged) }],
    });
    expect(verdict.problems).toEqual([{ kind: "outside_chain", eventId: "late", seq: 4 }]);
  });

  it("detects an edited event, and one edited and resealed through the broken link", async () => {
    const { events, head } = await chainOf(3);
    const edited = events.map((e) => (e.id === "e2" ? { ...e, outcome: "failure" as const } : e));
    expect((await verifyLog({ head, events: edited })).problems).toContainEqual({
      kind: "edited",
      eventId: "e2",
      seq: 2,
    });
    const { hash: _h, ...content } = { ...events[1]!, outcome: "failure" as const };
    const resealed = events.map((e) => (e.id === "e2" ? { ...content, hash: "" } : e));
    resealed[1]!.hash = await hashEvent(content);
    const verdict = await verifyLog({ head, events: resealed });
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.map((p) => p.kind)).toContain("outside_chain");
  });

  it("detects a removed head, and an unreadable one", async () => {
    const { events } = await chainOf(2);
    expect((await verifyLog({ head: null, events })).problems[0]).toEqual({
      kind: "head_missing",
      eventId: "head",
    });
    expect((await verifyLog({ head: "unreadable", events })).problems[0]?.kind).toBe(
      "head_unreadable",
    );
  });

  it("cannot see a rewrite of the whole log with a head to match", async () => {
    // The documented limit: whoever can write all of the user's storage can reseal it all.
    const { events, head } = await chainOf(5);
    const rewritten = await chainOf(3);
    expect((await verifyLog({ head: rewritten.head, events: rewritten.events })).ok).toBe(true);
    expect(events).toHaveLength(5);
    expect(head.seq).toBe(5);
  });
});

describe("verifyLog: logs of older versions", () => {
  it("checks per-session chains from before the one chain began, and counts them as legacy", async () => {
    const sessions = await seal([
      { event: event("old-a1", "2025-06-01T10:00:00.000Z"), parent: null },
      { event: event("old-a2", "2025-06-01T10:01:00.000Z"), parent: "old-a1" },
      { event: event("old-b1", "2025-06-02T10:00:00.000Z"), parent: null },
    ]);
    const { events, head } = await chainOf(2);
    expect(await verifyLog({ head, events: [...sessions, ...events] })).toMatchObject({
      ok: true,
      chained: 2,
      legacy: 3,
    });
    const broken = sessions.filter((e) => e.id !== "old-a1");
    expect((await verifyLog({ head, events: [...broken, ...events] })).problems).toEqual([
      { kind: "missing", eventId: "old-a2" },
    ]);
  });

  it("reports an old-style event dated after the chain began", async () => {
    const { events, head } = await chainOf(2);
    const [late] = await seal([{ event: event("late", "2026-03-01T00:00:00.000Z"), parent: null }]);
    expect((await verifyLog({ head, events: [...events, late!] })).problems).toEqual([
      { kind: "outside_chain", eventId: "late" },
    ]);
  });
});

describe("verifyLog: consent records", () => {
  async function withConsent() {
    const record = { kind: "grant", id: "g1", purposes: ["email_metadata"] };
    const granted: ActivityEvent = {
      ...event("c1", "2026-02-01T10:00:01.000Z"),
      kind: "consent_granted",
      refs: { consentRecordId: "g1", consentRecordHash: await recordHash(record) },
      seq: 1,
      prevHash: null,
    };
    const sealed = { ...granted, hash: await hashEvent(granted) };
    return { record, events: [sealed], head: { seq: 1, hash: sealed.hash } };
  }
  const stored = async (value: unknown, id = "g1") => ({
    id,
    hash: await recordHash(value),
    storedAt: "2026-02-01T10:00:00.500Z",
  });

  it("accepts a record whose consent event carries its hash", async () => {
    const { record, events, head } = await withConsent();
    expect(await verifyLog({ head, events, consentRecords: [await stored(record)] })).toMatchObject(
      { ok: true, consentCovered: 1 },
    );
  });

  it("detects an edited, a removed and an added consent record", async () => {
    const { record, events, head } = await withConsent();
    const edited = await stored({ ...record, purposes: ["email_metadata", "email_content"] });
    expect((await verifyLog({ head, events, consentRecords: [edited] })).problems).toEqual([
      { kind: "consent_edited", eventId: "g1" },
    ]);
    expect((await verifyLog({ head, events, consentRecords: [] })).problems).toEqual([
      { kind: "consent_missing", eventId: "g1" },
    ]);
    const added = {
      ...(await stored({ kind: "withdrawal", id: "w9" }, "w9")),
      storedAt: "2026-02-02T00:00:00.000Z",
    };
    expect(
      (await verifyLog({ head, events, consentRecords: [await stored(record), added] })).problems,
    ).toEqual([{ kind: "consent_unlogged", eventId: "w9" }]);
  });

  it("counts records from before the chain began as legacy, not as faults", async () => {
    const { record, events, head } = await withConsent();
    const old = {
      ...(await stored({ kind: "grant", id: "g0" }, "g0")),
      storedAt: "2025-01-01T00:00:00.000Z",
    };
    expect(
      await verifyLog({ head, events, consentRecords: [old, await stored(record)] }),
    ).toMatchObject({ ok: true, consentLegacy: 1, consentCovered: 1 });
  });
});
