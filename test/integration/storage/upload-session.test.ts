// Writes above 4 MB: an upload session, then fragments sent straight to the pre-authenticated
// upload URL (no bearer), retried and resumed by the adapter itself.
import { describe, expect, it } from "vitest";
import { UPLOAD_FRAGMENT_MULTIPLE } from "../../../src/adapters/graph/app-folder-storage.js";
import type { LoggedRequest } from "../../../dev/graph-fake/types.js";
import {
  UPLOAD_PATH,
  rejectionCode,
  sameBytes,
  testBytes,
  useStorageHarness,
} from "./storage-harness.js";

const h = useStorageHarness();
const MB = 1024 * 1024;

const fragments = (log: LoggedRequest[]) =>
  log.filter((r) => r.method === "PUT" && UPLOAD_PATH.test(r.path));
const sessionsCreated = (log: LoggedRequest[]) =>
  log.filter((r) => r.method === "POST" && r.path.endsWith(":/createUploadSession"));

/** Fragments sent in order, covering [0, total) without gaps, each but the last 320 KiB-aligned. */
function expectWellFormedFragments(sent: LoggedRequest[], total: number): void {
  let next = 0;
  sent.forEach((r, i) => {
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(r.headers["content-range"] ?? "");
    expect(m, `Content-Range of fragment ${i}`).not.toBeNull();
    const [first, last, size] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
    expect(size).toBe(total);
    expect(first).toBe(next);
    expect(r.requestBytes).toBe(last - first + 1);
    if (i < sent.length - 1) expect(r.requestBytes % UPLOAD_FRAGMENT_MULTIPLE).toBe(0);
    expect(r.headers.authorization).toBeUndefined();
    next = last + 1;
  });
  expect(next).toBe(total);
}

