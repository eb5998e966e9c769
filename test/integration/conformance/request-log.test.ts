// The conformance pipeline end to end: the Graph fake logs what the Graph client sent
// (SEPT_GRAPH_REQUEST_LOG), and the check fails the requests Graph's metadata does not describe.
// This file points the log at its own file, so its wrong requests never reach `npm test`'s log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevTokenProvider } from "../../../src/adapters/auth/dev-token-provider.js";
import { createGraphClient } from "../../../src/adapters/graph/graph-client.js";
import { GRAPH_SCOPES } from "../../../src/core/ports/auth.js";
import { checkRecords, readRequestLog } from "../../../scripts/graph-conformance/check.js";
import { loadGraphModel } from "../../../scripts/graph-conformance/csdl-model.js";
import {
  startTestFake,
  trustCertificateGlobally,
  type TestFake,
} from "../../support/graph-fake.js";

describe("the request conformance check over the fake's request log", () => {
  let t: TestFake;
  let dir: string;
  let log: string;
  const previous = process.env.SEPT_GRAPH_REQUEST_LOG;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sept-conformance-"));
    log = join(dir, "requests.jsonl");
    process.env.SEPT_GRAPH_REQUEST_LOG = log;
    t = await startTestFake();
    trustCertificateGlobally(t.ca);
    const client = createGraphClient({
      graphBaseUrl: t.fake.graphBaseUrl,
      auth: createDevTokenProvider({ id: "u1", username: "u1@contoso.example", name: "U One" }),
      scopes: [GRAPH_SCOPES.profile, GRAPH_SCOPES.mail, GRAPH_SCOPES.storage],
      retry: { delaySeconds: 0, maxRetries: 0 },
    });
    const send = (run: () => Promise<unknown>) => run().catch(() => undefined);
    const messageId = t.fake.mailbox()[0]!.restId;
    // Right: a file written by path, the app folder listed, a message's MIME, a JSON $batch.
    await send(() =>
      client
        .api("/me/drive/special/approot:/conformance/a.json:/content")
        .query({ "@microsoft.graph.conflictBehavior": "replace" })
        .header("Content-Type", "application/json")
        .put("{}"),
    );
    await send(() =>
      client.api("/me/drive/special/approot/children").select("id,name,eTag").top(10).get(),
    );
    await send(() => client.api(`/me/messages/${encodeURIComponent(messageId)}/$value`).get());
    // Wrong: a segment Graph does not have, a $select name no message has, a method that does
    // not fit an action, and file content inside $batch.
    await send(() => client.api("/me/drive/special/approot/childs").get());
    await send(() =>
      client
        .api(`/me/messages/${encodeURIComponent(messageId)}`)
        .select("subject,subjekt")
        .get(),
    );
    await send(() => client.api("/me/drive/items/0123/permanentDelete").get());
    await send(() =>
      client.api("/$batch").post({
        requests: [
          { id: "1", method: "DELETE", url: "/me/drive/special/approot:/conformance/b.json" },
          {
            id: "2",
            method: "PUT",
            url: "/me/drive/special/approot:/conformance/c.json:/content",
            headers: { "Content-Type": "application/json" },
            body: {},
          },
        ],
      }),
    );
    // A test's own probe of the fake is marked, and left out.
    await t.fetch("/me/not-a-graph-segment");
  });

  afterAll(async () => {
    if (previous === undefined) delete process.env.SEPT_GRAPH_REQUEST_LOG;
    else process.env.SEPT_GRAPH_REQUEST_LOG = previous;
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fails each deliberately wrong request, with what is wrong, and passes the right ones", () => {
    const result = checkRecords(loadGraphModel(), readRequestLog(log));
    expect(result.probes).toBe(1);
    expect(Object.fromEntries(result.failures.map((f) => [f.key, f.problems]))).toEqual({
      "GET /me/drive/special/approot/childs": [
        "'childs' is not a property, navigation property or bound operation of microsoft.graph.driveItem",
      ],
      "GET /me/messages/{id}?$select=subject,subjekt": [
        "'$select' names 'subjekt', not a property of microsoft.graph.message",
      ],
      "GET /me/drive/items/{id}/permanentDelete": [
        "GET does not apply to action permanentDelete (allowed: POST)",
      ],
      "[$batch] PUT /me/drive/special/approot:/{path}:/content": [
        "file content inside $batch: no Microsoft document shows it (microsoftgraph/microsoft-graph-docs-contrib concepts/json-batching.md)",
      ],
    });
    const passed = result.shapes.filter((s) => s.problems.length === 0).map((s) => s.key);
    expect(passed.sort()).toEqual(
      [
        "POST /$batch",
        "[$batch] DELETE /me/drive/special/approot:/{path}",
        "GET /me/drive/special/approot/children?$select=eTag,id,name&$top",
        "PUT /me/drive/special/approot:/{path}:/content?@microsoft.graph.conflictBehavior",
        "GET /me/messages/{id}/$value",
      ].sort(),
    );
  });
});
