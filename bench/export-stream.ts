// Exporting 1 GB of stored mail: the streaming export's peak memory in Node. The stored emails
// come from a storage that makes each .eml when it is read (so the bench itself holds none of
// the 1 GB), and the ZIP goes to /dev/null through a Node write stream, as the tenant job's
// `export --out` writes a file. What is measured is the export pipeline (listing, reading one
// email at a time, fflate's streaming Zip, the sink's back-pressure), not the Graph client.
import { createWriteStream } from "node:fs";
import { Writable } from "node:stream";
import type { StoragePort, StoredFile } from "../src/core/ports/storage.js";
import { createStorageActivityLog } from "../src/services/activity-log.js";
import { createStorageConsentLedger } from "../src/services/consent-ledger.js";
import { exportMyDataTo, writableStreamSink } from "../src/services/export.js";
import { EMAILS_DIR } from "../src/services/storage-layout.js";
import { createMemoryStorage } from "../test/support/memory-storage.js";
import type { BenchRow } from "./report.js";

const MB = 1024 * 1024;
const TOTAL_BYTES = 1024 * MB;
/** A mix like a real mailbox: mostly small messages, some with large attachments. */
const SIZES = [64 * 1024, 256 * 1024, 1 * MB, 4 * MB, 12 * MB];

function syntheticEml(n: number, size: number): Uint8Array {
  const header = new TextEncoder().encode(
    `Message-ID: <bench-${n}@contoso.example>\r\nSubject: Bench ${n}\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const out = new Uint8Array(size);
  out.set(header);
  // Not compressible: .eml files are stored, not deflated, and real attachments rarely shrink.
  let x = n * 2654435761 + 1;
  for (let i = header.byteLength; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Stored emails that exist only as sizes until read. */
function syntheticMailStorage(): { storage: StoragePort; emails: number; bytes: number } {
  const base = createMemoryStorage();
  const files: StoredFile[] = [];
  let bytes = 0;
  for (let n = 0; bytes < TOTAL_BYTES; n++) {
    const size = SIZES[n % SIZES.length]!;
    const savedId = n.toString(16).padStart(32, "0");
    files.push({
      id: `f${n}`,
      path: `${EMAILS_DIR}/${savedId}.eml`,
      name: `${savedId}.eml`,
      size,
      eTag: `"e${n}"`,
      lastModified: "2026-11-30T12:00:00.000Z",
    });
    bytes += size;
  }
  const byPath = new Map(files.map((f, n) => [f.path, { n, size: f.size }]));
  const storage: StoragePort = {
    ...base,
    async list(folder, signal) {
      return folder === EMAILS_DIR ? files : base.list(folder, signal);
    },
    async read(path, signal) {
      const email = byPath.get(path);
      return email ? syntheticEml(email.n, email.size) : base.read(path, signal);
    },
  };
  return { storage, emails: files.length, bytes };
}

interface Peak {
  heapUsed: number;
  heapPlusBuffers: number;
  rss: number;
}

async function measure<T>(task: () => Promise<T>): Promise<{ result: T; peak: Peak; base: Peak }> {
  (globalThis as { gc?: () => void }).gc?.();
  const sample = (): Peak => {
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, heapPlusBuffers: m.heapUsed + m.arrayBuffers, rss: m.rss };
  };
  const base = sample();
  const peak = { ...base };
  const take = () => {
    const now = sample();
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    peak.heapPlusBuffers = Math.max(peak.heapPlusBuffers, now.heapPlusBuffers);
    peak.rss = Math.max(peak.rss, now.rss);
  };
  const timer = setInterval(take, 5);
  try {
    const result = await task();
    take();
    return { result, peak, base };
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

export async function benchExportStream(): Promise<BenchRow[]> {
  const { storage, emails, bytes } = syntheticMailStorage();
  const activity = createStorageActivityLog(storage);
  const ledger = createStorageConsentLedger(storage);
  const started = performance.now();
  const { result, peak, base } = await measure(() =>
    exportMyDataTo(
      {
        storage,
        activity,
        ledger,
        principal: { principalId: "bench@contoso.example", language: "en" },
      },
      writableStreamSink(
        Writable.toWeb(createWriteStream("/dev/null")) as WritableStream<Uint8Array>,
      ),
    ),
  );
  const ms = performance.now() - started;
  const detail = `${emails} emails, ${mb(bytes)} MB stored, ${mb(result.sizeBytes)} MB ZIP in ${Math.round(ms / 100) / 10} s`;
  return [
    {
      name: "export 1 GB: peak JS heap (Node)",
      value: mb(peak.heapUsed),
      unit: "MB",
      goal: 300,
      detail: `${detail}; heap before ${mb(base.heapUsed)} MB`,
    },
    {
      name: "export 1 GB: peak heap + ArrayBuffers (Node)",
      value: mb(peak.heapPlusBuffers),
      unit: "MB",
      goal: 300,
      detail: "Uint8Arrays live outside the JS heap in Node: this row counts them too",
    },
    {
      name: "export 1 GB: peak RSS (Node)",
      value: mb(peak.rss),
      unit: "MB",
      detail: `the whole process (bench, V8, fflate); before ${mb(base.rss)} MB`,
    },
  ];
}
