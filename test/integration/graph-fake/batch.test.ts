// Contract §4: JSON $batch validation, dependsOn, 424, inner throttling, inner logging.
import { describe, expect, it } from "vitest";
import { useTestFake } from "../../support/use-test-fake.js";

const t = useTestFake();

interface Inner {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function batch(requests: unknown[], auth: boolean | string = true): Promise<Response> {
  return t.fetch("/$batch", {
    method: "POST",
    auth,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ requests }),
  });
}

async function responses(res: Response): Promise<Map<string, Inner>> {
  expect(res.status).toBe(200);
  const body = (await res.json()) as { responses: Inner[] };
  return new Map(body.responses.map((r) => [r.id, r]));
}

describe("$batch", () => {
  it("runs inner requests and answers 200 with {id,status,headers,body} for each", async () => {
    const out = await responses(
      await batch([
        { id: "1", method: "GET", url: "/me" },
        { id: "2", method: "GET", url: "me/drive/special/approot" },
        { id: "3", method: "GET", url: "/me/drive/special/approot:/missing.txt" },
      ]),
    );
    expect(out.get("1")).toMatchObject({ status: 200, body: { id: "alex-martin" } });
    expect(out.get("2")).toMatchObject({
      status: 200,
      body: { specialFolder: { name: "approot" } },
    });
    expect(out.get("3")).toMatchObject({ status: 404, body: { error: { code: "itemNotFound" } } });
    expect(out.get("1")?.headers["Content-Type"] ?? out.get("1")?.headers["content-type"]).toMatch(
      /json/,
    );
  });

  it("logs inner requests with batch:true and the outer bearer", async () => {
    t.fake.clearRequests();
    await batch([{ id: "a", method: "GET", url: "/me/drive?x=1" }]);
    const inner = t.fake.requests().filter((r) => r.batch);
    expect(inner).toEqual([
      expect.objectContaining({ method: "GET", path: "/v1.0/me/drive", query: "x=1", status: 200 }),
    ]);
    expect(inner[0]?.headers.authorization).toBe("Bearer <redacted>");
  });

  it("uses the outer request's auth (401 without a bearer)", async () => {
    expect((await batch([{ id: "1", method: "GET", url: "/me" }], false)).status).toBe(401);
  });

  it("answers 400 for more than 20 requests", async () => {
    const reqs = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: "GET",
      url: "/me",
    }));
    const res = await batch(reqs);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(
      /^(BadRequest|invalidRequest)$/,
    );
    expect((await batch(reqs.slice(0, 20))).status).toBe(200);
  });

  it("answers 400 for duplicate ids, compared case-insensitively", async () => {
    const res = await batch([
      { id: "save", method: "GET", url: "/me" },
      { id: "Save", method: "GET", url: "/me" },
    ]);
    expect(res.status).toBe(400);
  });

  it("answers 400 for a body without a Content-Type header", async () => {
    const res = await batch([
      {
        id: "1",
        method: "POST",
        url: "/me/drive/special/approot/children",
        body: { name: "x", folder: {} },
      },
    ]);
    expect(res.status).toBe(400);
  });

  it("answers 400 for an absolute url", async () => {
    expect(
      (await batch([{ id: "1", method: "GET", url: `${t.fake.graphBaseUrl}/me` }])).status,
    ).toBe(400);
  });

  it("answers 400 for a malformed payload", async () => {
    const res = await t.fetch("/$batch", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    expect(res.status).toBe(400);
  });

  it("runs dependsOn in order and answers 424 when a dependency failed", async () => {
    const out = await responses(
      await batch([
        {
          id: "folder",
          method: "POST",
          url: "/me/drive/special/approot/children",
          headers: { "Content-Type": "application/json" },
          body: { name: "Tower B", folder: {}, "@microsoft.graph.conflictBehavior": "fail" },
        },
        {
          id: "file",
          method: "POST",
          url: "/me/drive/special/approot:/Tower B:/children",
          headers: { "Content-Type": "application/json" },
          body: { name: "inside", folder: {} },
          dependsOn: ["folder"],
        },
        {
          id: "again",
          method: "POST",
          url: "/me/drive/special/approot/children",
          headers: { "Content-Type": "application/json" },
          body: { name: "Tower B", folder: {}, "@microsoft.graph.conflictBehavior": "fail" },
          dependsOn: ["file"],
        },
        { id: "after", method: "GET", url: "/me", dependsOn: ["again"] },
      ]),
    );
    expect(out.get("folder")?.status).toBe(201);
    expect(out.get("file")?.status).toBe(201);
    expect(out.get("again")?.status).toBe(409);
    expect(out.get("after")?.status).toBe(424);
    const inside = await t.fetch("/me/drive/special/approot:/Tower%20B/inside");
    expect(inside.status).toBe(200);
  });

  it("refuses file content inside $batch with 400 invalidRequest, and leaves nothing", async () => {
    const out = await responses(
      await batch([
        {
          id: "put",
          method: "PUT",
          url: "/me/drive/special/approot:/note.txt:/content",
          headers: { "Content-Type": "text/plain" },
          body: Buffer.from("inside").toString("base64"),
        },
        {
          id: "json",
          method: "PUT",
          url: "/me/drive/special/approot:/note.json:/content",
          headers: { "Content-Type": "application/json" },
          body: { a: 1 },
        },
        {
          id: "session",
          method: "POST",
          url: "/me/drive/special/approot:/big.eml:/createUploadSession",
          headers: { "Content-Type": "application/json" },
          body: { item: { "@microsoft.graph.conflictBehavior": "replace" } },
        },
      ]),
    );
    for (const id of ["put", "json", "session"]) {
      expect(out.get(id)?.status).toBe(400);
      expect((out.get(id)?.body as { error: { code: string } }).error.code).toBe("invalidRequest");
    }
    const listing = (await (await t.fetch("/me/drive/special/approot/children")).json()) as {
      value: unknown[];
    };
    expect(listing.value).toEqual([]);
  });

  it("throttles inner requests individually: inner 429 with its own Retry-After, batch 200", async () => {
    t.fake.setFaults({
      queue: [{ status: 429, match: "^GET /v1\\.0/me/drive$", retryAfterSeconds: 7 }],
    });
    const out = await responses(
      await batch([
        { id: "1", method: "GET", url: "/me/drive" },
        { id: "2", method: "GET", url: "/me" },
      ]),
    );
    expect(out.get("1")?.status).toBe(429);
    expect(out.get("1")?.headers["Retry-After"]).toBe("7");
    expect(out.get("1")?.body).toMatchObject({ error: { code: "activityLimitReached" } });
    expect(out.get("2")?.status).toBe(200);
  });

  it("base64-encodes non-JSON inner response bodies", async () => {
    await t.fetch("/me/drive/special/approot:/b64.txt:/content", { method: "PUT", body: "plain" });
    const item = (await (await t.fetch("/me/drive/special/approot:/b64.txt")).json()) as {
      id: string;
    };
    const url = new URL(
      (item as unknown as Record<string, string>)["@microsoft.graph.downloadUrl"]!,
    );
    expect(url.hostname).toBe("127.0.0.1");
    const out = await responses(
      await batch([{ id: "1", method: "GET", url: `/me/drive/items/${item.id}/content` }]),
    );
    expect(out.get("1")?.status).toBe(302);
    expect(out.get("1")?.headers.Location).toMatch(/\/_download\//);
  });
});
