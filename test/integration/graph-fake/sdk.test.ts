// The fake driven through the real Graph JS client 3.0.7, configured as production code is:
// https base URL on localhost plus customHosts, so the SDK treats the fake as Graph.
import { randomBytes } from "node:crypto";
import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  FileUpload,
  LargeFileUploadTask,
  PageIterator,
  ResponseType,
  type PageCollection,
} from "@microsoft/microsoft-graph-client";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestFake } from "../../support/use-test-fake.js";

const t = useTestFake();
let client: Client;

beforeAll(() => {
  client = Client.initWithMiddleware({
    authProvider: { getAccessToken: async () => t.token },
    // The SDK joins baseUrl + defaultVersion ("v1.0") + path.
    baseUrl: t.fake.url,
    customHosts: new Set(["localhost"]),
    // This file probes the fake, not the add-in: left out of the conformance check (npm test).
    fetchOptions: { headers: { "x-sept-probe": "test" } },
  });
});

describe("Graph JS client against the fake", () => {
  it("attaches the bearer token, SdkVersion and client-request-id", async () => {
    const me = (await client.api("/me").get()) as { id: string };
    expect(me.id).toBe("alex-martin");
    const [logged] = t.fake.requests();
    expect(logged?.headers.authorization).toBe("Bearer <redacted>");
    expect(logged?.headers.sdkversion).toMatch(/graph-js/);
    expect(logged?.headers["client-request-id"]).toBeTruthy();
  });

  it("also works with baseUrl = graphBaseUrl and defaultVersion ''", async () => {
    const alt = Client.initWithMiddleware({
      authProvider: { getAccessToken: async () => t.token },
      baseUrl: t.fake.graphBaseUrl,
      defaultVersion: "",
      customHosts: new Set(["localhost"]),
      fetchOptions: { headers: { "x-sept-probe": "test" } },
    });
    expect(((await alt.api("/me").get()) as { id: string }).id).toBe("alex-martin");
  });

  it("sends $batch through BatchRequestContent", async () => {
    const content = new BatchRequestContent([
      { id: "1", request: new Request(`${t.fake.graphBaseUrl}/me`, { method: "GET" }) },
      {
        id: "2",
        request: new Request(`${t.fake.graphBaseUrl}/me/drive/special/approot/children`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ name: "From batch", folder: {} }),
        }),
        dependsOn: ["1"],
      },
    ]);
    const raw = (await client
      .api("/$batch")
      .post(await content.getContent())) as ConstructorParameters<typeof BatchResponseContent>[0];
    const batch = new BatchResponseContent(raw);
    expect(batch.getResponseById("1").status).toBe(200);
    expect(batch.getResponseById("2").status).toBe(201);
    expect(
      t.fake
        .requests()
        .filter((r) => r.batch)
        .map((r) => r.path),
    ).toEqual(["/v1.0/me", "/v1.0/me/drive/special/approot/children"]);
  });

  it("uploads 1 MB in 320 KiB chunks with LargeFileUploadTask, without the bearer on upload URLs", async () => {
    const data = new Uint8Array(randomBytes(1024 * 1024));
    const session = await LargeFileUploadTask.createUploadSession(
      client,
      "/me/drive/special/approot:/Tower B/site-photos.zip:/createUploadSession",
      { item: { "@microsoft.graph.conflictBehavior": "rename" } },
    );
    const task = new LargeFileUploadTask(
      client,
      new FileUpload(data, "site-photos.zip", data.length),
      session,
      {
        rangeSize: 327_680,
      },
    );
    const result = await task.upload();
    const item = result.responseBody as { id: string; size: number; name: string };
    expect(item).toMatchObject({ name: "site-photos.zip", size: data.length });
    const uploads = t.fake.requests().filter((r) => r.path.startsWith("/_upload/"));
    expect(uploads.map((r) => r.status)).toEqual([202, 202, 202, 201]);
    expect(uploads.every((r) => r.headers.authorization === undefined)).toBe(true);
    const bytes = (await client
      .api(`/me/drive/items/${item.id}/content`)
      .responseType(ResponseType.ARRAYBUFFER)
      .get()) as ArrayBuffer;
    expect(Buffer.from(bytes).equals(Buffer.from(data))).toBe(true);
  });

  it("retries a 429 with RetryHandler after the Retry-After delay", async () => {
    t.fake.setFaults({ queue: [{ status: 429, match: "^GET /v1\\.0/me$", retryAfterSeconds: 1 }] });
    const started = Date.now();
    const me = (await client.api("/me").get()) as { id: string };
    expect(me.id).toBe("alex-martin");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const log = t.fake.requests().filter((r) => r.path === "/v1.0/me");
    expect(log.map((r) => r.status)).toEqual([429, 200]);
    expect(log[1]?.headers["retry-attempt"]).toBe("1");
  });

  it("follows @odata.nextLink with PageIterator", async () => {
    for (const n of ["a", "b", "c", "d", "e"]) {
      await client.api(`/me/drive/special/approot:/pages/${n}.txt:/content`).put(n);
    }
    const first = (await client
      .api("/me/drive/special/approot:/pages:/children")
      .top(2)
      .select("name")
      .get()) as PageCollection;
    const names: string[] = [];
    await new PageIterator(client, first, (item: { name: string }) => {
      names.push(item.name);
      return true;
    }).iterate();
    expect(names).toEqual(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]);
  });

  it("surfaces Graph error codes through GraphError", async () => {
    await expect(client.api("/me/drive/special/approot:/missing.txt").get()).rejects.toMatchObject({
      statusCode: 404,
      code: "itemNotFound",
    });
  });
});
