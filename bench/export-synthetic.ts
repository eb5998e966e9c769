// Stored mail that exists only as sizes until read: 1 GB to export without the bench holding it.
// Shared by the Node run and the Chromium page (no Node imports here).
import type { StoragePort, StoredFile } from "../src/core/ports/storage.js";
import { EMAILS_DIR } from "../src/services/storage/layout.js";
import { createMemoryStorage } from "../test/support/memory-storage.js";

export const MB = 1024 * 1024;
export const EXPORT_BENCH_BYTES = 1024 * MB;
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
export function syntheticMailStorage(): { storage: StoragePort; emails: number; bytes: number } {
  const base = createMemoryStorage();
  const files: StoredFile[] = [];
  let bytes = 0;
  for (let n = 0; bytes < EXPORT_BENCH_BYTES; n++) {
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
