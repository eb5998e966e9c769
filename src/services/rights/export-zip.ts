// Where an export's ZIP goes: the sink it is written to part by part (a stream, a file, memory),
// and the ZIP itself as a stream (fflate) that waits for the sink, so memory holds one file.
import { Zip, ZipDeflate, ZipPassThrough } from "fflate";
import { SeptError } from "../../core/errors.js";

/**
 * Where the ZIP goes, part by part: the pane hands the parts to the browser (a file picker's
 * writable stream, or blobs the browser keeps on disk), Node to a file. `write` may be async: the
 * export waits for it before reading the next email, so parts never pile up in memory.
 */
export interface ExportSink {
  write(chunk: Uint8Array): void | Promise<void>;
  close(): void | Promise<void>;
  /** Called instead of close when the export fails or is cancelled. */
  abort?(reason: unknown): void | Promise<void>;
}

/** A sink over a Web Streams writable (a FileSystemWritableFileStream, Node's Writable.toWeb). */
export function writableStreamSink(stream: WritableStream<Uint8Array>): ExportSink {
  const writer = stream.getWriter();
  return {
    async write(chunk) {
      await writer.ready;
      await writer.write(chunk);
    },
    close: () => writer.close(),
    abort: (reason) => writer.abort(reason),
  };
}

/** A sink that keeps every part in memory: for small exports and tests only. */
export function memorySink(): ExportSink & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  return {
    write(chunk) {
      chunks.push(chunk);
    },
    close() {},
    bytes() {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.byteLength;
      }
      return out;
    },
  };
}

/**
 * The ZIP as a stream (fflate's Zip): each file is added as soon as it is read, its parts go to
 * the sink at once, and drain() waits until the sink has taken them, so memory holds one file.
 */
export class ZipStream {
  private readonly zip: Zip;
  private written: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private ended = false;
  readonly names: string[] = [];
  size = 0;

  constructor(
    private readonly mtime: Date,
    private readonly sink: ExportSink,
  ) {
    this.zip = new Zip((error, chunk, final) => {
      if (error) {
        this.failure ??= error;
        return;
      }
      this.size += chunk.byteLength;
      this.written = this.written.then(() => sink.write(chunk));
      this.written.catch((e: unknown) => {
        this.failure ??= e;
      });
      if (final) this.ended = true;
    });
  }

  /** .eml files are stored as they are (already compact, and kept byte for byte); JSON deflated. */
  add(name: string, data: Uint8Array, compress: boolean): void {
    const file = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    file.mtime = this.mtime;
    this.zip.add(file);
    file.push(data, true);
    this.names.push(name);
  }

  /** Waits until the sink has taken every part so far (back-pressure). */
  async drain(): Promise<void> {
    await this.written;
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<void> {
    this.zip.end();
    await this.drain();
    if (!this.ended) throw new SeptError("unknown", { message: "The ZIP did not end." });
    await this.sink.close();
  }
}
