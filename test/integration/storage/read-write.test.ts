// The storage adapter against the Graph fake: simple uploads (≤ 4 MB), reads, conflicts,
// preconditions, path validation and cancellation.
import { describe, expect, it } from "vitest";
import { SIMPLE_UPLOAD_LIMIT_BYTES } from "../../../src/adapters/graph/app-folder-storage.js";
import {
  DOWNLOAD_PATH,
  rejectionCode,
  sameBytes,
  testBytes,
  useStorageHarness,
} from "./storage-harness.js";

const h = useStorageHarness();

describe("JSON files", () => {
  it("writes a JSON record in one request and reads back the same value and eTag", async () => {
    const storage = h.storage();
    const record = { savedId: "s-001", subject: "Élévation — niveau 4", tags: ["a", "b"], n: 3 };

    const file = await storage.writeJson("records/s-001.json", record);
    expect(h.requests()).toHaveLength(1);
    const put = h.requests()[0];
    expect(put?.method).toBe("PUT");
    expect(put?.path).toBe("/v1.0/me/drive/special/approot:/records/s-001.json:/content");
    expect(put?.query).toBe("@microsoft.graph.conflictBehavior=replace");
    expect(put?.headers["content-type"]).toBe("application/json");
    expect(file).toMatchObject({ path: "records/s-001.json", name: "s-001.json" });
    expect(file.eTag).not.toBe("");
    expect(file.size).toBe(new TextEncoder().encode(JSON.stringify(record)).byteLength);

    h.fake().fake.clearRequests();
    const read = await storage.readJson<typeof record>("records/s-001.json");
    expect(read.value).toEqual(record);
    expect(read.file).toEqual(file);
    expect(await storage.stat("records/s-001.json")).toEqual(file);
  });

  it("reads with one Graph request plus the download, which never carries the bearer", async () => {
    const storage = h.storage();
    await storage.writeJson("settings.json", { language: "fr" });
    h.fake().fake.clearRequests();

    await storage.read("settings.json");
    const log = h.requests();
    expect(log.map((r) => r.method)).toEqual(["GET", "GET"]);
    expect(log[0]?.path).toBe("/v1.0/me/drive/special/approot:/settings.json");
    expect(log[0]?.headers.authorization).toBe("Bearer <redacted>");
    expect(log[1]?.path).toMatch(DOWNLOAD_PATH);
    expect(log[1]?.headers.authorization).toBeUndefined();
  });
});

describe("binary files up to 4 MB", () => {
  it("sends exactly 4 MiB as a simple upload and reads it back byte for byte", async () => {
    const storage = h.storage();
    const bytes = testBytes(SIMPLE_UPLOAD_LIMIT_BYTES, 7);

    const file = await storage.write("content/s-002.eml", bytes);
    expect(h.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      "PUT /v1.0/me/drive/special/approot:/content/s-002.eml:/content",
    ]);
    expect(file.size).toBe(bytes.byteLength);
    expect(sameBytes(await storage.read("content/s-002.eml"), bytes)).toBe(true);
  });

  it("uploads only the viewed bytes of a Uint8Array that is a window on a larger buffer", async () => {
    const storage = h.storage();
    const backing = testBytes(4096, 3);
    const view = backing.subarray(1000, 1100);

    const file = await storage.write("content/view.eml", view);
    expect(file.size).toBe(100);
    expect(sameBytes(await storage.read("content/view.eml"), view)).toBe(true);
  });

  it("writes and reads an empty file", async () => {
    const storage = h.storage();
    const file = await storage.write("content/empty.eml", new Uint8Array(0));
    expect(file.size).toBe(0);
    expect((await storage.read("content/empty.eml")).byteLength).toBe(0);
  });

  it("replaces by default and reports progress once", async () => {
    const storage = h.storage();
    await storage.write("content/s-003.eml", testBytes(10, 1));
    const progress: Array<[number, number]> = [];
    const second = testBytes(20, 2);
    const file = await storage.write("content/s-003.eml", second, {
      onProgress: (sent, total) => progress.push([sent, total]),
    });
    expect(file.size).toBe(20);
    expect(progress).toEqual([[20, 20]]);
    expect(sameBytes(await storage.read("content/s-003.eml"), second)).toBe(true);
  });
});

