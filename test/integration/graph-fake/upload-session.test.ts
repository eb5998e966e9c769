// Contract §2 "Upload sessions": createUploadSession, fragment rules, status, cancel, commit.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestFake } from "../../support/use-test-fake.js";

const APP = "/me/drive/special/approot";
const CHUNK = 327_680;

const t = useTestFake();

interface Session {
  uploadUrl: string;
  expirationDateTime: string;
}

async function createSession(path: string, conflict?: string): Promise<Session> {
  const res = await t.fetch(`${APP}:/${path}:/createUploadSession`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(
      conflict ? { item: { "@microsoft.graph.conflictBehavior": conflict } } : {},
    ),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Session;
}

function putRange(
  url: string,
  data: Buffer,
  first: number,
  total: number,
  init: { auth?: boolean | string } = {},
) {
  return t.fetch(url, {
    method: "PUT",
    auth: init.auth ?? false,
    headers: { "Content-Range": `bytes ${first}-${first + data.length - 1}/${total}` },
    body: data,
  });
}

describe("upload sessions", () => {
  it("returns an uploadUrl on 127.0.0.1 (so the SDK won't attach the bearer) and an expiry", async () => {
    const s = await createSession("a/b.eml");
    expect(s.uploadUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/_upload\/[\w-]+$/);
    expect(Date.parse(s.expirationDateTime)).toBeGreaterThan(Date.now());
  });

  it("answers 401 when a fragment carries Authorization", async () => {
    const s = await createSession("auth.bin");
    const res = await putRange(s.uploadUrl, randomBytes(10), 0, 10, { auth: true });
    expect(res.status).toBe(401);
  });

  it("accepts 320 KiB multiples with 202 + nextExpectedRanges and commits the last with 201", async () => {
    const data = randomBytes(CHUNK * 2 + 1000);
    const s = await createSession("big/photos.zip");
    const r1 = await putRange(s.uploadUrl, data.subarray(0, CHUNK), 0, data.length);
    expect(r1.status).toBe(202);
    expect(await r1.json()).toMatchObject({ nextExpectedRanges: [`${CHUNK}-`] });
    const r2 = await putRange(s.uploadUrl, data.subarray(CHUNK, CHUNK * 2), CHUNK, data.length);
    expect(r2.status).toBe(202);
    const r3 = await putRange(s.uploadUrl, data.subarray(CHUNK * 2), CHUNK * 2, data.length);
    expect(r3.status).toBe(201);
    const item = (await r3.json()) as { id: string; name: string; size: number };
    expect(item).toMatchObject({ name: "photos.zip", size: data.length });
    const dl = await t.fetch(`/me/drive/items/${item.id}/content`);
    expect(Buffer.from(await dl.arrayBuffer()).equals(data)).toBe(true);
  });

  it("answers 400 invalidRequest for a non-final fragment that isn't a multiple of 320 KiB", async () => {
    const s = await createSession("odd.bin");
    const res = await putRange(s.uploadUrl, randomBytes(1000), 0, 5000);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalidRequest");
  });

  it("answers 416 with fragmentOverlap for an overlapping fragment", async () => {
    const data = randomBytes(CHUNK * 2);
    const s = await createSession("overlap.bin");
    expect((await putRange(s.uploadUrl, data.subarray(0, CHUNK), 0, data.length)).status).toBe(202);
    const res = await putRange(s.uploadUrl, data.subarray(0, CHUNK), 0, data.length);
    expect(res.status).toBe(416);
    const body = (await res.json()) as { error: { code: string; innerError: { code?: string } } };
    expect([body.error.code, body.error.innerError.code]).toContain("fragmentOverlap");
  });

  it("reports status on GET and cancels with DELETE (204, then 404)", async () => {
    const data = randomBytes(CHUNK + 5);
    const s = await createSession("cancel.bin");
    await putRange(s.uploadUrl, data.subarray(0, CHUNK), 0, data.length);
    const status = await t.fetch(s.uploadUrl, { auth: false });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ nextExpectedRanges: [`${CHUNK}-`] });
    expect((await t.fetch(s.uploadUrl, { method: "DELETE", auth: false })).status).toBe(204);
    expect((await t.fetch(s.uploadUrl, { auth: false })).status).toBe(404);
    expect((await putRange(s.uploadUrl, data.subarray(CHUNK), CHUNK, data.length)).status).toBe(
      404,
    );
  });

  it("answers 409 at commit when the name exists and conflictBehavior is fail", async () => {
    await t.fetch(`${APP}:/taken.eml:/content`, { method: "PUT", body: "old" });
    const s = await createSession("taken.eml", "fail");
    const res = await putRange(s.uploadUrl, Buffer.from("new"), 0, 3);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      "nameAlreadyExists",
    );
  });

  it("replaces an existing file with 200 by default", async () => {
    await t.fetch(`${APP}:/swap.eml:/content`, { method: "PUT", body: "old" });
    const s = await createSession("swap.eml");
    const res = await putRange(s.uploadUrl, Buffer.from("newer"), 0, 5);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { size: number }).size).toBe(5);
  });

  it("answers 404 for an unknown session", async () => {
    const res = await putRange(
      `${t.fake.url.replace("localhost", "127.0.0.1")}/_upload/nope`,
      Buffer.from("x"),
      0,
      1,
    );
    expect(res.status).toBe(404);
  });

  it("answers 409 while another upload to the same path is running when asked to", async () => {
    t.fake.setFaults({ concurrentUploadConflict: true });
    const s = await createSession("busy.bin");
    await putRange(s.uploadUrl, randomBytes(CHUNK), 0, CHUNK * 2);
    const res = await t.fetch(`${APP}:/busy.bin:/createUploadSession`, { method: "POST" });
    expect(res.status).toBe(409);
  });
});
