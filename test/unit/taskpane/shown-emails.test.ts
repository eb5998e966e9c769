import { describe, expect, it } from "vitest";
import type { StoredEmail } from "../../../src/services/rights/stored-emails.js";
import {
  ALL,
  filtered,
  narrows,
  sortedAfterAppend,
  sortedBy,
} from "../../../src/taskpane/features/stored/shown-emails.js";

function email(n: number, fields: Partial<StoredEmail> = {}): StoredEmail {
  return {
    savedId: `id-${n}`,
    projectId: "tower-b",
    savedAt: `2026-10-${String(30 - n).padStart(2, "0")}T09:00:00Z`,
    subject: `Email ${n}`,
    from: { name: "Dana Site", address: "dana@contoso-build.example" },
    receivedDateTime: `2026-09-${String(10 + n).padStart(2, "0")}T09:00:00Z`,
    internetMessageId: null,
    conversationId: null,
    to: [],
    contentStored: false,
    sizeBytes: 0,
    expiresAt: null,
    ...fields,
  };
}

describe("what the Stored view shows", () => {
  it("keeps the loaded array when it is already newest save first", () => {
    const loaded = [email(0), email(1), email(2)];
    expect(sortedBy(loaded, "savedAt")).toBe(loaded);
  });

  it("sorts by date received, newest first, when asked", () => {
    const loaded = [email(0), email(1), email(2)];
    expect(sortedBy(loaded, "receivedAt").map((e) => e.savedId)).toEqual(["id-2", "id-1", "id-0"]);
  });

  it("sorts subjects without regard to case or accents, ties in loaded order", () => {
    const loaded = [
      email(0, { subject: "zone C" }),
      email(1, { subject: "École" }),
      email(2, { subject: "ecole" }),
      email(3, { subject: "Acier" }),
    ];
    expect(sortedBy(loaded, "subject").map((e) => e.subject)).toEqual([
      "Acier",
      "École",
      "ecole",
      "zone C",
    ]);
  });

  it("puts emails that are never deleted last when sorting by deletion date", () => {
    const loaded = [
      email(0, { expiresAt: null }),
      email(1, { expiresAt: "2027-01-01T00:00:00Z" }),
      email(2, { expiresAt: "2026-12-01T00:00:00Z" }),
    ];
    expect(sortedBy(loaded, "expiresAt").map((e) => e.savedId)).toEqual(["id-2", "id-1", "id-0"]);
  });

  it("finds by subject, sender or project name, accents aside", () => {
    const loaded = [
      email(0, { subject: "Réunion de chantier" }),
      email(1, { from: { name: "Priya Shah", address: "priya@fabrikam.example" } }),
      email(2, { projectId: "riverside" }),
      email(3, { projectId: "gone-project" }),
    ];
    const projects = [
      { id: "tower-b", name: "Tower B" },
      { id: "riverside", name: "Riverside Clinic" },
    ];
    const find = (query: string) =>
      filtered(loaded, projects, { query, project: ALL }).map((e) => e.savedId);
    expect(find("reunion")).toEqual(["id-0"]);
    expect(find("FABRIKAM")).toEqual(["id-1"]);
    expect(find("clinic")).toEqual(["id-2"]);
    // A project the catalogue no longer has is found by its id.
    expect(find("gone")).toEqual(["id-3"]);
    expect(filtered(loaded, projects, { query: "", project: "riverside" })).toEqual([loaded[2]]);
  });

  it("merges a page appended to the loaded emails as a sort of the whole would order it", () => {
    // Pages by message month: each page newest save first, but saves interleave across pages.
    const day = (d: number) => `2026-10-${String(d).padStart(2, "0")}T09:00:00Z`;
    const page1 = [3, 9, 12, 20, 20].map((d, n) =>
      email(n, { savedAt: day(30 - d), subject: `S${(n * 7) % 5}` }),
    );
    const page2 = [1, 10, 20, 25].map((d, n) =>
      email(10 + n, { savedAt: day(30 - d), subject: `S${(n * 3) % 5}` }),
    );
    for (const key of ["savedAt", "receivedAt", "subject", "expiresAt"] as const) {
      const first = sortedBy(page1, key);
      const all = [...page1, ...page2];
      const merged = sortedAfterAppend(all, key, { entries: page1, sorted: first });
      expect(merged.map((e) => e.savedId)).toEqual(sortedBy(all, key).map((e) => e.savedId));
    }
  });

  it("sorts afresh when the loaded emails were replaced rather than extended", () => {
    const before = [email(0), email(1)];
    const now = [email(2), email(0), email(1)];
    const sorted = sortedAfterAppend(now, "savedAt", { entries: before, sorted: before });
    expect(sorted.map((e) => e.savedId)).toEqual(["id-0", "id-1", "id-2"]);
  });

  it("searches within the previous result only when the new query narrows it", () => {
    expect(narrows({ query: "tow", project: ALL }, { query: "Tower", project: ALL })).toBe(true);
    expect(narrows({ query: "", project: ALL }, { query: "é", project: ALL })).toBe(true);
    expect(narrows({ query: "tower", project: ALL }, { query: "tow", project: ALL })).toBe(false);
    expect(narrows({ query: "a", project: ALL }, { query: "ab", project: "tower-b" })).toBe(false);
  });
});
