// Review, correct, download and delete stored emails against the Graph fake, including while the
// fake throttles, and "delete all my data" leaving only the record that it happened.
import { describe, expect, it } from "vitest";
import { retentionDays } from "../../../src/core/retention.js";
import { savedIdFor } from "../../../src/core/stored-email.js";
import { deleteAll, deleteStored } from "../../../src/services/rights/remove.js";
import { createProjectCatalogue } from "../../../src/services/storage/project-catalogue.js";
import { correct, downloadEml, listStored } from "../../../src/services/rights/stored-emails.js";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import { createEmailIndex } from "../../../src/services/storage/email-index.js";
import { contentPath, EMAIL_INDEX_PATH, recordPath } from "../../../src/services/storage/layout.js";
import {
  seedStoredEmails,
  seededEml,
  seededId,
  seededRecord,
  useRightsHarness,
} from "./rights-harness.js";

const h = useRightsHarness();
const DAY = 86_400_000;

/** Every stored byte, as text: what an auditor would search for traces of a deleted email. */
async function everythingStored(): Promise<string> {
  const storage = h.pane().storage;
  const texts = await Promise.all(
    (await h.allFiles()).map(async (path) => new TextDecoder().decode(await storage.read(path))),
  );
  return texts.join("\n");
}

function tracesOf(n: number): string[] {
  // Terminated, so that email 4 is not found inside email 40.
  return [
    `"Seeded email ${n}"`,
    `Subject: Seeded email ${n}\r`,
    `<seed-${n}@`,
    `Body of seeded email ${n}.`,
  ];
}

/** A record as stored now, read by a pane that holds nothing. */
async function recordOf(storage: StoragePort, savedId: string) {
  return (await createEmailIndex(storage).records()).find((r) => r.savedId === savedId);
}

describe("listStored", () => {
  it("lists 1,000 stored emails with one download per record shard, with their deletion date", async () => {
    const p = h.pane();
    const savedAt = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
    await seedStoredEmails(
      h.seeder(),
      Array.from({ length: 1000 }, (_, n) => seededRecord(n, savedAt(n))),
    );
    await p.settings.setRetention(retentionDays(180));
    h.fake().fake.clearRequests();

    const list = await listStored({
      index: p.index,
      retention: async () => (await p.settings.current()).effective,
    });

    // A listing of records/ (files the catalogue does not name), the catalogue (item, download),
    // the shards' metadata 20 to a $batch and each shard's download, a look for an index of
    // earlier versions, the settings: never a request per email, nor two per shard.
    const shards = (await p.storage.list("records")).length - 1;
    expect(shards).toBeLessThan(40);
    expect(h.outerRequests()).toHaveLength(1 + 2 + Math.ceil(shards / 20) + shards + 1 + 1);
    expect(list).toHaveLength(1000);
    expect(list[0]?.savedId).toBe(seededId(999));
    expect(list[0]).toMatchObject({
      subject: "Seeded email 999",
      contentStored: true,
      expiresAt: new Date(Date.parse(savedAt(999)) + 180 * DAY).toISOString(),
    });
  });

  it("shows no deletion date for emails kept until deleted", async () => {
    const p = h.pane();
    await seedStoredEmails(h.seeder(), [seededRecord(1, "2026-01-01T00:00:00.000Z")]);
    await p.settings.setRetention({ kind: "forever" });
    const [entry] = await listStored({
      index: p.index,
      retention: async () => (await p.settings.current()).effective,
    });
    expect(entry?.expiresAt).toBeNull();
  });
});

