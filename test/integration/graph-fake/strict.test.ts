// The first table of graph-contract.md: where the fake is strict by default, and its switches.
import { beforeEach, describe, expect, it } from "vitest";
import { makeDevToken } from "../../../dev/graph-fake/auth.js";
import { useTestFake } from "../../support/use-test-fake.js";

const t = useTestFake({ quotaBytes: 64 * 1024 });
let driveId: string;
beforeEach(async () => {
  const drive = (await (await t.fetch("/me/drive")).json()) as { id: string };
  driveId = drive.id;
});

const APP = "/me/drive/special/approot";
const DL = "@microsoft.graph.downloadUrl";
/** A token that may permanently delete: Files.ReadWrite, beyond the app folder. */
const filesToken = makeDevToken({ scp: "User.Read Files.ReadWrite" });

interface Item {
  id: string;
  name: string;
  eTag: string;
  [DL]?: string;
}
interface ErrorJson {
  error: { code: string; message: string };
}

async function put(name: string, body: string): Promise<Item> {
  const res = await t.fetch(`${APP}:/${name}:/content`, { method: "PUT", body });
  expect([200, 201]).toContain(res.status);
  return (await res.json()) as Item;
}

async function childNames(): Promise<string[]> {
  const res = await t.fetch(`${APP}/children`);
  return ((await res.json()) as { value: Item[] }).value.map((i) => i.name);
}

async function everything(): Promise<string> {
  const all = await t.fake.storedContents(driveId);
  return all.map((c) => c.content.toString("utf8")).join("\n");
}

