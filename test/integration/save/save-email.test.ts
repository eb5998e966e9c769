// Saving one email against the Graph fake with the real adapters: content and metadata-only,
// the upload-session path (6.3 MB and 10 MB), idempotency, progress, and the Graph requests a
// small save costs.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LARGE_MESSAGE_ID } from "../../../dev/sample-mailbox/large-message.js";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { sha256Hex } from "../../../src/core/stored-email.js";
import { createEmailIndex } from "../../../src/services/storage/email-index.js";
import { savedEventId, type SaveProgressEvent } from "../../../src/services/save/save-email.js";
import { useTestFake } from "../../support/use-test-fake.js";
import { createPaneStack } from "../../support/pane-stack.js";
import {
  TEN_MB_SUBJECT,
  bySubject,
  expectConsistent,
  seedFolder,
  storedState,
  tenMegabyteMessage,
} from "./save-fixtures.js";

let seedDir: string;
let views: OfficeItemView[];
const t = useTestFake(() => {
  seedDir = seedFolder({ "90-drone-survey.eml": tenMegabyteMessage() });
  return { seedDir, seedLarge: true };
});

beforeAll(() => {
  views = t.fake.mailbox();
});
afterAll(() => {
  rmSync(seedDir, { recursive: true, force: true });
});

const pane = () => createPaneStack({ graphBaseUrl: t.fake.graphBaseUrl });

async function consentedPane(purposes: Array<"email_metadata" | "email_content">) {
  const p = pane();
  await p.consent.grant(purposes);
  return p;
}

const small = () => bySubject(views, "RFI-014");

/** The fake's log of Graph requests (outer HTTP requests; $batch inner ones are not extra). */
const graphRequests = () => t.fake.requests().filter((r) => !r.batch);