describe("correct", () => {
  it("changes the note in place: record and index, and logs which field", async () => {
    const p = h.pane();
    await seedStoredEmails(h.seeder(), [seededRecord(1, "2026-02-01T00:00:00.000Z")]);

    const updated = await correct(p.deps, seededId(1), { note: "Ask Dana about the RFI" });

    expect(updated).toMatchObject({ savedId: seededId(1), note: "Ask Dana about the RFI" });
    const value = await recordOf(p.storage, seededId(1));
    expect(value).toMatchObject({ note: "Ask Dana about the RFI", consentGrantId: "grant-1" });
    const [entry] = await h.pane().index.entries();
    expect(entry).toMatchObject({ savedId: seededId(1), note: "Ask Dana about the RFI" });
    const [event] = await h.pane().activity.list();
    expect(event).toMatchObject({
      kind: "email_corrected",
      refs: { savedId: seededId(1) },
      projectId: "tower-b",
      details: { fields: ["note"] },
    });
    expect(JSON.stringify(event)).not.toContain("Ask Dana");
  });

  it("moves an email to another project under the saved id a save there would use", async () => {
    const p = h.pane();
    await seedStoredEmails(h.seeder(), [seededRecord(1, "2026-02-01T00:00:00.000Z")]);

    const moved = await correct(p.deps, seededId(1), { projectId: "riverside", note: "moved" });

    // The message's identity: Message-ID, sender and subject (see savedIdFor).
    const expectedId = await savedIdFor(
      seededRecord(1, "2026-02-01T00:00:00.000Z").message,
      "riverside",
    );
    expect(moved).toMatchObject({ savedId: expectedId, projectId: "riverside", note: "moved" });
    expect(moved.content).toMatchObject({ stored: true, path: contentPath(expectedId) });
    const files = await h.allFiles();
    expect(files).toEqual(expect.arrayContaining([contentPath(expectedId)]));
    expect(await recordOf(p.storage, expectedId)).toMatchObject({ projectId: "riverside" });
    expect(await recordOf(p.storage, seededId(1))).toBeUndefined();
    expect(files).not.toContain(contentPath(seededId(1)));
    expect(await downloadEml(p.deps, expectedId)).toEqual(seededEml(1));
    expect((await h.pane().index.entries()).map((e) => [e.savedId, e.projectId])).toEqual([
      [expectedId, "riverside"],
    ]);
    const [event] = await h.pane().activity.list();
    expect(event).toMatchObject({
      kind: "email_corrected",
      refs: { savedId: expectedId, previousSavedId: seededId(1) },
      projectId: "riverside",
      details: { fields: ["projectId", "note"], previousProjectId: "tower-b" },
    });
  });

  it("refuses to move an email into a project that already holds it", async () => {
    const p = h.pane();
    const there = await savedIdFor(
      seededRecord(1, "2026-02-01T00:00:00.000Z").message,
      "riverside",
    );
    await seedStoredEmails(h.seeder(), [seededRecord(1, "2026-02-01T00:00:00.000Z")]);
    await createEmailIndex(p.storage).commit({
      ...seededRecord(1, "2026-02-01T00:00:00.000Z"),
      savedAt: "2026-02-02T00:00:00.000Z",
      savedId: there,
      projectId: "riverside",
    });
    const error = await correct(p.deps, seededId(1), { projectId: "riverside" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "conflict", params: { reason: "already_in_project" } });
    expect(await recordOf(p.storage, seededId(1))).toBeDefined();
    expect(await h.pane().activity.list()).toEqual([]);
  });

  it("removes a note with an empty one, and logs nothing when nothing changes", async () => {
    const p = h.pane();
    await seedStoredEmails(h.seeder(), [seededRecord(1, "2026-02-01T00:00:00.000Z")]);
    await correct(p.deps, seededId(1), { note: "temporary" });
    await correct(p.deps, seededId(1), { note: "  " });
    await correct(p.deps, seededId(1), { projectId: "tower-b", note: "" });
    const value = await recordOf(p.storage, seededId(1));
    expect(value).not.toHaveProperty("note");
    expect(await h.pane().activity.list()).toHaveLength(2);
    expect((await h.pane().index.entries())[0]).not.toHaveProperty("note");
  });

  it("re-reads and retries when another pane changed the record meanwhile", async () => {
    const p = h.pane();
    await seedStoredEmails(h.seeder(), [seededRecord(1, "2026-02-01T00:00:00.000Z")]);
    await Promise.all([
      correct(p.deps, seededId(1), { note: "from pane one" }),
      correct(h.pane().deps, seededId(1), { note: "from pane two" }),
    ]);
    const value = await recordOf(p.storage, seededId(1));
    expect(["from pane one", "from pane two"]).toContain(value?.note);
    expect(await h.pane().activity.list()).toHaveLength(2);
  });

  it("refuses an unknown email", async () => {
    const error = await correct(h.pane().deps, seededId(404), { note: "x" }).catch(
      (e: unknown) => e,
    );
    expect((error as { code: string }).code).toBe("not_found");
  });
});