describe("download URL and $select", () => {
  it("answers $select=…,@microsoft.graph.downloadUrl without the download URL", async () => {
    await put("a.json", "{}");
    const res = await t.fetch(`${APP}:/a.json?$select=id,eTag,${DL}`);
    const item = (await res.json()) as Item;
    expect(item.id).toBeDefined();
    expect(item[DL]).toBeUndefined();
  });

  it("carries the download URL with select= (no $), as the CORS guide writes it", async () => {
    await put("a.json", '{"a":1}');
    const item = (await (await t.fetch(`${APP}:/a.json?select=id,${DL}`)).json()) as Item;
    expect(Object.keys(item).sort()).toEqual(["@odata.context", DL, "id"].sort());
    const bytes = await t.fetch(item[DL]!, { auth: false });
    expect(await bytes.text()).toBe('{"a":1}');
  });

  it("carries the download URL on an item GET without any select", async () => {
    await put("a.json", "{}");
    const item = (await (await t.fetch(`${APP}:/a.json`)).json()) as Item;
    expect(item[DL]).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/_download\//);
  });

  it("drops the download URL from children listed with $select too", async () => {
    await put("a.json", "{}");
    const res = await t.fetch(`${APP}/children?$select=id,name,${DL}`);
    const [item] = ((await res.json()) as { value: Item[] }).value;
    expect(item?.name).toBe("a.json");
    expect(item?.[DL]).toBeUndefined();
  });

  it("answers GET item:/content with 302 to the pre-authenticated URL and no body", async () => {
    await put("a.txt", "hello");
    const res = await t.fetch(`${APP}:/a.txt:/content`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(await res.text()).toBe("");
    const location = res.headers.get("location")!;
    expect(await (await t.fetch(location, { auth: false })).text()).toBe("hello");
  });
});

describe("DELETE: the recycle bin", () => {
  it("moves the item out of its folder into the recycle bin, with its versions", async () => {
    const item = await put("a.txt", "first secret");
    await put("a.txt", "second secret");
    const del = await t.fetch(`/me/drive/items/${item.id}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(await childNames()).toEqual([]);
    expect((await t.fetch(`/me/drive/items/${item.id}`)).status).toBe(404);
    const bin = t.fake.recycleBin(driveId);
    expect(bin).toMatchObject([{ id: item.id, name: "a.txt", originalPath: "a.txt", versions: 1 }]);
    const stored = await everything();
    expect(stored).toContain("first secret");
    expect(stored).toContain("second secret");
  });

  it("still counts recycled bytes against quota (quota.deleted)", async () => {
    const item = await put("a.txt", "x".repeat(1000));
    const before = (await (await t.fetch("/me/drive")).json()) as { quota: { used: number } };
    await t.fetch(`/me/drive/items/${item.id}`, { method: "DELETE" });
    const after = (await (await t.fetch("/me/drive")).json()) as {
      quota: { used: number; deleted: number };
    };
    expect(after.quota.used).toBe(before.quota.used);
    expect(after.quota.deleted).toBe(1000);
  });

  it("is restorable from the recycle bin (admin side) with its versions", async () => {
    const item = await put("a.txt", "v1");
    await put("a.txt", "v2");
    await t.fetch(`/me/drive/items/${item.id}`, { method: "DELETE" });
    const res = await t.fetch(
      `/_fake/drives/${encodeURIComponent(driveId)}/recycle-bin/${item.id}/restore`,
      {
        method: "POST",
        auth: false,
      },
    );
    expect(res.status).toBe(204);
    expect(await childNames()).toEqual(["a.txt"]);
    const versions = (await (await t.fetch(`/me/drive/items/${item.id}/versions`)).json()) as {
      value: unknown[];
    };
    expect(versions.value).toHaveLength(2);
  });

  it("lists and empties the recycle bin through the admin endpoint", async () => {
    const item = await put("a.txt", "gone soon");
    await t.fetch(`/me/drive/items/${item.id}`, { method: "DELETE" });
    const path = `/_fake/drives/${encodeURIComponent(driveId)}/recycle-bin`;
    const listed = (await (await t.fetch(path, { auth: false })).json()) as Array<{ name: string }>;
    expect(listed.map((e) => e.name)).toEqual(["a.txt"]);
    await t.fetch(path, { method: "DELETE", auth: false });
    expect(t.fake.recycleBin(driveId)).toEqual([]);
    expect(await everything()).not.toContain("gone soon");
  });
});

describe("permanentDelete", () => {
  it("refuses an AppFolder-only token with 403 accessDenied by default, and keeps the item", async () => {
    const item = await put("a.txt", "kept");
    const res = await t.fetch(`/me/drive/items/${item.id}/permanentDelete`, { method: "POST" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorJson).error.code).toBe("accessDenied");
    expect(await childNames()).toEqual(["a.txt"]);
  });

  it("answers 204 with Files.ReadWrite: gone for good, versions included, not in the recycle bin", async () => {
    const item = await put("a.txt", "old words");
    await put("a.txt", "new words");
    const res = await t.fetch(`/me/drive/items/${item.id}/permanentDelete`, {
      method: "POST",
      auth: filesToken,
    });
    expect(res.status).toBe(204);
    expect(await childNames()).toEqual([]);
    expect(t.fake.recycleBin(driveId)).toEqual([]);
    const stored = await everything();
    expect(stored).not.toContain("old words");
    expect(stored).not.toContain("new words");
  });

  it("answers 204 to an AppFolder-only token when the switch allows it, also inside $batch", async () => {
    t.fake.setFaults({ permanentDelete: "allowed" });
    const item = await put("a.txt", "bye");
    const res = await t.fetch("/$batch", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        requests: [{ id: "1", method: "POST", url: `/me/drive/items/${item.id}/permanentDelete` }],
      }),
    });
    const body = (await res.json()) as { responses: Array<{ status: number }> };
    expect(body.responses[0]?.status).toBe(204);
    expect(await everything()).not.toContain("bye");
  });

  it("refuses everyone when the switch says refused", async () => {
    t.fake.setFaults({ permanentDelete: "refused" });
    const item = await put("a.txt", "kept");
    const res = await t.fetch(`/me/drive/items/${item.id}/permanentDelete`, {
      method: "POST",
      auth: filesToken,
    });
    expect(res.status).toBe(403);
  });
});

describe("version history", () => {
  it("keeps the previous content of an overwritten file, readable through …/versions", async () => {
    const item = await put("index.json", '{"subject":"first"}');
    await put("index.json", '{"subject":"second"}');
    const res = await t.fetch(`/me/drive/items/${item.id}/versions`);
    const versions = ((await res.json()) as { value: Array<{ id: string; size: number }> }).value;
    expect(versions.map((v) => v.id)).toEqual(["2.0", "1.0"]);
    const old = await t.fetch(`/me/drive/items/${item.id}/versions/1.0/content`, {
      redirect: "manual",
    });
    expect(old.status).toBe(302);
    const bytes = await t.fetch(old.headers.get("location")!, { auth: false });
    expect(await bytes.text()).toBe('{"subject":"first"}');
    const current = await t.fetch(`${APP}:/index.json:/content`, { redirect: "follow" });
    expect(await current.text()).toBe('{"subject":"second"}');
  });

  it("counts versions against quota", async () => {
    await put("a.txt", "x".repeat(30_000));
    await put("a.txt", "y".repeat(30_000));
    const res = await t.fetch(`${APP}:/a.txt:/content`, {
      method: "PUT",
      body: "z".repeat(30_000),
    });
    expect(res.status).toBe(507);
  });
});

describe("switches for observed failures", () => {
  it("answers 412 to If-Match on createUploadSession even with the current eTag", async () => {
    const item = await put("a.eml", "x");
    const res = await t.fetch(`${APP}:/a.eml:/createUploadSession`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "If-Match": item.eTag },
      body: "{}",
    });
    expect(res.status).toBe(412);
    t.fake.setFaults({ uploadSessionIfMatch: "honour" });
    const honoured = await t.fetch(`${APP}:/a.eml:/createUploadSession`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "If-Match": item.eTag },
      body: "{}",
    });
    expect(honoured.status).toBe(200);
  });

  it("has no OneDrive when noOneDrive is on: 404 itemNotFound 'mysite not found'", async () => {
    const set = await t.fetch("/_fake/faults", {
      method: "PUT",
      auth: false,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ noOneDrive: true }),
    });
    expect(set.status).toBe(200);
    for (const path of ["/me/drive", APP, `${APP}:/a.txt:/content`]) {
      const res = await t.fetch(path);
      expect(res.status).toBe(404);
      const err = ((await res.json()) as ErrorJson).error;
      expect(err.code).toBe("itemNotFound");
      expect(err.message).toMatch(/mysite not found/i);
    }
  });

  it("refuses the app folder with 403 accessDenied when approotForbidden is on", async () => {
    t.fake.setFaults({ approotForbidden: true });
    const res = await t.fetch(APP);
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorJson).error.code).toBe("accessDenied");
  });
});
