// @vitest-environment node
import { describe, expect, it } from "vitest";
import { checkRecords, type RequestRecord } from "../../../scripts/graph-conformance/check.js";
import { loadGraphModel } from "../../../scripts/graph-conformance/csdl-model.js";
import { renderRequestsDoc } from "../../../scripts/graph-conformance/report.js";
import { resolveRequest } from "../../../scripts/graph-conformance/resolve.js";

const model = loadGraphModel();

function resolve(method: string, pathAndQuery: string, inBatch = false) {
  const q = pathAndQuery.indexOf("?");
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q < 0 ? "" : pathAndQuery.slice(q + 1);
  return resolveRequest(model, { method, path, query, inBatch });
}

describe("the Graph request resolver, on shapes the add-in uses", () => {
  it("resolves a content upload addressed by path below the app folder", () => {
    const r = resolve(
      "PUT",
      "/me/drive/special/approot:/consent/x.json:/content?@microsoft.graph.conflictBehavior=replace",
    );
    expect(r.problems).toEqual([]);
    expect(r.template).toBe("/me/drive/special/approot:/{path}:/content");
    expect(r.target).toBe("microsoft.graph.driveItem content stream");
    expect(r.allowances).toEqual(
      expect.arrayContaining(["path-addressing", "put-content", "conflict-behavior"]),
    );
  });

  it("resolves a message's MIME through the documented $value allowance", () => {
    const r = resolve("GET", "/me/messages/AAMkAGI2%2FTQ0AAA%3D/$value");
    expect(r.problems).toEqual([]);
    expect(r.shape).toBe("GET /me/messages/{id}/$value");
    expect(r.allowances).toEqual(["message-mime"]);
  });

  it("resolves permanentDelete as an action bound to driveItem, and only for POST", () => {
    expect(resolve("POST", "/me/drive/items/01ABCDEF/permanentDelete").problems).toEqual([]);
    expect(resolve("POST", "/me/drive/items/01ABCDEF/permanentDelete").target).toBe(
      "action permanentDelete",
    );
    expect(resolve("GET", "/me/drive/items/01ABCDEF/permanentDelete").problems).toEqual([
      "GET does not apply to action permanentDelete (allowed: POST)",
    ]);
  });

  it("resolves $batch, translateExchangeIds bound to user, and a user's app folder listing", () => {
    expect(resolve("POST", "/$batch").problems).toEqual([]);
    expect(resolve("POST", "/me/translateExchangeIds").problems).toEqual([]);
    const listing = resolve(
      "GET",
      "/users/0f1e2d3c/drive/special/approot/children?$top=999&$select=id,name,size,eTag,lastModifiedDateTime,file",
    );
    expect(listing.problems).toEqual([]);
    expect(listing.shape).toBe(
      "GET /users/{id}/drive/special/approot/children?$select=eTag,file,id,lastModifiedDateTime,name,size&$top",
    );
  });

  it("checks $select, $orderby and $filter names against the message type", () => {
    const r = resolve(
      "GET",
      "/me/messages?$filter=conversationId eq 'AAQk=' and from/emailAddress/address eq 'a@b.example'&$orderby=receivedDateTime desc&$select=id,subject,internetMessageId",
    );
    expect(r.problems).toEqual([]);
    expect(r.queryShape).toBe(
      "$filter=conversationId,from/emailAddress/address&$orderby=receivedDateTime desc&$select=id,internetMessageId,subject",
    );
  });

  it("reads $filter property names past literals, functions and lambda variables", () => {
    const r = resolve(
      "GET",
      "/me/messages?$filter=receivedDateTime ge 2024-01-01T00:00:00Z and startswith(subject,'Tower B') and categories/any(c: c eq 'SEPT')",
    );
    expect(r.problems).toEqual([]);
    expect(r.queryShape).toBe("$filter=categories,receivedDateTime,subject");
    expect(resolve("GET", "/me/messages?$filter=receivedOn ge 2024-01-01").problems).toEqual([
      "'$filter' names 'receivedOn', not a property of microsoft.graph.message",
    ]);
  });

  it("accepts the download URL annotation only in the CORS guide's select= form", () => {
    expect(
      resolve("GET", "/me/drive/special/approot:/a.json?select=id,@microsoft.graph.downloadUrl")
        .problems,
    ).toEqual([]);
    const dollar = resolve(
      "GET",
      "/me/drive/special/approot:/a.json?$select=id,@microsoft.graph.downloadUrl",
    );
    expect(dollar.problems).toHaveLength(1);
    expect(dollar.problems[0]).toMatch(
      /'\$select' names the annotation '@microsoft.graph.downloadUrl'/,
    );
  });
});