describe("downloadEml", () => {
  it("returns the stored .eml byte for byte, and not_found for a details-only save", async () => {
    const p = h.pane();
    await seedStoredEmails(h.seeder(), [
      seededRecord(1, "2026-02-01T00:00:00.000Z"),
      seededRecord(2, "2026-02-01T00:00:00.000Z", { content: false }),
    ]);
    expect(await downloadEml(p.deps, seededId(1))).toEqual(seededEml(1));
    const error = await downloadEml(p.deps, seededId(2)).catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe("not_found");
  });
});

describe("deleteStored", () => {
  it("deletes one email for good: content, record, index entry; one event, metadata only", async () => {
    const p = h.pane();
    await seedStoredEmails(
      h.seeder(),
      [1, 2].map((n) => seededRecord(n, "2026-02-01T00:00:00Z")),
    );

    const result = await deleteStored(p.deps, [seededId(1)]);

    expect(result.removed).toEqual([seededId(1)]);
    expect(await h.allFiles()).not.toEqual(expect.arrayContaining([recordPath(seededId(1))]));
    expect(await h.allFiles()).not.toContain(contentPath(seededId(1)));
    expect((await h.pane().index.entries()).map((e) => e.savedId)).toEqual([seededId(2)]);
    const events = await h.pane().activity.list();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: "email_deleted",
      refs: { savedId: seededId(1) },
      details: { reason: "user_request" },
    });
    const stored = await everythingStored();
    for (const trace of tracesOf(1)) expect(stored).not.toContain(trace);
    for (const trace of tracesOf(2)) expect(stored).toContain(trace);
  });

  it("deletes several while the fake throttles deletes, leaving nothing of them", async () => {
    const p = h.pane();
    await seedStoredEmails(
      h.seeder(),
      Array.from({ length: 45 }, (_, n) => seededRecord(n, "2026-02-01T00:00:00Z")),
    );
    await p.index.entries();
    h.fake().fake.setFaults({
      match: "^(DELETE|POST) ",
      rate429: 0.3,
      rate503: 0.1,
      retryAfterSeconds: 0,
      seed: 7,
    });
    const doomed = Array.from({ length: 40 }, (_, n) => seededId(n));

    const result = await deleteStored(p.deps, doomed);

    expect(result.failed).toEqual([]);
    expect(result.removed.sort()).toEqual(doomed);
    const throttled = h
      .fake()
      .fake.requests()
      .filter((r) => r.status === 429 || r.status === 503);
    expect(throttled.length).toBeGreaterThan(0);
    h.fake().fake.setFaults({});
    const files = await h.allFiles();
    for (const savedId of doomed) {
      expect(files).not.toContain(recordPath(savedId));
      expect(files).not.toContain(contentPath(savedId));
    }
    expect((await h.pane().index.entries()).map((e) => e.savedId).sort()).toEqual(
      [40, 41, 42, 43, 44].map(seededId),
    );
    const deleted = (await h.pane().activity.list()).filter((e) => e.kind === "email_deleted");
    expect(deleted).toHaveLength(40);
    const stored = await everythingStored();
    for (let n = 0; n < 40; n++)
      for (const trace of tracesOf(n)) expect(stored).not.toContain(trace);
  });

  it("deletes an email the index lost, from storage itself", async () => {
    const p = h.pane();
    await seedStoredEmails(h.seeder(), [seededRecord(1, "2026-02-01T00:00:00Z")]);
    await p.storage.writeJson(EMAIL_INDEX_PATH, { schema: 1, entries: [] });
    const result = await deleteStored(p.deps, [seededId(1)]);
    expect(result.removed).toEqual([seededId(1)]);
    expect((await h.allFiles()).filter((f) => f.startsWith("emails/"))).toEqual([]);
  });

  it("deletes every stored email on withdrawal, those the index lost too", async () => {
    const p = h.pane();
    await seedStoredEmails(
      h.seeder(),
      [1, 2, 3].map((n) => seededRecord(n, "2026-02-01T00:00:00Z")),
    );
    await p.storage.writeJson(EMAIL_INDEX_PATH, {
      schema: 1,
      entries: (await p.index.entries()).slice(0, 1),
    });
    const { emails: count } = await deleteAll(
      { storage: p.storage, activity: p.activity },
      "stored_emails",
    );
    expect(count).toBe(3);
    expect((await h.allFiles()).filter((f) => f.startsWith("emails/"))).toEqual([]);
    expect((await h.pane().index.entries({ fresh: true })).length).toBe(0);
    const deleted = (await h.pane().activity.list()).filter((e) => e.kind === "email_deleted");
    expect(deleted.map((e) => e.details?.reason)).toEqual(Array(3).fill("consent_withdrawn"));
  });
});

