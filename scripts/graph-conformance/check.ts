// The conformance check over the request log the Graph fake writes under `npm test`
// (dev/graph-fake/request-log.ts, appendRequestShape): every request the add-in made, reduced to
// its shape, resolved against Graph's CSDL and the allow-list, with the permission it needs.
import { readFileSync } from "node:fs";
import { ALLOW_LIST, type AllowListId } from "./allow-list.js";
import type { GraphModel } from "./csdl-model.js";
import { resolveRequest, type Resolution } from "./resolve.js";
import { scopeOf, type ScopeRule } from "./scopes.js";

/** One line of the log. */
export interface RequestRecord {
  method: string;
  /** As the fake saw it: `/v1.0/…`, or a pre-authenticated `/_upload/…`, `/_download/…`. */
  path: string;
  query: string;
  /** Sent by a test to probe the fake, not by the add-in: not checked. */
  probe?: boolean;
  /** A $batch's inner requests, or "unreadable". */
  batch?: Array<{ method?: unknown; url?: unknown; contentType?: unknown }> | "unreadable";
}

export interface CheckedShape {
  /** `[$batch] ` prefixed for inner requests. */
  key: string;
  inBatch: boolean;
  method: string;
  template: string;
  queryShape: string;
  target: string;
  allowances: AllowListId[];
  problems: string[];
  scope?: ScopeRule;
  /** How many logged requests had this shape. */
  count: number;
  /** One raw example, for a failure report. */
  example: string;
}

export interface CheckResult {
  requests: number;
  probes: number;
  shapes: CheckedShape[];
  failures: CheckedShape[];
}

/** Where the fake serves pre-authenticated URLs (in Microsoft 365 they are on other hosts). */
function preAuthenticated(method: string, path: string): Resolution | null {
  const kind = /^\/_upload\//.test(path)
    ? "upload"
    : /^\/_download\//.test(path)
      ? "download"
      : null;
  if (!kind) return null;
  const entry = kind === "upload" ? ALLOW_LIST.uploadUrl : ALLOW_LIST.downloadUrl;
  const allowed = kind === "upload" ? ["PUT", "GET", "DELETE"] : ["GET"];
  const template = kind === "upload" ? "{uploadUrl}" : "{downloadUrl}";
  return {
    shape: `${method} ${template}`,
    method,
    template,
    queryShape: "",
    target: `${kind} URL`,
    allowances: [entry.id],
    problems: allowed.includes(method)
      ? []
      : [
          `${method} does not apply to a pre-authenticated ${kind} URL (allowed: ${allowed.join(", ")})`,
        ],
  };
}

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf("?");
  return q < 0 ? { path: url, query: "" } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

export function checkRecords(model: GraphModel, records: Iterable<RequestRecord>): CheckResult {
  const shapes = new Map<string, CheckedShape>();
  let requests = 0;
  let probes = 0;
  const add = (resolution: Resolution, inBatch: boolean, example: string, extra: string[] = []) => {
    const key = `${inBatch ? "[$batch] " : ""}${resolution.shape}`;
    const existing = shapes.get(key);
    if (existing) {
      existing.count += 1;
      for (const p of extra) if (!existing.problems.includes(p)) existing.problems.push(p);
      return;
    }
    const scope = scopeOf(`${resolution.method} ${resolution.template}`);
    const problems = [...resolution.problems, ...extra];
    if (!scope && problems.length === 0) {
      problems.push(
        "no permission and reason for this shape: add one to scripts/graph-conformance/scopes.ts",
      );
    }
    shapes.set(key, {
      key,
      inBatch,
      method: resolution.method,
      template: resolution.template,
      queryShape: resolution.queryShape,
      target: resolution.target,
      allowances: resolution.allowances,
      problems,
      ...(scope ? { scope } : {}),
      count: 1,
      example,
    });
  };

  for (const record of records) {
    if (record.probe) {
      probes += 1;
      continue;
    }
    requests += 1;
    const method = record.method.toUpperCase();
    const example = `${method} ${record.path}${record.query ? `?${record.query}` : ""}`;
    const direct = preAuthenticated(method, record.path);
    if (direct) {
      add(direct, false, example);
      continue;
    }
    const version = /^\/v1\.0(?=\/|$)/.exec(record.path);
    if (!version) {
      add(
        {
          ...resolveRequest(model, { method, path: record.path, query: record.query }),
          problems: [`'${record.path}' is not below /v1.0`],
        },
        false,
        example,
      );
      continue;
    }
    const path = record.path.slice(version[0].length);
    const outer = resolveRequest(model, { method, path, query: record.query });
    const extra: string[] = [];
    if (record.batch === "unreadable") extra.push("a $batch body that is not JSON with `requests`");
    add(outer, false, example, extra);
    if (!Array.isArray(record.batch)) continue;
    for (const inner of record.batch) {
      const innerMethod = typeof inner.method === "string" ? inner.method.toUpperCase() : "?";
      const url = typeof inner.url === "string" ? inner.url : "";
      const { path: innerPath, query } = splitUrl(url.replace(/^\/?(v1\.0\/)?/, "/"));
      const resolution = resolveRequest(model, {
        method: innerMethod,
        path: innerPath,
        query,
        inBatch: true,
      });
      const innerProblems: string[] = [];
      if (typeof inner.contentType === "string" && !/json/i.test(inner.contentType)) {
        innerProblems.push(
          `a non-JSON body (${inner.contentType}) inside $batch: JSON writes only`,
        );
      }
      add(resolution, true, `${innerMethod} ${url} (in $batch)`, innerProblems);
    }
  }
  // Code-point order, so the generated document is the same in every locale.
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...shapes.values()].sort(
    (a, b) =>
      cmp(a.template, b.template) ||
      cmp(a.method, b.method) ||
      Number(a.inBatch) - Number(b.inBatch) ||
      cmp(a.queryShape, b.queryShape),
  );
  return {
    requests,
    probes,
    shapes: sorted,
    failures: sorted.filter((s) => s.problems.length > 0),
  };
}

export function readRequestLog(file: string): RequestRecord[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const records: RequestRecord[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      records.push(JSON.parse(line) as RequestRecord);
    } catch {
      // A line cut short by a killed worker: the rest of the log still counts.
    }
  }
  return records;
}

/** A few lines for the terminal: what was checked and each failure with an example. */
export function summarise(result: CheckResult, maxFailures = 20): string[] {
  const lines = [
    `Graph conformance: ${result.shapes.length} distinct request shapes checked against Graph v1.0 metadata (${result.requests} requests; ${result.probes} test probes of the fake not counted).`,
  ];
  if (result.failures.length === 0) {
    lines.push("Graph conformance: every request resolves.");
    return lines;
  }
  lines.push(`Graph conformance: ${result.failures.length} shape(s) do not resolve:`);
  for (const f of result.failures.slice(0, maxFailures)) {
    lines.push(`  ✗ ${f.key}  (e.g. ${f.example.slice(0, 160)})`);
    for (const p of f.problems) lines.push(`      - ${p}`);
  }
  if (result.failures.length > maxFailures) {
    lines.push(`  … and ${result.failures.length - maxFailures} more`);
  }
  return lines;
}