describe("saving an email", () => {
  it("stores a small message byte for byte, with its record, index entry and one event", async () => {
    const p = await consentedPane(["email_metadata", "email_content"]);
    const view = small();
    const result = await p.save({
      restId: view.restId,
      projectId: "tower-b",
      includeContent: true,
    });
    expect(result.status).toBe("saved");
    if (result.status !== "saved") return;
    const { savedId, record } = result;

    const eml = await p.storage.read(`emails/${savedId}.eml`);
    expect(eml.byteLength).toBe(view.size);
    expect(record.content).toEqual({
      stored: true,
      path: `emails/${savedId}.eml`,
      sizeBytes: view.size,
      sha256: await sha256Hex(eml),
    });
    // The record is in its month's shard, read back by a pane that holds nothing.
    const stored = await createEmailIndex(p.storage).find(view.receivedDateTime, [savedId]);
    expect(stored).toEqual([record]);
    expect(record.message).toMatchObject({
      immutableId: view.immutableId,
      internetMessageId: view.internetMessageId,
      conversationId: view.conversationId,
      subject: view.subject,
    });
    expect(record.purposes).toEqual(["email_metadata", "email_content"]);

    const [entry] = await pane().index.entries();
    expect(entry).toMatchObject({
      savedId,
      projectId: "tower-b",
      contentStored: true,
      sizeBytes: view.size,
      subject: view.subject,
    });
    const events = (await p.activity.list()).filter((e) => e.kind === "email_saved");
    expect(events).toEqual([
      expect.objectContaining({
        id: savedEventId(savedId, record.savedAt),
        at: record.savedAt,
        refs: { savedId, consentRecordId: record.consentGrantId },
        projectId: "tower-b",
        sizeBytes: view.size,
      }),
    ]);
    // Never content: the event holds ids, sizes and purposes only.
    expect(JSON.stringify(events[0])).not.toContain(view.subject);
    expectConsistent(await storedState(p));
  });

  it("saves metadata only: no .eml, no body in the record", async () => {
    const p = await consentedPane(["email_metadata"]);
    const view = small();
    t.fake.clearRequests();
    const result = await p.save({
      restId: view.restId,
      projectId: "tower-b",
      includeContent: false,
    });
    expect(result.status).toBe("saved");
    if (result.status !== "saved") return;
    expect(result.record.content).toEqual({ stored: false });
    expect(result.record.purposes).toEqual(["email_metadata"]);
    expect(JSON.stringify(result.record)).not.toContain(view.bodyPreview.slice(0, 40));
    expect(t.fake.requests().some((r) => r.path.endsWith("/$value"))).toBe(false);
    const state = await storedState(p);
    expect(state.contents).toEqual([]);
    expect(state.records).toEqual([result.savedId]);
    expectConsistent(state);
    expect((await p.index.entries())[0]).toMatchObject({ contentStored: false, sizeBytes: 0 });
  });

  it("answers already_saved for the same message and project, with one copy and one event", async () => {
    const p = await consentedPane(["email_metadata", "email_content"]);
    const view = small();
    const request = { restId: view.restId, projectId: "tower-b", includeContent: true };
    const first = await p.save(request);
    const again = await p.save(request);
    // Another window, knowing nothing yet, and a save through Office's internetMessageId.
    const other = await pane().save(request);
    const hinted = await pane().save({ ...request, internetMessageId: view.internetMessageId });
    expect(first.status).toBe("saved");
    for (const r of [again, other, hinted]) {
      expect(r).toMatchObject({ status: "already_saved", savedId: first.savedId });
    }
    const state = await storedState(p);
    expect(state.records).toEqual([first.savedId]);
    expect(state.contents).toEqual([first.savedId]);
    expectConsistent(state);
  });

  it("never overwrites the content of a committed save from a window that did not know of it", async () => {
    const a = await consentedPane(["email_metadata", "email_content"]);
    const b = pane();
    await b.consent.refresh();
    // B reads the index before A saves: its copy says "not saved".
    expect(await b.index.entries()).toEqual([]);
    const view = small();
    const request = { restId: view.restId, projectId: "tower-b", includeContent: true };
    const first = await a.save(request);
    const before = await a.storage.stat(`emails/${first.savedId}.eml`);
    t.fake.clearRequests();
    expect(await b.save(request)).toMatchObject({
      status: "already_saved",
      savedId: first.savedId,
    });
    const after = await a.storage.stat(`emails/${first.savedId}.eml`);
    expect(after?.eTag).toBe(before?.eTag);
    const emlWrites = t.fake
      .requests()
      .filter((r) => r.method === "PUT" && decodeURIComponent(r.path).endsWith(".eml:/content"));
    expect(emlWrites.map((r) => [r.status, r.query])).toEqual([
      [409, "@microsoft.graph.conflictBehavior=fail"],
    ]);
    expectConsistent(await storedState(a));
  });

  it("answers already_saved from the index without reading the message when Office gives its identity", async () => {
    const p = await consentedPane(["email_metadata", "email_content"]);
    const view = small();
    // What Office's item properties give: Message-ID, sender and subject.
    const request = {
      restId: view.restId,
      projectId: "tower-b",
      includeContent: true,
      internetMessageId: view.internetMessageId,
      from: view.from,
      subject: view.subject,
      // Office's dateTimeCreated: it names the month shard to look in.
      receivedDateTime: view.receivedDateTime,
    };
    await p.save(request);
    t.fake.clearRequests();
    expect((await p.save(request)).status).toBe("already_saved");
    const seen = graphRequests().map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
    expect(seen.filter((r) => r.includes("/me/messages"))).toEqual([]);
    // Only the consent guard's ledger read: consent is still checked first.
    expect(seen).toEqual(["GET /v1.0/me/drive/special/approot:/consent:/children"]);
  });

  it("saves the same message to two projects as two separate copies", async () => {
    const p = await consentedPane(["email_metadata", "email_content"]);
    const view = small();
    const a = await p.save({ restId: view.restId, projectId: "tower-b", includeContent: true });
    const b = await p.save({ restId: view.restId, projectId: "riverside", includeContent: true });
    expect(a.status).toBe("saved");
    expect(b.status).toBe("saved");
    expect(a.savedId).not.toBe(b.savedId);
    expectConsistent(await storedState(p));
  });

  it("saves the 6.3 MB sample through an upload session, reporting progress", async () => {
    const p = await consentedPane(["email_metadata", "email_content"]);
    const view = views.find((v) => v.internetMessageId === LARGE_MESSAGE_ID);
    if (!view) throw new Error("the large sample is not seeded");
    expect(view.size).toBeGreaterThan(4 * 1024 * 1024);
    t.fake.clearRequests();
    const progress: SaveProgressEvent[] = [];
    const result = await p.save(
      { restId: view.restId, projectId: "tower-b", includeContent: true },
      { onProgress: (e) => progress.push(e) },
    );
    expect(result.status).toBe("saved");
    const eml = await p.storage.read(`emails/${result.savedId}.eml`);
    expect(eml.byteLength).toBe(view.size);
    const log = graphRequests().map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
    expect(log.some((r) => /createUploadSession$/.test(r))).toBe(true);
    expect(log.filter((r) => r.startsWith("PUT /_upload/")).length).toBeGreaterThan(1);
    // The reservation went up before the content and is gone afterwards.
    const reserve = log.findIndex((r) => r.includes(`pending/${result.savedId}.json`));
    const session = log.findIndex((r) => r.endsWith("createUploadSession"));
    expect(reserve).toBeGreaterThanOrEqual(0);
    expect(reserve).toBeLessThan(session);
    const phases = progress.map((e) => e.phase);
    expect(phases[0]).toBe("checking");
    expect(phases.at(-1)).toBe("done");
    const uploads = progress.filter((e) => e.phase === "uploading");
    expect(uploads.length).toBeGreaterThan(2);
    expect(uploads.at(-1)).toEqual({ phase: "uploading", sent: view.size, total: view.size });
    expect(uploads.map((e) => e.sent)).toEqual(
      [...uploads.map((e) => e.sent)].sort((x, y) => x - y),
    );
    expectConsistent(await storedState(p));
  });

  it("saves a generated 10 MB message byte for byte", async () => {
    const p = await consentedPane(["email_metadata", "email_content"]);
    const view = bySubject(views, TEN_MB_SUBJECT);
    expect(view.size).toBeGreaterThan(10_000_000);
    const result = await p.save({
      restId: view.restId,
      projectId: "tower-b",
      includeContent: true,
    });
    expect(result.status).toBe("saved");
    if (result.status !== "saved") return;
    const eml = await p.storage.read(`emails/${result.savedId}.eml`);
    expect(eml.byteLength).toBe(view.size);
    expect(await sha256Hex(eml)).toBe(result.record.content.stored && result.record.content.sha256);
    expectConsistent(await storedState(p));
  });

  it("costs few Graph requests for a message under 4 MB, and reads nothing twice", async () => {
    const p = await consentedPane(["email_metadata", "email_content"]);
    // Three messages of one month: a warm save writes into the shard the pane holds already.
    const small = views.filter((v) => v.size < 4 * 1024 * 1024);
    const month = (v: OfficeItemView) => v.receivedDateTime.slice(0, 7);
    const common = small.find((v) => small.filter((w) => month(w) === month(v)).length >= 3);
    const [first, second, third] = small.filter((v) => common && month(v) === month(common));
    if (!first || !second || !third) throw new Error("not enough small samples in one month");
    // A first save in a new pane also reads the index once; later saves reuse its eTag.
    t.fake.clearRequests();
    await p.save({ restId: first.restId, projectId: "tower-b", includeContent: true });
    const cold = graphRequests();
    t.fake.clearRequests();
    await p.save({ restId: second.restId, projectId: "tower-b", includeContent: true });
    const warm = graphRequests();
    t.fake.clearRequests();
    await p.save({ restId: third.restId, projectId: "tower-b", includeContent: false });
    const metadataOnly = graphRequests();
    const describe = (log: typeof warm) =>
      log.map((r) => `${r.method} ${decodeURIComponent(r.path).replace(/[0-9a-f]{32}/, "{id}")}`);
    console.info(
      `Graph requests per save: content ${warm.length} (first in a pane ${cold.length}), ` +
        `metadata only ${metadataOnly.length}\n  ${describe(warm).join("\n  ")}` +
        `\n  first in a pane:\n  ${describe(cold).join("\n  ")}`,
    );
    // One fresh read of the consent ledger admits the message (the guard's read); its requests
    // carrying email data then go without another, each after a local check (a withdrawal in
    // this pane stops the next one; one in another window stops the next message).
    const ledgerRead = "GET /v1.0/me/drive/special/approot:/consent:/children";
    expect(describe(warm)).toEqual([
      ledgerRead,
      expect.stringMatching(/^GET \/v1\.0\/me\/messages\/[^/]+$/),
      expect.stringMatching(/^GET \/v1\.0\/me\/messages\/[^/]+\/\$value$/),
      "PUT /v1.0/me/drive/special/approot:/emails/{id}.eml:/content",
      // The record and its index entry in one write: its month's shard, under If-Match (file
      // content never goes inside $batch); then its event: one write of the activity head
      // (If-Match), which holds it with the rest of its shard.
      expect.stringMatching(
        /^PUT \/v1\.0\/me\/drive\/special\/approot:\/records\/\d{4}-\d{2}(~[01]+)?\.[0-9a-z]+\.json:\/content$/,
      ),
      "PUT /v1.0/me/drive/special/approot:/activity/head.json:/content",
    ]);
    // The first save of a pane reads the ledger once too (not the grant this pane just wrote),
    // and the index (here still missing, so rebuilt from the records) once: no read repeated.
    const coldReads = describe(cold.filter((r) => r.method === "GET"));
    expect(coldReads.filter((r) => r === ledgerRead)).toHaveLength(1);
    expect(coldReads.filter((r) => r.includes("/consent/"))).toEqual([]);
    expect(new Set(coldReads).size).toBe(coldReads.length);
    expect(t.fake.requests().filter((r) => r.batch)).toEqual([]);
    expect(warm.length).toBe(6);
    // No MIME read and no content upload.
    expect(metadataOnly.length).toBe(warm.length - 2);
  });
});