describe('deleteAll "my_data"', () => {
  it("leaves exactly one file: the record that the deletion happened", async () => {
    const p = h.pane();
    await p.consent.grant(["email_metadata", "email_content"]);
    const message = h.fake().fake.mailbox()[0];
    if (!message) throw new Error("empty sample mailbox");
    await p.save({ restId: message.restId, projectId: "tower-b", includeContent: true });
    await seedStoredEmails(
      h.seeder(),
      [1, 2].map((n) => seededRecord(n, "2026-02-01T00:00:00Z")),
    );
    await p.settings.setRetention(retentionDays(90));
    await createProjectCatalogue(p.storage, { activity: p.activity }).create("Tower B");
    await p.storage.writeJson("pending/0123456789abcdef0123456789abcdef.json", { schema: 1 });
    await p.activity.list();
    const before = await h.allFiles();
    expect(before.length).toBeGreaterThan(8);

    await p.index.entries();
    const result = await deleteAll(
      { storage: p.storage, activity: p.activity, index: p.index, settings: p.settings },
      "my_data",
    );

    // The log's head, which holds the record and nothing else.
    const only = ["activity/head.json"];
    const after = await h.allFiles();
    expect([...after].sort()).toEqual(only);
    const { value: head } = await p.storage.readJson<{ events: Array<{ id: string }> }>(
      "activity/head.json",
    );
    expect(head.events.map((e) => e.id)).toEqual([result.record.id]);
    expect(result).toMatchObject({ emails: 3, consentRecords: 1 });
    expect(result.activityEvents).toBeGreaterThanOrEqual(3);
    expect(p.index.cached()).toEqual([]);
    expect((await p.settings.current()).stored).toBe(false);
    expect([...(await h.allFiles())].sort()).toEqual(only);
    const [record] = await h.pane().activity.list();
    expect(record).toMatchObject({ kind: "all_data_deleted", prevHash: null });
    const stored = await everythingStored();
    expect(stored).not.toContain(message.subject);
    expect(stored).not.toContain("Seeded email");
    // The pane's own log chains its next event onto the record, not onto a deleted event.
    await p.activity.append({
      id: "after-delete",
      at: new Date().toISOString(),
      kind: "settings_changed",
      outcome: "success",
      refs: {},
    });
    expect(await h.pane().activity.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it("deletes everything with the fake throttling, and nothing is left but the record", async () => {
    const p = h.pane();
    await seedStoredEmails(
      h.seeder(),
      [1, 2, 3].map((n) => seededRecord(n, "2026-02-01T00:00:00Z")),
    );
    await p.settings.setRetention(retentionDays(90));
    h.fake().fake.setFaults({
      queue: [
        { status: 429, match: "^DELETE .*approot:/emails$", retryAfterSeconds: 0, times: 2 },
        { status: 503, match: "^DELETE .*approot:/settings\\.json$" },
      ],
    });
    const result = await deleteAll({ storage: p.storage }, "my_data");
    expect([...(await h.allFiles())].sort()).toEqual(["activity/head.json"]);
    const { value: head } = await p.storage.readJson<{ events: Array<{ id: string }> }>(
      "activity/head.json",
    );
    expect(head.events.map((e) => e.id)).toEqual([result.record.id]);
  });
});