describe("the Graph request resolver refuses what Graph would not know", () => {
  it("refuses a path segment that is no navigation property, property or operation", () => {
    const r = resolve("GET", "/me/drive/special/approot/childs");
    expect(r.problems).toEqual([
      "'childs' is not a property, navigation property or bound operation of microsoft.graph.driveItem",
    ]);
  });

  it("refuses an unknown entity set", () => {
    expect(resolve("GET", "/mee/messages").problems[0]).toMatch(/'mee' is not an entity set/);
  });

  it("refuses a $select name that is not a property of the type", () => {
    expect(resolve("GET", "/me/messages/x?$select=subject,sender,subjekt").problems).toEqual([
      "'$select' names 'subjekt', not a property of microsoft.graph.message",
    ]);
  });

  it("refuses a method that does not fit what the path addresses", () => {
    expect(resolve("DELETE", "/me/messages/x/$value").problems[0]).toMatch(/DELETE does not apply/);
    expect(resolve("PATCH", "/me/drive/special/approot/children").problems[0]).toMatch(
      /PATCH does not apply to Collection\(microsoft.graph.driveItem\)/,
    );
  });

  it("refuses an action bound to another type (permanentDelete on a drive)", () => {
    expect(resolve("POST", "/me/drive/permanentDelete").problems[0]).toMatch(
      /'permanentDelete' is not a property, navigation property or bound operation of microsoft.graph.drive/,
    );
  });

  it("refuses file content inside $batch but accepts a DELETE there", () => {
    expect(resolve("PUT", "/me/drive/special/approot:/a.json:/content", true).problems[0]).toMatch(
      /file content inside \$batch/,
    );
    expect(resolve("DELETE", "/me/drive/special/approot:/a.json", true).problems).toEqual([]);
  });

  it("refuses unknown query options and paging options on a single item", () => {
    expect(resolve("GET", "/me/messages/x?$selct=id").problems).toEqual([
      "unknown query option '$selct'",
    ]);
    expect(resolve("GET", "/me/messages/x?$top=5").problems[0]).toMatch(/applies to collections/);
  });
});

describe("the conformance check over a request log", () => {
  const records: RequestRecord[] = [
    { method: "GET", path: "/v1.0/me/messages/AAA%3D/$value", query: "" },
    { method: "GET", path: "/v1.0/me/messages/BBB%3D/$value", query: "" },
    { method: "GET", path: "/v1.0/me/bogus", query: "", probe: true },
    {
      method: "POST",
      path: "/v1.0/$batch",
      query: "",
      batch: [
        { method: "DELETE", url: "/me/drive/special/approot:/emails/1.json" },
        {
          method: "PUT",
          url: "/me/drive/special/approot:/index.json:/content?@microsoft.graph.conflictBehavior=replace",
          contentType: "application/json",
        },
        { method: "POST", url: "/me/drive/items/1/permanentDelete", contentType: "text/plain" },
      ],
    },
    { method: "PUT", path: "/_upload/abc", query: "" },
    { method: "POST", path: "/_download/abc", query: "" },
  ];
  const result = checkRecords(model, records);

  it("counts each distinct shape once and leaves the tests' own probes out", () => {
    expect(result.probes).toBe(1);
    expect(result.requests).toBe(5);
    expect(result.shapes.map((s) => s.key)).toEqual([
      "POST /$batch",
      "[$batch] POST /me/drive/items/{id}/permanentDelete",
      "[$batch] DELETE /me/drive/special/approot:/{path}",
      "[$batch] PUT /me/drive/special/approot:/{path}:/content?@microsoft.graph.conflictBehavior",
      "GET /me/messages/{id}/$value",
      "POST {downloadUrl}",
      "PUT {uploadUrl}",
    ]);
    expect(result.shapes.find((s) => s.key === "GET /me/messages/{id}/$value")?.count).toBe(2);
  });

  it("fails file content and non-JSON bodies inside $batch, and a POST to a download URL", () => {
    expect(result.failures.map((f) => f.key)).toEqual([
      "[$batch] POST /me/drive/items/{id}/permanentDelete",
      "[$batch] PUT /me/drive/special/approot:/{path}:/content?@microsoft.graph.conflictBehavior",
      "POST {downloadUrl}",
    ]);
  });

  it("gives every passing shape a permission and a reason, and documents them", () => {
    for (const s of result.shapes.filter((x) => x.problems.length === 0)) {
      expect(s.scope?.why, s.key).toBeTruthy();
    }
    const doc = renderRequestsDoc(result);
    expect(doc).toContain("| `GET /me/messages/{id}/$value` |  | Mail.Read |");
    expect(doc).toContain("docs/rest-api/concepts/addressing-driveitems.md");
  });
});
