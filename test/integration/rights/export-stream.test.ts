// The export as a stream: the same ZIP, handed over in parts, one stored email read at a time,
// to a Web Streams writable (the pane's file picker) or a Node file (the tenant job).
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { StoragePort } from "../../../src/core/ports/storage.js";
import {
  exportMyData,
  exportMyDataTo,
  writableStreamSink,
  type ExportDeps,
  type ExportSink,
} from "../../../src/services/rights/export.js";
import { seedStoredEmails, seededRecord, useRightsHarness } from "./rights-harness.js";

const h = useRightsHarness();
const PRINCIPAL = { principalId: "alex.martin@contoso-build.example", language: "en" };
const AT = new Date("2026-11-30T12:00:00.000Z");

async function seeded(count: number, attachmentBytes: number) {
  const records = Array.from({ length: count }, (_, n) =>
    seededRecord(n, new Date(AT.getTime() - n * 60_000).toISOString(), { attachmentBytes }),
  );
  await seedStoredEmails(h.seeder(), records, { attachmentBytes });
  return records;
}

/** The pane's storage, counting the bytes read but not yet handed to the sink. */
function watched(storage: StoragePort, sunk: { bytes: number }) {
  const stats = { read: 0, maxAhead: 0 };
  const took = (bytes: number) => {
    stats.read += bytes;
    stats.maxAhead = Math.max(stats.maxAhead, stats.read - sunk.bytes);
  };
  const counted: StoragePort = {
    ...storage,
    async read(path, signal) {
      const bytes = await storage.read(path, signal);
      took(bytes.byteLength);
      return bytes;
    },
    async readMany(paths, options) {
      const read = await storage.readMany(paths, options);
      took(read.reduce((n, r) => n + (r?.bytes?.byteLength ?? 0), 0));
      return read;
    },
  };
  return { storage: counted, stats };
}

describe("exportMyDataTo", () => {
  it("streams the same ZIP as the in-memory export, in parts, reading ahead at most 8 MB", async () => {
    await seeded(12, 1024 * 1024);
    const p = h.pane();
    const deps = (storage: StoragePort): ExportDeps => ({
      storage,
      activity: p.activity,
      ledger: p.ledger,
      principal: PRINCIPAL,
      now: () => AT,
      newId: () => "export-event",
    });
    const whole = await exportMyData(deps(p.storage));

    const sunk = { bytes: 0 };
    const { storage, stats } = watched(p.storage, sunk);
    const parts: Uint8Array[] = [];
    let closed = false;
    const sink: ExportSink = {
      async write(chunk) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        parts.push(chunk);
        sunk.bytes += chunk.byteLength;
      },
      close() {
        closed = true;
      },
    };
    const summary = await exportMyDataTo({ ...deps(storage), newId: () => "export-event-2" }, sink);
    expect(closed).toBe(true);
    expect(parts.length).toBeGreaterThan(12);
    expect(summary.sizeBytes).toBe(parts.reduce((n, c) => n + c.byteLength, 0));
    const streamed = unzipSync(Buffer.concat(parts));
    const reference = unzipSync(whole);
    expect(Object.keys(streamed).sort()).toEqual(Object.keys(reference).sort());
    for (const name of Object.keys(reference)) {
      if (name === "activity/log.json" || name === "manifest.json") continue;
      expect(Buffer.from(streamed[name]!).equals(Buffer.from(reference[name]!)), name).toBe(true);
    }
    // 12 emails of over 1 MB each: never more than the read-ahead window waits in memory.
    expect(stats.read).toBeGreaterThan(12 * 1024 * 1024);
    expect(stats.maxAhead).toBeLessThanOrEqual(8 * 1024 * 1024 + 2 * 1024 * 1024);
    const [event] = await h.pane().activity.list();
    expect(event).toMatchObject({ kind: "data_exported", sizeBytes: summary.sizeBytes });
  });

  it("reads the stored emails' files with one download each and their metadata in $batch", async () => {
    await seeded(12, 64 * 1024);
    const p = h.pane();
    const emailFiles = (await p.storage.list("emails")).length;
    h.fake().fake.clearRequests();
    await exportMyData({
      storage: p.storage,
      activity: p.activity,
      ledger: p.ledger,
      principal: PRINCIPAL,
      now: () => AT,
      newId: () => "export-event",
    });
    const all = h.fake().fake.requests();
    const underEmails = (r: (typeof all)[number]) =>
      decodeURIComponent(r.path).includes("approot:/emails/");
    // No file of emails/ is asked for on its own: its metadata goes in a $batch of its window.
    expect(all.filter((r) => !r.batch && underEmails(r))).toEqual([]);
    expect(all.filter((r) => r.batch && underEmails(r))).toHaveLength(emailFiles);
    const downloads = all.filter((r) => r.path.startsWith("/_download/"));
    expect(downloads.length).toBeGreaterThanOrEqual(emailFiles);
  });

  it("writes a Node file through a writable stream, as the tenant job's export does", async () => {
    await seeded(3, 16 * 1024);
    const p = h.pane();
    const dir = mkdtempSync(join(tmpdir(), "sept-export-"));
    try {
      const out = join(dir, "export.zip");
      const summary = await exportMyDataTo(
        { storage: p.storage, activity: p.activity, ledger: p.ledger, principal: PRINCIPAL },
        writableStreamSink(Writable.toWeb(createWriteStream(out)) as WritableStream<Uint8Array>),
      );
      const bytes = readFileSync(out);
      expect(bytes.byteLength).toBe(summary.sizeBytes);
      const files = unzipSync(bytes);
      expect(Object.keys(files).filter((n) => n.startsWith("emails/"))).toHaveLength(3);
      expect(summary.manifest.counts).toMatchObject({ emails: 3, emlFiles: 3 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("aborts the sink and logs no export when the sink fails", async () => {
    await seeded(2, 1024);
    const p = h.pane();
    let aborted: unknown = null;
    const error = await exportMyDataTo(
      { storage: p.storage, activity: p.activity, ledger: p.ledger, principal: PRINCIPAL },
      {
        write() {
          throw new Error("disk full");
        },
        close() {},
        abort(reason) {
          aborted = reason;
        },
      },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe("disk full");
    expect(aborted).toBe(error);
    expect((await h.pane().activity.list()).filter((e) => e.kind === "data_exported")).toEqual([]);
  });
});
