// @vitest-environment node
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  compareDocRows,
  formatRequestsDoc,
  parseDocRows,
  type DocRow,
} from "../../../scripts/graph-conformance/report.js";

const DOC = join(process.cwd(), "docs", "graph-requests.md");

const row = (request: string, extra: Partial<DocRow> = {}): DocRow => ({
  request,
  inBatch: false,
  permission: "Files.ReadWrite.AppFolder",
  why: "Writes a file.",
  checked: "CSDL",
  ...extra,
});

describe("docs/graph-requests.md", () => {
  it("is exactly what the generator writes from its own rows (nobody edited it by hand)", async () => {
    const committed = readFileSync(DOC, "utf8");
    const rows = parseDocRows(committed);
    expect(rows.length).toBeGreaterThan(0);
    expect(await formatRequestsDoc(rows, DOC)).toBe(committed);
  });

  it("is out of date when a run makes a request it does not list, or lists it differently", () => {
    const committed = [row("GET /me", { permission: "User.Read" }), row("PUT /x")];
    const run = [
      row("GET /me", { permission: "User.Read" }),
      row("PUT /x", { why: "Another reason." }),
      row("DELETE /x", { inBatch: true }),
    ];
    const { missing, changed, extras } = compareDocRows(run, committed);
    expect(missing.map((r) => r.request)).toEqual(["DELETE /x"]);
    expect(changed.map((c) => c.committed.why)).toEqual(["Writes a file."]);
    expect(extras).toEqual([]);
  });

  it("is not out of date when it lists a request this run did not happen to make", () => {
    const committed = [row("GET /me"), row("GET {uploadUrl}")];
    const { missing, changed, extras } = compareDocRows([row("GET /me")], committed);
    expect(missing).toEqual([]);
    expect(changed).toEqual([]);
    expect(extras.map((r) => r.request)).toEqual(["GET {uploadUrl}"]);
  });
});
