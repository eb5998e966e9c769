// Where the export goes in the pane: part by part into blobs, or a picked file where allowed.
import { describe, expect, it, vi } from "vitest";
import { blobDownloadSink, openDownloadTarget } from "../../../src/taskpane/shared/download.js";

describe("the export's download target", () => {
  it("turns parts into blobs of a few MB and downloads one blob made of them", async () => {
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return "blob:export";
    });
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL, revokeObjectURL: () => undefined }));
    const sink = blobDownloadSink("export.zip", "application/zip");
    const part = new Uint8Array(1024 * 1024).fill(7);
    for (let i = 0; i < 9; i++) await sink.write(part);
    await sink.write(new Uint8Array([1, 2, 3]));
    await sink.close();
    expect(created).toHaveLength(1);
    const blob = created[0]!;
    expect(blob.type).toBe("application/zip");
    expect(blob.size).toBe(9 * 1024 * 1024 + 3);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(bytes[0]).toBe(7);
    expect([...bytes.slice(-3)]).toEqual([1, 2, 3]);
    vi.unstubAllGlobals();
  });

  it("uses blobs in a framed pane even where a file picker exists", async () => {
    const showSaveFilePicker = vi.fn();
    const target = await openDownloadTarget("x.zip", "application/zip", {
      top: {},
      self: {},
      showSaveFilePicker,
    });
    expect(target.kind).toBe("blob");
    expect(showSaveFilePicker).not.toHaveBeenCalled();
  });

  it("writes to the picked file in a top-level pane, and cancels when the picker is closed", async () => {
    const chunks: Uint8Array[] = [];
    const stream = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
    const host = {
      showSaveFilePicker: vi.fn(async () => ({ createWritable: async () => stream })),
    };
    const self = {};
    const target = await openDownloadTarget("x.zip", "application/zip", {
      ...host,
      top: self,
      self,
    });
    expect(target.kind).toBe("file");
    if (target.kind !== "file") return;
    await target.sink.write(new Uint8Array([4, 5]));
    await target.sink.close();
    expect(chunks).toEqual([new Uint8Array([4, 5])]);

    const closed = await openDownloadTarget("x.zip", "application/zip", {
      top: self,
      self,
      showSaveFilePicker: async () => {
        throw Object.assign(new Error("closed"), { name: "AbortError" });
      },
    });
    expect(closed.kind).toBe("cancelled");
  });
});
