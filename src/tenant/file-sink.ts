// The tenant job's export sink: a local file, written aside and renamed once complete.
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { ExportSink } from "../services/rights/export.js";

/**
 * The export streamed to `out`, one part at a time: written aside and renamed once complete, so a
 * crash never leaves a half archive under the final name (a failed export removes its part file).
 */
export function fileSink(out: string, done: (bytes: number) => void): ExportSink {
  const part = `${out}.part`;
  let stream: WriteStream | null = null;
  let failure: Error | null = null;
  let bytes = 0;
  const open = async (): Promise<WriteStream> => {
    if (!stream) {
      await mkdir(dirname(out), { recursive: true });
      const opened = createWriteStream(part);
      opened.on("error", (error) => (failure ??= error));
      stream = opened;
      await once(opened, "open");
    }
    if (failure) throw failure;
    return stream;
  };
  return {
    async write(chunk) {
      bytes += chunk.byteLength;
      const file = await open();
      if (!file.write(chunk)) await once(file, "drain");
    },
    async close() {
      const file = await open();
      await new Promise<void>((resolve, reject) =>
        file.end(() => (failure ? reject(failure) : resolve())),
      );
      await rename(part, out);
      done(bytes);
    },
    async abort() {
      // The file closes before it is removed: a write still buffered must not recreate it.
      const file = stream;
      if (file && !file.closed) {
        // Not events.once: a write cut short by destroy emits "error" before "close".
        const closed = new Promise<void>((resolve) => file.once("close", () => resolve()));
        file.destroy();
        await closed;
      }
      await rm(part, { force: true });
    },
  };
}
