import type { ExportSink } from "../../services/rights/export.js";

/** Hands the user a file from the pane (a receipt, an .eml, an export) through the browser. */
export function downloadFile(content: BlobPart, filename: string, type: string): void {
  downloadBlob(new Blob([content], { type }), filename);
}

function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Bytes gathered before they become a Blob: what the pane's heap holds of the file at most. */
const BLOB_PART_BYTES = 4 * 1024 * 1024;

/**
 * A sink that turns every few MB of parts into a Blob and, at the end, one Blob made of those
 * Blobs (no copy), then downloads it. A Blob's bytes live in the browser's blob storage, not in
 * the page's heap, and Chromium (Edge's WebView2 and Outlook on the web in Chrome/Edge) pages
 * blob storage to disk past its memory quota, so a large export does not grow the pane's heap.
 */
export function blobDownloadSink(filename: string, type: string): ExportSink {
  const blobs: Blob[] = [];
  let parts: Uint8Array[] = [];
  let pending = 0;
  const seal = () => {
    if (parts.length === 0) return;
    blobs.push(new Blob(parts as BlobPart[]));
    parts = [];
    pending = 0;
  };
  return {
    write(chunk) {
      parts.push(chunk);
      pending += chunk.byteLength;
      if (pending >= BLOB_PART_BYTES) seal();
    },
    close() {
      seal();
      downloadBlob(new Blob(blobs, { type }), filename);
      blobs.length = 0;
    },
    abort() {
      parts = [];
      blobs.length = 0;
    },
  };
}

interface SaveFilePickerWindow {
  top?: unknown;
  self?: unknown;
  showSaveFilePicker?: (options: {
    suggestedName: string;
    types: Array<{ description: string; accept: Record<string, string[]> }>;
  }) => Promise<{ createWritable(): Promise<WritableStream<Uint8Array>> }>;
}

/** Where a download goes: a file the user picked (written as it comes), or browser blobs. */
export type DownloadTarget =
  { kind: "file"; sink: ExportSink } | { kind: "blob"; sink: ExportSink } | { kind: "cancelled" };

/**
 * Opens the best target the host allows, to be called straight from the click (the File System
 * Access API needs that user gesture). showSaveFilePicker writes to disk as the ZIP is made, but
 * exists only in Chromium-based hosts, needs the gesture, and refuses cross-origin frames, which
 * is how Outlook on the web hosts a task pane; so it is tried only where the pane is the top
 * document (Outlook on Windows' WebView2) and the blob sink serves everywhere else, or when the
 * picker fails. The user closing the picker cancels the export.
 */
export async function openDownloadTarget(
  filename: string,
  type: string,
  host: SaveFilePickerWindow = globalThis as SaveFilePickerWindow,
): Promise<DownloadTarget> {
  const framed = host.top !== host.self;
  if (!framed && typeof host.showSaveFilePicker === "function") {
    try {
      const handle = await host.showSaveFilePicker({
        suggestedName: filename,
        types: [{ description: "ZIP", accept: { [type]: [".zip"] } }],
      });
      const stream = await handle.createWritable();
      const writer = stream.getWriter();
      return {
        kind: "file",
        sink: {
          async write(chunk) {
            await writer.ready;
            await writer.write(chunk);
          },
          close: () => writer.close(),
          abort: (reason) => writer.abort(reason),
        },
      };
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === "AbortError") return { kind: "cancelled" };
      // SecurityError (cross-origin frame, no gesture) or no writable: the blobs will do.
    }
  }
  return { kind: "blob", sink: blobDownloadSink(filename, type) };
}
