// Contract §2: the app folder, driveItem shape, simple uploads, conflicts, preconditions, paging,
// folders, deletes, download URLs, names and quota.
import { request } from "node:https";
import { describe, expect, it } from "vitest";
import { useTestFake } from "../../support/use-test-fake.js";

const t = useTestFake({ quotaBytes: 64 * 1024 });

const APP = "/me/drive/special/approot";

interface Item {
  id: string;
  name: string;
  size: number;
  eTag: string;
  cTag?: string;
  file?: { mimeType: string };
  folder?: { childCount: number };
  specialFolder?: { name: string };
  parentReference: { driveId: string; id: string; path?: string };
  "@microsoft.graph.downloadUrl"?: string;
}
interface ErrorJson {
  error: { code: string; innerError: { code?: string } };
}

async function put(path: string, body: string | Buffer, init: RequestInit = {}): Promise<Response> {
  return t.fetch(`${APP}:/${path}:/content${init.method ? "" : ""}`, {
    method: "PUT",
    body,
    ...init,
  });
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

describe("app folder", () => {
  it("GET approot returns a driveItem with folder and specialFolder facets", async () => {
    const res = await t.fetch(APP);
    expect(res.status).toBe(200);
    const root = await json<Item>(res);
    expect(root.name).toBe("SEPT for Outlook");
    expect(root.folder).toEqual({ childCount: 0 });
    expect(root.specialFolder).toEqual({ name: "approot" });
    expect(root.cTag).toBeUndefined();
    expect(root.parentReference.path).toBe("/drive/root:/Apps");
  });

  it("treats approot as case-sensitive", async () => {
    const res = await t.fetch("/me/drive/special/AppRoot");
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it("serves the same app folder under /drives/{driveId}/special/approot", async () => {
    const drive = await json<{ id: string; driveType: string; quota: { total: number } }>(
      await t.fetch("/me/drive"),
    );
    expect(drive.quota.total).toBe(64 * 1024);
    await put("shared.txt", "x");
    const res = await t.fetch(
      `/drives/${encodeURIComponent(drive.id)}/special/approot:/shared.txt`,
    );
    expect(res.status).toBe(200);
    expect((await json<Item>(res)).parentReference.driveId).toBe(drive.id);
    expect((await t.fetch(`/drives/b!someone-else/special/approot`)).status).toBe(404);
  });

  it("refuses the drive root to an AppFolder token", async () => {
    expect((await t.fetch("/me/drive/root/children")).status).toBe(403);
  });
});

describe("PUT content", () => {
  it("answers 201 for a new file and 200 when replacing it (default replace)", async () => {
    const first = await put("2026-03-03-abc.eml", "one");
    expect(first.status).toBe(201);
    const created = await json<Item>(first);
    expect(created).toMatchObject({
      name: "2026-03-03-abc.eml",
      size: 3,
      file: { mimeType: "message/rfc822" },
    });
    const second = await put("2026-03-03-abc.eml", "two!");
    expect(second.status).toBe(200);
    const replaced = await json<Item>(second);
    expect(replaced.id).toBe(created.id);
    expect(replaced.size).toBe(4);
  });

  it("changes eTag on any change but cTag only on content changes", async () => {
    const a = await json<Item>(await put("tags.json", "{}"));
    expect(a.eTag).toMatch(/^"\{[0-9A-F-]{36}\},\d+"$/);
    expect(a.cTag).toMatch(/^"c:\{[0-9A-F-]{36}\},\d+"$/);
    const renamed = await json<Item>(
      await t.fetch(`/me/drive/items/${a.id}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: "tags-renamed.json" }),
      }),
    );
    expect(renamed.eTag).not.toBe(a.eTag);
    expect(renamed.cTag).toBe(a.cTag);
    const rewritten = await json<Item>(await put("tags-renamed.json", '{"a":1}'));
    expect(rewritten.eTag).not.toBe(renamed.eTag);
    expect(rewritten.cTag).not.toBe(renamed.cTag);
  });

  it("answers 409 nameAlreadyExists with conflictBehavior=fail", async () => {
    await put("dup.txt", "a");
    const res = await t.fetch(`${APP}:/dup.txt:/content?@microsoft.graph.conflictBehavior=fail`, {
      method: "PUT",
      body: "b",
    });
    expect(res.status).toBe(409);
    expect((await json<ErrorJson>(res)).error.code).toBe("nameAlreadyExists");
  });

  it("renames with conflictBehavior=rename", async () => {
    await put("report.eml", "a");
    const res = await t.fetch(
      `${APP}:/report.eml:/content?%40microsoft.graph.conflictBehavior=rename`,
      {
        method: "PUT",
        body: "b",
      },
    );
    expect(res.status).toBe(201);
    expect((await json<Item>(res)).name).toBe("report 1.eml");
  });

  it("answers 412 when If-Match doesn't match and writes when it does", async () => {
    const item = await json<Item>(await put("guarded.json", "v1"));
    const stale = await put("guarded.json", "v2", {
      headers: { "If-Match": '"{00000000-0000-0000-0000-000000000000},1"' },
    });
    expect(stale.status).toBe(412);
    expect((await json<ErrorJson>(stale)).error.code).toBe("resourceModified");
    const fresh = await put("guarded.json", "v2", { headers: { "If-Match": item.eTag } });
    expect(fresh.status).toBe(200);
  });

  it("answers 412 for If-None-Match: * when the file exists", async () => {
    expect((await put("once.json", "1", { headers: { "If-None-Match": "*" } })).status).toBe(201);
    expect((await put("once.json", "2", { headers: { "If-None-Match": "*" } })).status).toBe(412);
  });

  it("creates intermediate folders and reports parentReference.path", async () => {
    const res = await put("Project%20A/2026/03/mail.eml", "x");
    expect(res.status).toBe(201);
    const item = await json<Item>(res);
    expect(item.parentReference.path).toBe("/drive/root:/Apps/SEPT for Outlook/Project A/2026/03");
    const folder = await json<Item>(await t.fetch(`${APP}:/Project%20A/2026`));
    expect(folder.folder).toEqual({ childCount: 1 });
    expect(folder.size).toBe(1);
  });

  it("answers 507 quotaLimitReached beyond the quota", async () => {
    const res = await put("big.bin", Buffer.alloc(65 * 1024));
    expect(res.status).toBe(507);
    expect((await json<ErrorJson>(res)).error.code).toBe("quotaLimitReached");
  });

  it("answers 413 above 250 MB without reading the body", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${t.fake.graphBaseUrl}${APP}:/huge.bin:/content`);
      const req = request(
        url,
        {
          method: "PUT",
          ca: t.ca,
          headers: {
            Authorization: `Bearer ${t.token}`,
            "Content-Length": String(251 * 1024 * 1024),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on("error", (err) => (err.message === "socket hang up" ? undefined : reject(err)));
      req.write(Buffer.alloc(1024));
    });
    expect(status).toBe(413);
  });
});

describe("download", () => {
  it("redirects /content (by path and by id) with 302 to a pre-authenticated 127.0.0.1 URL", async () => {
    const item = await json<Item>(await put("dl.txt", "download me"));
    for (const path of [`${APP}:/dl.txt:/content`, `/me/drive/items/${item.id}/content`]) {
      const res = await t.fetch(path, { redirect: "manual" });
      expect(res.status).toBe(302);
      const location = res.headers.get("location") ?? "";
      expect(location).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/_download\//);
      const dl = await t.fetch(location, { auth: false });
      expect(dl.status).toBe(200);
      expect(await dl.text()).toBe("download me");
    }
  });

  it("includes @microsoft.graph.downloadUrl in file metadata", async () => {
    await put("meta.txt", "m");
    const item = await json<Item>(await t.fetch(`${APP}:/meta.txt`));
    const res = await t.fetch(item["@microsoft.graph.downloadUrl"]!, { auth: false });
    expect(await res.text()).toBe("m");
  });

  it("serves old or new bytes, never a 404, to a download while the file is overwritten", async () => {
    // Small bodies: this suite's quota is 64 KB, and every old version still counts against it.
    const bodies = Array.from({ length: 25 }, (_, i) => `version ${i} `.repeat(40));
    const item = await json<Item>(await put("busy.txt", bodies[0]!));
    const url = item["@microsoft.graph.downloadUrl"]!;
    let writing = true;
    const statuses: number[] = [];
    const writes = (async () => {
      try {
        for (const body of bodies.slice(1)) statuses.push((await put("busy.txt", body)).status);
      } finally {
        writing = false;
      }
    })();
    const seen: Array<number | string> = [];
    while (writing) {
      const res = await t.fetch(url, { auth: false });
      const text = await res.text();
      seen.push(res.status === 200 && bodies.includes(text) ? "ok" : res.status);
    }
    await writes;
    expect(statuses).toEqual(bodies.slice(1).map(() => 200));
    expect(seen.filter((s) => s !== "ok")).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
  });

  it("rejects a tampered download URL", async () => {
    const item = await json<Item>(await put("tamper.txt", "t"));
    const url = item["@microsoft.graph.downloadUrl"]!;
    const res = await t.fetch(url.slice(0, -3) + "xyz", { auth: false });
    expect(res.status).toBe(401);
  });
});

describe("children", () => {
  it("pages with $top and an absolute @odata.nextLink carrying $skiptoken", async () => {
    for (let i = 0; i < 7; i++) await put(`page/f${i}.txt`, String(i));
    const names: string[] = [];
    let url: string | undefined = `${APP}:/page:/children?$top=3&$select=name,id`;
    let pages = 0;
    while (url) {
      const res = await t.fetch(url);
      expect(res.status).toBe(200);
      const page: { value: Item[]; "@odata.nextLink"?: string } = await json(res);
      names.push(...page.value.map((v) => v.name));
      for (const v of page.value) expect(Object.keys(v).sort()).toEqual(["id", "name"]);
      url = page["@odata.nextLink"];
      if (url) expect(url).toMatch(/^https:\/\/localhost:\d+\/v1\.0\/.*\$skiptoken=/);
      pages++;
    }
    expect(pages).toBe(3);
    expect(names).toEqual(["f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt", "f5.txt", "f6.txt"]);
  });

  it("uses a default page size of 200", async () => {
    // Twenty uploads at a time: 205 TLS handshakes at once time out on a loaded 2-core machine.
    for (let start = 0; start < 205; start += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, 205 - start) }, (_, i) =>
          put(`many/n${String(start + i).padStart(3, "0")}.txt`, ""),
        ),
      );
    }
    const page = await json<{ value: Item[]; "@odata.nextLink"?: string }>(
      await t.fetch(`${APP}:/many:/children`),
    );
    expect(page.value).toHaveLength(200);
    const rest = await json<{ value: Item[]; "@odata.nextLink"?: string }>(
      await t.fetch(page["@odata.nextLink"]!),
    );
    expect(rest.value).toHaveLength(5);
    expect(rest["@odata.nextLink"]).toBeUndefined();
  });

  it("orders by name desc and by lastModifiedDateTime", async () => {
    for (const n of ["b.txt", "c.txt", "a.txt"]) await put(`order/${n}`, n);
    const desc = await json<{ value: Item[] }>(
      await t.fetch(`${APP}:/order:/children?$orderby=name desc`),
    );
    expect(desc.value.map((v) => v.name)).toEqual(["c.txt", "b.txt", "a.txt"]);
    const byDate = await t.fetch(`${APP}:/order:/children?$orderby=lastModifiedDateTime desc`);
    expect(byDate.status).toBe(200);
    expect((await t.fetch(`${APP}:/order:/children?$orderby=color`)).status).toBe(400);
  });

  it("answers 304 to If-None-Match with the folder's current eTag", async () => {
    await put("etagdir/x.txt", "x");
    const folder = await json<Item>(await t.fetch(`${APP}:/etagdir`));
    const cached = await t.fetch(`${APP}:/etagdir:/children`, {
      headers: { "If-None-Match": folder.eTag },
    });
    expect(cached.status).toBe(304);
    await put("etagdir/y.txt", "y");
    const changed = await t.fetch(`${APP}:/etagdir:/children`, {
      headers: { "If-None-Match": folder.eTag },
    });
    expect(changed.status).toBe(200);
  });
});

describe("folders and deletes", () => {
  const create = (body: unknown, path = `${APP}/children`) =>
    t.fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

  it("creates a folder with 201, 409 on a clash, and renames on request", async () => {
    const made = await create({
      name: "Riverside",
      folder: {},
      "@microsoft.graph.conflictBehavior": "fail",
    });
    expect(made.status).toBe(201);
    expect((await json<Item>(made)).folder).toEqual({ childCount: 0 });
    const clash = await create({
      name: "Riverside",
      folder: {},
      "@microsoft.graph.conflictBehavior": "fail",
    });
    expect(clash.status).toBe(409);
    expect((await json<ErrorJson>(clash)).error.code).toBe("nameAlreadyExists");
    const renamed = await create({
      name: "riverside",
      folder: {},
      "@microsoft.graph.conflictBehavior": "rename",
    });
    expect(renamed.status).toBe(201);
    expect((await json<Item>(renamed)).name).toBe("riverside 1");
    const nested = await create({ name: "2026", folder: {} }, `${APP}:/Riverside:/children`);
    expect(nested.status).toBe(201);
  });

  it("deletes with 204 and no body, then 404 itemNotFound", async () => {
    const item = await json<Item>(await put("gone.txt", "g"));
    const del = await t.fetch(`/me/drive/items/${item.id}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe("");
    const again = await t.fetch(`/me/drive/items/${item.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect((await json<ErrorJson>(again)).error.code).toBe("itemNotFound");
    expect((await t.fetch(`${APP}:/gone.txt`)).status).toBe(404);
  });

  it("honours If-Match on DELETE by path", async () => {
    const item = await json<Item>(await put("keep.txt", "k"));
    const stale = await t.fetch(`${APP}:/keep.txt`, {
      method: "DELETE",
      headers: { "If-Match": '"{X},9"' },
    });
    expect(stale.status).toBe(412);
    const ok = await t.fetch(`${APP}:/keep.txt`, {
      method: "DELETE",
      headers: { "If-Match": item.eTag },
    });
    expect(ok.status).toBe(204);
  });

  it("reports a deleted item in delta", async () => {
    const item = await json<Item>(await put("d/one.txt", "1"));
    const start = await json<{ "@odata.deltaLink": string; value: unknown[] }>(
      await t.fetch(`${APP}/delta?token=latest`),
    );
    expect(start.value).toEqual([]);
    await t.fetch(`/me/drive/items/${item.id}`, { method: "DELETE" });
    await put("d/two.txt", "2");
    const changes = await json<{ value: Array<{ id: string; name?: string; deleted?: unknown }> }>(
      await t.fetch(start["@odata.deltaLink"]),
    );
    expect(changes.value.find((v) => v.id === item.id)?.deleted).toBeDefined();
    expect(changes.value.some((v) => v.name === "two.txt")).toBe(true);
  });
});

describe("names", () => {
  it.each([
    "a*b.txt",
    "a<b.txt",
    "a|b.txt",
    'a"b.txt',
    "a%23b.txt",
    "a%25b.txt",
    "a%3Fb.txt",
    "a%5Cb.txt",
  ])("rejects the reserved character in %s with invalidRequest/invalidPath", async (name) => {
    const res = await put(name, "x");
    expect(res.status).toBe(400);
    const body = await json<ErrorJson>(res);
    expect(body.error.code).toBe("invalidRequest");
    expect(body.error.innerError.code).toBe("invalidPath");
  });

  it.each([
    "CON",
    "con.txt",
    "LPT1",
    "COM0.eml",
    ".lock",
    "desktop.ini",
    "a_vti_b.txt",
    "~$draft.docx",
    "%20lead.txt",
    "trail.txt%20",
  ])("rejects the reserved name %s", async (name) => {
    const res = await put(name, "x");
    expect(res.status).toBe(400);
    expect((await json<ErrorJson>(res)).error.innerError.code).toBe("invalidPath");
  });

  it("rejects a folder name ending in a period", async () => {
    expect((await put("folder./x.txt", "x")).status).toBe(400);
  });

  it("answers pathIsTooLong above 400 characters", async () => {
    const res = await put("a".repeat(401), "x");
    expect(res.status).toBe(400);
    expect((await json<ErrorJson>(res)).error.innerError.code).toBe("pathIsTooLong");
  });

  it("percent-decodes each segment", async () => {
    const res = await put(
      `${encodeURIComponent("Réunion n° 7")}/${encodeURIComponent("notes & plans.txt")}`,
      "x",
    );
    expect(res.status).toBe(201);
    expect((await json<Item>(res)).name).toBe("notes & plans.txt");
    expect((await t.fetch(`${APP}:/${encodeURIComponent("Réunion n° 7")}`)).status).toBe(200);
  });
});
