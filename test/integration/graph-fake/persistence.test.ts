// Drive state on disk: restarts keep items, tags, content and upload sessions; If-Match writes
// don't race; large folders page through completely.
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DriveRegistry, userKeyOf } from "../../../dev/graph-fake/drive-registry.js";
import { DEFAULT_CLAIMS } from "../../../dev/graph-fake/auth.js";
import { startTestFake, type TestFake } from "../../support/graph-fake.js";

const APP = "/me/drive/special/approot";
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), "sept-graph-persist-"));
  dirs.push(d);
  return d;
}

interface Item {
  id: string;
  eTag: string;
  cTag: string;
  name: string;
}

describe("persistence", () => {
  it("keeps items, eTags and content across a restart with the same dataDir", async () => {
    const dataDir = freshDir();
    let t: TestFake = await startTestFake({ dataDir });
    const put = await t.fetch(`${APP}:/Tower%20B/2026-03-03-x.eml:/content`, {
      method: "PUT",
      body: "persist me",
    });
    const before = (await put.json()) as Item;
    const root = (await (await t.fetch(APP)).json()) as Item;
    await t.stop();

    t = await startTestFake({ dataDir });
    try {
      const after = (await (await t.fetch(`${APP}:/Tower%20B/2026-03-03-x.eml`)).json()) as Item;
      expect(after).toMatchObject({ id: before.id, eTag: before.eTag, cTag: before.cTag });
      expect(((await (await t.fetch(APP)).json()) as Item).id).toBe(root.id);
      expect(await (await t.fetch(`/me/drive/items/${before.id}/content`)).text()).toBe(
        "persist me",
      );
    } finally {
      await t.stop();
    }
  });

  it("keeps versions, the recycle bin and seeded users across a restart", async () => {
    const dataDir = freshDir();
    let t: TestFake = await startTestFake({ dataDir });
    t.fake.seedUser({ id: "kept-user", mailbox: "empty" });
    await t.fetch(`${APP}:/a.txt:/content`, { method: "PUT", body: "one" });
    const item = (await (
      await t.fetch(`${APP}:/a.txt:/content`, { method: "PUT", body: "two" })
    ).json()) as Item;
    const kept = (await (
      await t.fetch(`${APP}:/b.txt:/content`, { method: "PUT", body: "b1" })
    ).json()) as Item;
    await t.fetch(`${APP}:/b.txt:/content`, { method: "PUT", body: "b2" });
    await t.fetch(`/me/drive/items/${item.id}`, { method: "DELETE" });
    const driveId = ((await (await t.fetch("/me/drive")).json()) as { id: string }).id;
    await t.stop();

    t = await startTestFake({ dataDir });
    try {
      expect(t.fake.recycleBin(driveId)).toMatchObject([{ id: item.id, versions: 1 }]);
      const versions = (await (await t.fetch(`/me/drive/items/${kept.id}/versions`)).json()) as {
        value: Array<{ id: string }>;
      };
      expect(versions.value.map((v) => v.id)).toEqual(["2.0", "1.0"]);
      const texts = (await t.fake.storedContents(driveId)).map((c) => c.content.toString());
      expect(texts.sort()).toEqual(["b1", "b2", "one", "two"]);
      expect(t.fake.users().map((u) => u.id)).toContain("kept-user");
    } finally {
      await t.stop();
    }
  });

  it("replays the journal and ignores a torn last line (crash mid-write)", async () => {
    const dataDir = freshDir();
    // Write through the store directly and never close it: only the journal has these items.
    const registry = new DriveRegistry(dataDir, "SEPT for Outlook");
    const drive = registry.forUser({
      sub: DEFAULT_CLAIMS.sub,
      upn: DEFAULT_CLAIMS.upn,
      name: DEFAULT_CLAIMS.name,
    });
    drive.createFolder(drive.approotId, "Tower B", "fail");
    drive.createFolder(drive.approotId, "Riverside", "fail");
    appendFileSync(
      join(dataDir, "drives", userKeyOf(DEFAULT_CLAIMS.sub), "journal.jsonl"),
      '{"op":"put","ite',
    );
    const t = await startTestFake({ dataDir });
    try {
      expect((await t.fetch(`${APP}:/Tower%20B`)).status).toBe(200);
      expect((await t.fetch(`${APP}:/Riverside`)).status).toBe(200);
      // And the store keeps working after the torn line.
      expect(
        (await t.fetch(`${APP}:/after.txt:/content`, { method: "PUT", body: "x" })).status,
      ).toBe(201);
    } finally {
      await t.stop();
    }
  });

  it("keeps an upload session across a restart", async () => {
    const dataDir = freshDir();
    let t = await startTestFake({ dataDir });
    const chunk = 327_680;
    const data = randomBytes(chunk + 100);
    const session = (await (
      await t.fetch(`${APP}:/resume.bin:/createUploadSession`, { method: "POST" })
    ).json()) as { uploadUrl: string };
    const first = await t.fetch(session.uploadUrl, {
      method: "PUT",
      auth: false,
      headers: { "Content-Range": `bytes 0-${chunk - 1}/${data.length}` },
      body: data.subarray(0, chunk),
    });
    expect(first.status).toBe(202);
    await t.stop();

    t = await startTestFake({ dataDir });
    try {
      // The port changed; the session id did not.
      const sessionId = session.uploadUrl.split("/_upload/")[1];
      const url = `${t.fake.url.replace("localhost", "127.0.0.1")}/_upload/${sessionId}`;
      const status = (await (await t.fetch(url, { auth: false })).json()) as {
        nextExpectedRanges: string[];
      };
      expect(status.nextExpectedRanges).toEqual([`${chunk}-`]);
      const last = await t.fetch(url, {
        method: "PUT",
        auth: false,
        headers: { "Content-Range": `bytes ${chunk}-${data.length - 1}/${data.length}` },
        body: data.subarray(chunk),
      });
      expect(last.status).toBe(201);
      const dl = await t.fetch(`${APP}:/resume.bin:/content`);
      expect(Buffer.from(await dl.arrayBuffer()).equals(data)).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it("lets exactly one of many concurrent If-Match writes win", async () => {
    const t = await startTestFake();
    try {
      const item = (await (
        await t.fetch(`${APP}:/race.json:/content`, { method: "PUT", body: "0" })
      ).json()) as Item;
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          t.fetch(`${APP}:/race.json:/content`, {
            method: "PUT",
            body: String(i + 1),
            headers: { "If-Match": item.eTag },
          }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(11);
    } finally {
      await t.stop();
    }
  });

  it("pages through a folder of 20,000 items loaded from disk", async () => {
    const dataDir = freshDir();
    const registry = new DriveRegistry(dataDir, "SEPT for Outlook");
    const drive = registry.forUser({
      sub: DEFAULT_CLAIMS.sub,
      upn: DEFAULT_CLAIMS.upn,
      name: DEFAULT_CLAIMS.name,
    });
    for (let i = 0; i < 20_000; i++)
      drive.createFolder(drive.approotId, `m-${String(i).padStart(5, "0")}`, "fail");
    drive.compact();

    const t = await startTestFake({ dataDir });
    try {
      let url: string | undefined = `${APP}/children?$top=999&$select=name`;
      let count = 0;
      let last = "";
      while (url) {
        const page: { value: Array<{ name: string }>; "@odata.nextLink"?: string } = await (
          await t.fetch(url)
        ).json();
        for (const v of page.value) {
          expect(v.name > last).toBe(true);
          last = v.name;
        }
        count += page.value.length;
        url = page["@odata.nextLink"];
      }
      expect(count).toBe(20_000);
    } finally {
      await t.stop();
    }
  });
});
