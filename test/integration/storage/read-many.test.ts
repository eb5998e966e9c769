// readJsonMany on the Graph storage adapter: the files' metadata as GETs inside JSON $batch
// requests of 20 (json-batching.md documents GET of any resource there), then one download per
// file from the URL its metadata names; per-file answers in the order given, an absent file
// undefined, other failures that file's error only.
import { describe, expect, it } from "vitest";
import { DOWNLOAD_PATH, rejectionCode, useStorageHarness } from "./storage-harness.js";

const h = useStorageHarness();

const outer = () => h.requests().filter((r) => !r.batch && !DOWNLOAD_PATH.test(r.path));
const inner = () => h.requests().filter((r) => r.batch);
const downloads = () => h.requests().filter((r) => DOWNLOAD_PATH.test(r.path));
const names = (count: number) =>
  Array.from({ length: count }, (_, i) => `reads/r-${String(i).padStart(3, "0")}.json`);

/** Writes one JSON file per path ({ i, path }) and forgets the requests that took. */
async function written(paths: string[]) {
  const results = await h
    .storage()
    .writeMany(paths.map((path, i) => ({ path, value: { i, path } })));
  h.fake().fake.clearRequests();
  return results;
}

describe("readJsonMany", () => {
  it("reads 45 files with their metadata in three $batch requests and one download each, in order", async () => {
    const paths = names(45);
    const writes = await written(paths);

    const read = await h.storage().readJsonMany<{ i: number; path: string }>(paths);

    expect(read.map((r) => r?.value)).toEqual(paths.map((path, i) => ({ i, path })));
    expect(read.map((r) => r?.file?.eTag)).toEqual(writes.map((w) => w.file?.eTag));
    expect(read[9]?.file?.path).toBe(paths[9]);
    expect(outer().map((r) => `${r.method} ${decodeURIComponent(r.path)}`)).toEqual([
      "POST /v1.0/$batch",
      "POST /v1.0/$batch",
      "POST /v1.0/$batch",
    ]);
    // Asked for without $select: with it, OneDrive for Business leaves the download URL out.
    expect(inner()).toHaveLength(45);
    expect(inner().every((r) => r.method === "GET" && r.status === 200 && r.query === "")).toBe(
      true,
    );
    expect(downloads()).toHaveLength(45);
  });

  it("answers undefined for a file that is not there (404 in the $batch) and reads the others", async () => {
    const paths = names(3);
    await written(paths);
    const asked = [paths[0]!, "reads/never-written.json", paths[2]!];

    const read = await h.storage().readJsonMany<{ i: number }>(asked);

    expect(read.map((r) => r?.value?.i)).toEqual([0, undefined, 2]);
    expect(read[1]).toBeUndefined();
    expect(
      inner()
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 200, 404]);
    expect(downloads()).toHaveLength(2);
  });

  it("answers undefined for a file removed between its metadata and its download", async () => {
    const paths = names(3);
    await written(paths);
    h.fake().fake.setFaults({ queue: [{ status: 404, match: "^GET /_download/" }] });

    const read = await h.storage().readJsonMany<{ i: number }>(paths);

    expect(read.filter((r) => r === undefined)).toHaveLength(1);
    expect(read.filter((r) => r?.value !== undefined)).toHaveLength(2);
  });

  it("gives a file Graph refused (403 in the $batch) its own error, and reads the others", async () => {
    const paths = names(4);
    await written(paths);
    h.fake().fake.setFaults({
      queue: [{ status: 403, match: "^GET /v1\\.0/me/drive/special/approot:/reads/r-001\\.json$" }],
    });

    const read = await h.storage().readJsonMany<{ i: number }>(paths);

    expect(read.map((r) => r?.error?.code ?? r?.value?.i)).toEqual([0, "access_denied", 2, 3]);
    expect(read[1]?.path).toBe(paths[1]);
  });

  it("gives a file that is not JSON its own error (unknown), and reads the others", async () => {
    const paths = names(2);
    await written(paths);
    await h.storage().write("reads/broken.json", new TextEncoder().encode("{ not json"));
    h.fake().fake.clearRequests();

    const read = await h
      .storage()
      .readJsonMany<{ i: number }>([paths[0]!, "reads/broken.json", paths[1]!]);

    expect(read.map((r) => r?.error?.code ?? r?.value?.i)).toEqual([0, "unknown", 1]);
  });

  it("sends inner GETs answered 429 again, in a later $batch, and reads every file", async () => {
    const paths = names(5);
    await written(paths);
    h.fake().fake.setFaults({
      queue: [
        {
          status: 429,
          retryAfterSeconds: 0,
          match: "^GET /v1\\.0/me/drive/special/approot:/reads/r-00[13]\\.json$",
          times: 2,
        },
      ],
    });

    const read = await h
      .storage({ innerRetry: { delaySeconds: 0.05 } })
      .readJsonMany<{ i: number }>(paths);

    expect(read.map((r) => r?.value?.i)).toEqual([0, 1, 2, 3, 4]);
    expect(inner().filter((r) => r.status === 429)).toHaveLength(2);
    expect(outer().filter((r) => r.path.endsWith("$batch"))).toHaveLength(2);
  });

  it("reads a lone file as readJson does, without $batch", async () => {
    const [path] = names(1);
    await written([path!]);

    const [read] = await h.storage().readJsonMany<{ i: number }>([path!]);

    expect(read?.value).toEqual({ i: 0, path });
    expect(inner()).toEqual([]);
    expect(outer().map((r) => r.method)).toEqual(["GET"]);
  });

  it("refuses a bad path before any request", async () => {
    expect(
      await rejectionCode(h.storage().readJsonMany(["reads/ok.json", "reads/../x.json"])),
    ).toBe("bad_request");
    expect(h.requests()).toEqual([]);
  });
  it("downloads only the files whose eTag moved from the copy the caller holds", async () => {
    const paths = names(5);
    const writes = await written(paths);
    // The caller holds every file as written; then one of them changes.
    const held = new Map(writes.map((w) => [w.path, w.file?.eTag ?? ""]));
    await h.storage().writeJson(paths[3]!, { i: 33, path: paths[3] });
    h.fake().fake.clearRequests();

    const read = await h.storage().readJsonMany<{ i: number }>(paths, { held });

    expect(read.map((r) => (r?.unchanged ? "held" : r?.value?.i))).toEqual([
      "held",
      "held",
      "held",
      33,
      "held",
    ]);
    expect(read[0]?.file?.eTag).toBe(writes[0]?.file?.eTag);
    expect(outer()).toHaveLength(1);
    expect(downloads()).toHaveLength(1);
  });

  it("keeps to `downloadsAtOnce` downloads on the wire at once", async () => {
    const paths = names(6);
    await written(paths);
    // Every download takes at least this long, so a download that waits for a free place
    // arrives no sooner than this after the one whose place it takes.
    const latencyMs = 150;
    h.fake().fake.setFaults({ latencyMs, match: "^GET /_download/" });
    const read = await h.storage().readJsonMany<{ i: number }>(paths, { downloadsAtOnce: 2 });
    h.fake().fake.setFaults({});
    expect(read.map((r) => r?.value?.i)).toEqual([0, 1, 2, 3, 4, 5]);
    const arrived = downloads()
      .map((r) => Date.parse(r.time))
      .sort((a, b) => a - b);
    expect(arrived).toHaveLength(6);
    // Two at a time: the third arrives once the first is done, and so on.
    for (let i = 2; i < arrived.length; i++) {
      expect(arrived[i]! - arrived[i - 2]!).toBeGreaterThanOrEqual(latencyMs);
    }
  });

  it("checks a lone held file by its metadata alone while it is unchanged", async () => {
    const [path] = names(1);
    const [write] = await written([path!]);
    const held = new Map([[path!, write?.file?.eTag ?? ""]]);

    const same = await h.storage().readJsonMany<{ i: number }>([path!], { held });
    expect(same[0]?.unchanged).toBe(true);
    expect(downloads()).toHaveLength(0);
    expect(h.requests()).toHaveLength(2); // the $batch and its one GET

    // Removed: absent, as without a held copy.
    await h.storage().remove(path!);
    expect(await h.storage().readJsonMany([path!], { held })).toEqual([undefined]);
  });
});
