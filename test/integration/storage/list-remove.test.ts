// Listing folders (all pages, files only) and removing files, with and without If-Match.
import { describe, expect, it } from "vitest";
import { rejectionCode, useStorageHarness } from "./storage-harness.js";

const h = useStorageHarness();

describe("list", () => {
  it("follows @odata.nextLink until every file of the folder is listed", async () => {
    const writer = h.storage();
    const names = Array.from({ length: 25 }, (_, i) => `e-${String(i).padStart(3, "0")}.json`);
    await Promise.all(names.map((n, i) => writer.writeJson(`activity/${n}`, { i })));
    await writer.writeJson("activity/sub/nested.json", {});
    h.fake().fake.clearRequests();

    const files = await h.storage({ listPageSize: 10 }).list("activity");

    expect(files.map((f) => f.name).sort()).toEqual(names);
    expect(files.every((f) => f.path === `activity/${f.name}` && f.eTag && f.id)).toBe(true);
    expect(files.find((f) => f.name === "e-007.json")?.size).toBe(JSON.stringify({ i: 7 }).length);
    const pages = h.requests();
    // 26 children (25 files + the subfolder) at 10 a page.
    expect(pages).toHaveLength(3);
    expect(pages[0]?.path).toBe("/v1.0/me/drive/special/approot:/activity:/children");
    expect(new URLSearchParams(pages[0]?.query).get("$top")).toBe("10");
    expect(new URLSearchParams(pages[1]?.query).get("$skiptoken")).toBeTruthy();
  });

  it("lists up to 999 files in one request by default", async () => {
    const writer = h.storage();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => writer.writeJson(`records/r-${i}.json`, { i })),
    );
    h.fake().fake.clearRequests();
    expect(await writer.list("records")).toHaveLength(30);
    expect(h.requests()).toHaveLength(1);
    expect(new URLSearchParams(h.requests()[0]?.query).get("$top")).toBe("999");
  });

  it("lists the root folder through approot/children", async () => {
    const storage = h.storage();
    await storage.writeJson("settings.json", {});
    await storage.writeJson("records/r.json", {});
    h.fake().fake.clearRequests();
    for (const root of ["", "/"]) {
      expect((await storage.list(root)).map((f) => f.path)).toEqual(["settings.json"]);
    }
    expect(h.requests()[0]?.path).toBe("/v1.0/me/drive/special/approot/children");
  });

  it("lists an absent folder as empty", async () => {
    expect(await h.storage().list("never/created")).toEqual([]);
  });
});

describe("remove", () => {
  it("removes a file, and removing it again is not an error", async () => {
    const storage = h.storage();
    await storage.writeJson("records/gone.json", {});
    await storage.remove("records/gone.json");
    await storage.remove("records/gone.json");
    expect(await storage.stat("records/gone.json")).toBeNull();
    expect(
      h
        .requests()
        .filter((r) => r.method === "DELETE")
        .map((r) => r.status),
    ).toEqual([204, 404]);
  });

  it("removes with If-Match only while the eTag is current", async () => {
    const storage = h.storage();
    const v1 = await storage.writeJson("index.json", { v: 1 });
    const v2 = await storage.writeJson("index.json", { v: 2 });

    expect(await rejectionCode(storage.remove("index.json", { ifMatch: v1.eTag }))).toBe(
      "precondition_failed",
    );
    expect(await storage.stat("index.json")).not.toBeNull();

    await storage.remove("index.json", { ifMatch: v2.eTag });
    expect(await storage.stat("index.json")).toBeNull();
    expect(await rejectionCode(storage.remove("index.json", { ifMatch: v2.eTag }))).toBe(
      "not_found",
    );
  });
});
