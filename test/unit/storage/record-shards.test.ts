// The shape of the record shards without any request: which month a record belongs to, and how a
// month is split by hash bits so that every shard stays under the size cap.
import { describe, expect, it } from "vitest";
import type { StoredEmailRecord } from "../../../src/core/stored-email.js";
import {
  hashBits,
  monthOf,
  partition,
  SHARD_CAP_BYTES,
  shardBytes,
  UNDATED,
} from "../../../src/services/storage/record-shards.js";
import { seededRecord } from "../../support/rights-stack.js";

const records = (count: number, note = ""): StoredEmailRecord[] =>
  Array.from({ length: count }, (_, n) => ({
    ...seededRecord(n, new Date(Date.UTC(2026, 10, 1 + (n % 28), 9)).toISOString(), {
      content: n % 2 === 0,
    }),
    // Some non-ASCII text, so bytes and characters differ.
    ...(n % 3 === 0 ? { note: `${note}réunion ${n} · 会議` } : {}),
  }));

describe("partition", () => {
  it.each([
    ["one record", 1],
    ["a month that fits", 20],
    ["a month over the cap", 400],
    ["a large month", 3000],
  ])("keeps every shard of %s under the cap, each id under its own prefix", (_label, count) => {
    const all = records(count);
    const leaves = partition("2026-11", "", all);
    const placed: string[] = [];
    for (const [prefix, part] of leaves) {
      const shard = { schema: 1 as const, month: "2026-11", bits: prefix, records: part };
      // The size partition adds up is the size of the JSON as written.
      if (part.length > 1) expect(shardBytes(shard)).toBeLessThanOrEqual(SHARD_CAP_BYTES);
      for (const r of part) expect(hashBits(r.savedId).startsWith(prefix)).toBe(true);
      placed.push(...part.map((r) => r.savedId));
    }
    expect(placed.sort()).toEqual(all.map((r) => r.savedId).sort());
    // The leaves cover every prefix: no two overlap, and their shares of the hash space sum to 1.
    const share = [...leaves.keys()].reduce((sum, prefix) => sum + 2 ** -prefix.length, 0);
    expect(share).toBe(1);
  });

  it("splits no further than needed: the two halves of every split did not fit together", () => {
    const leaves = partition("2026-11", "", records(400));
    for (const prefix of leaves.keys()) {
      if (prefix === "") continue;
      const parent = prefix.slice(0, -1);
      const together = [...leaves]
        .filter(([p]) => p.startsWith(parent))
        .flatMap(([, part]) => part);
      const shard = { schema: 1 as const, month: "2026-11", bits: parent, records: together };
      expect(shardBytes(shard)).toBeGreaterThan(SHARD_CAP_BYTES);
    }
  });
});

describe("monthOf", () => {
  it("names the UTC month of the message date, and 'undated' without one", () => {
    expect(monthOf("2026-11-30T23:30:00-02:00")).toBe("2026-12");
    expect(monthOf(null)).toBe(UNDATED);
    expect(monthOf("not a date")).toBe(UNDATED);
  });
});
