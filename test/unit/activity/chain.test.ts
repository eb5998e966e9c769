import { describe, expect, it } from "vitest";
import type { ActivityEvent } from "../../../src/core/activity/activity.js";
import { canonicalJson, hashEvent, verifyChain } from "../../../src/core/activity/chain.js";

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