describe("upload sessions", () => {
  it.each([5, 10])(
    "writes %i MB through a session in 320 KiB-multiple fragments without the bearer",
    async (megabytes) => {
      const storage = h.storage();
      const bytes = testBytes(megabytes * MB, megabytes);
      const progress: number[] = [];

      const file = await storage.write("content/big.eml", bytes, {
        onProgress: (sent, total) => {
          expect(total).toBe(bytes.byteLength);
          progress.push(sent);
        },
      });

      const log = h.requests();
      const created = sessionsCreated(log);
      expect(created).toHaveLength(1);
      expect(created[0]?.path).toBe(
        "/v1.0/me/drive/special/approot:/content/big.eml:/createUploadSession",
      );
      expect(created[0]?.headers.authorization).toBe("Bearer <redacted>");
      const sent = fragments(log);
      expect(sent).toHaveLength(Math.ceil(bytes.byteLength / (10 * UPLOAD_FRAGMENT_MULTIPLE)));
      expectWellFormedFragments(sent, bytes.byteLength);
      // Nothing else: no simple PUT, no status polling when nothing failed.
      expect(log).toHaveLength(1 + sent.length);
      expect(progress.at(-1)).toBe(bytes.byteLength);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));

      expect(file).toMatchObject({ path: "content/big.eml", size: bytes.byteLength });
      expect(sameBytes(await storage.read("content/big.eml"), bytes)).toBe(true);
    },
  );

  it("honours a smaller fragment size and refuses one that is not a 320 KiB multiple", async () => {
    const storage = h.storage({ uploadChunkBytes: 2 * UPLOAD_FRAGMENT_MULTIPLE });
    const bytes = testBytes(5 * MB, 11);
    await storage.write("content/small-fragments.eml", bytes);
    const sent = fragments(h.requests());
    expect(sent).toHaveLength(Math.ceil(bytes.byteLength / (2 * UPLOAD_FRAGMENT_MULTIPLE)));
    expectWellFormedFragments(sent, bytes.byteLength);
    expect(() => h.storage({ uploadChunkBytes: 1_000_000 })).toThrow(RangeError);
  });

  it("retries a fragment that failed with 503, resumes where the session says, and the file is intact", async () => {
    h.fake().fake.setFaults({ queue: [{ status: 503, match: "^PUT /_upload/", times: 2 }] });
    const storage = h.storage();
    const bytes = testBytes(5 * MB, 5);

    await storage.write("content/retried.eml", bytes);

    const log = h.requests();
    const uploads = log.filter((r) => UPLOAD_PATH.test(r.path));
    expect(uploads.map((r) => `${r.method} ${r.status}`)).toEqual([
      "PUT 503",
      "GET 200",
      "PUT 503",
      "GET 200",
      "PUT 202",
      "PUT 201",
    ]);
    expectWellFormedFragments(
      fragments(log).filter((r) => r.status !== 503),
      bytes.byteLength,
    );
    expect(uploads.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(sameBytes(await storage.read("content/retried.eml"), bytes)).toBe(true);
  });

  it("resends a fragment whose connection dropped", async () => {
    h.fake().fake.setFaults({ queue: [{ status: "drop", match: "^PUT /_upload/" }] });
    const storage = h.storage();
    const bytes = testBytes(5 * MB, 6);

    await storage.write("content/dropped.eml", bytes);

    const uploads = h.requests().filter((r) => UPLOAD_PATH.test(r.path));
    expect(uploads.map((r) => `${r.method} ${r.status}`)).toEqual([
      "PUT 0",
      "GET 200",
      "PUT 202",
      "PUT 201",
    ]);
    expect(sameBytes(await storage.read("content/dropped.eml"), bytes)).toBe(true);
  });

  it("gives up after its retries, cancels the session and leaves no file", async () => {
    h.fake().fake.setFaults({ queue: [{ status: 503, match: "^PUT /_upload/", times: 10 }] });
    const storage = h.storage({ transferRetry: { maxRetries: 2, delaySeconds: 0.01 } });

    const code = await rejectionCode(storage.write("content/doomed.eml", testBytes(5 * MB)));

    expect(code).toBe("service_unavailable");
    const uploads = h.requests().filter((r) => UPLOAD_PATH.test(r.path));
    expect(uploads.filter((r) => r.method === "PUT")).toHaveLength(3);
    expect(uploads.at(-1)?.method).toBe("DELETE");
    expect(uploads.at(-1)?.status).toBe(204);
    h.fake().fake.setFaults({});
    expect(await h.storage().stat("content/doomed.eml")).toBeNull();
  });

  it("starts a new session once when the upload URL has gone (404)", async () => {
    h.fake().fake.setFaults({ queue: [{ status: 404, match: "^PUT /_upload/" }] });
    const storage = h.storage();
    const bytes = testBytes(5 * MB, 9);

    await storage.write("content/restarted.eml", bytes);

    const log = h.requests();
    expect(sessionsCreated(log)).toHaveLength(2);
    expect(sameBytes(await storage.read("content/restarted.eml"), bytes)).toBe(true);
  });

  it("leaves no file when aborted between fragments, and deletes the session", async () => {
    const storage = h.storage();
    const controller = new AbortController();
    const write = storage.write("content/aborted.eml", testBytes(10 * MB), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });

    expect(await rejectionCode(write)).toBe("cancelled");
    const uploads = h.requests().filter((r) => UPLOAD_PATH.test(r.path));
    expect(uploads.map((r) => `${r.method} ${r.status}`)).toEqual(["PUT 202", "DELETE 204"]);
    expect(await storage.stat("content/aborted.eml")).toBeNull();
    expect(await storage.list("content")).toEqual([]);
  });

  it('reports a conflict for a "fail" write over an existing file and keeps the original', async () => {
    const storage = h.storage();
    const original = testBytes(5 * MB, 1);
    await storage.write("content/once.eml", original, { conflict: "fail" });
    const created = sessionsCreated(h.requests())[0];
    expect(created?.requestBytes).toBeGreaterThan(0);

    const code = await rejectionCode(
      storage.write("content/once.eml", testBytes(5 * MB, 2), { conflict: "fail" }),
    );
    expect(code).toBe("conflict");
    expect(sameBytes(await storage.read("content/once.eml"), original)).toBe(true);
  });

  it("refuses If-Match on a large write before any request: upload sessions reject it (onedrive-api-docs#1716)", async () => {
    const storage = h.storage();
    const v1bytes = testBytes(5 * MB, 1);
    const v1 = await storage.write("content/guarded.eml", v1bytes);
    h.fake().fake.clearRequests();

    const code = await rejectionCode(
      storage.write("content/guarded.eml", testBytes(5 * MB, 3), { ifMatch: v1.eTag }),
    );
    expect(code).toBe("bad_request");
    expect(h.requests()).toEqual([]);
    expect(sameBytes(await storage.read("content/guarded.eml"), v1bytes)).toBe(true);
  });

  it("never sends If-Match on createUploadSession", async () => {
    const storage = h.storage();
    await storage.write("content/big.eml", testBytes(5 * MB, 1), { conflict: "fail" });
    const session = h.requests().find((r) => r.path.endsWith("createUploadSession"));
    expect(session?.status).toBe(200);
    expect(session?.headers["if-match"]).toBeUndefined();
  });
});