describe("conflicts and preconditions", () => {
  it('makes a "fail" write append-only: the second write is a conflict and the first stays', async () => {
    const storage = h.storage();
    await storage.writeJson("activity/e-1.json", { n: 1 }, { conflict: "fail" });
    expect(h.requests()[0]?.query).toBe("@microsoft.graph.conflictBehavior=fail");

    const code = await rejectionCode(
      storage.writeJson("activity/e-1.json", { n: 2 }, { conflict: "fail" }),
    );
    expect(code).toBe("conflict");
    expect((await storage.readJson("activity/e-1.json")).value).toEqual({ n: 1 });
  });

  it("writes with If-Match only while the eTag is current", async () => {
    const storage = h.storage();
    const v1 = await storage.writeJson("index.json", { v: 1 });
    const v2 = await storage.writeJson("index.json", { v: 2 }, { ifMatch: v1.eTag });
    expect(h.requests()[1]?.headers["if-match"]).toBe(v1.eTag);
    expect(v2.eTag).not.toBe(v1.eTag);

    const code = await rejectionCode(
      storage.writeJson("index.json", { v: 3 }, { ifMatch: v1.eTag }),
    );
    expect(code).toBe("precondition_failed");
    expect((await storage.readJson("index.json")).value).toEqual({ v: 2 });
  });
});

describe("absent files", () => {
  it("stats an absent file as null and fails to read it with not_found", async () => {
    const storage = h.storage();
    expect(await storage.stat("records/none.json")).toBeNull();
    expect(await storage.stat("no-folder/none.json")).toBeNull();
    expect(await rejectionCode(storage.read("records/none.json"))).toBe("not_found");
    expect(await rejectionCode(storage.readJson("records/none.json"))).toBe("not_found");
  });

  it("reports a file that is not JSON when read as JSON", async () => {
    const storage = h.storage();
    await storage.write("notes.txt", new TextEncoder().encode("not json"));
    expect(await rejectionCode(storage.readJson("notes.txt"))).toBe("unknown");
  });
});

describe("paths", () => {
  it.each([
    "",
    "../secrets.json",
    "records/../x.json",
    "a//b.json",
    "records/",
    "a:b.json",
    "a*b.json",
    "what?.json",
    "a\\b.json",
    "50%.json",
    "#1.json",
    "con.json",
    "~lock.json",
    " padded.json",
    "folder./x.json",
    "desktop.ini",
    "tab\there.json",
    "nul\u0000.json",
  ])("refuses %j before sending anything", async (path) => {
    const storage = h.storage();
    expect(await rejectionCode(storage.writeJson(path, {}))).toBe("bad_request");
    expect(await rejectionCode(storage.stat(path))).toBe("bad_request");
    expect(h.requests()).toHaveLength(0);
  });

  it("percent-encodes each segment of a legal path", async () => {
    const storage = h.storage();
    const file = await storage.writeJson("2026 11/a+b&c=d.json", { ok: true });
    expect(h.requests()[0]?.path).toBe(
      "/v1.0/me/drive/special/approot:/2026%2011/a%2Bb%26c%3Dd.json:/content",
    );
    expect(file.path).toBe("2026 11/a+b&c=d.json");
    expect((await storage.readJson("2026 11/a+b&c=d.json")).value).toEqual({ ok: true });
  });
});

describe("cancellation", () => {
  it("sends nothing when the signal is already aborted", async () => {
    const storage = h.storage();
    const signal = AbortSignal.abort();
    expect(await rejectionCode(storage.writeJson("x.json", {}, { signal }))).toBe("cancelled");
    expect(await rejectionCode(storage.read("x.json", signal))).toBe("cancelled");
    expect(await rejectionCode(storage.list("", signal))).toBe("cancelled");
    expect(await rejectionCode(storage.remove("x.json", { signal }))).toBe("cancelled");
    expect(h.requests()).toHaveLength(0);
  });

  it("abandons a request in flight when the signal aborts", async () => {
    h.fake().fake.setFaults({ latencyMs: 2000 });
    const storage = h.storage();
    const controller = new AbortController();
    const pending = storage.stat("slow.json", controller.signal);
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    expect(await rejectionCode(pending)).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
