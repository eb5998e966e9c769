// JSON $batch (contract §4): ≤20 requests with unique ids, relative urls, Content-Type with every
// body, dependsOn honoured (a failed dependency answers 424). Inner requests run through the same
// pipeline as outer ones (auth from the outer request, faults applied one by one), at most four at
// a time as Outlook does.
import { randomUUID } from "node:crypto";
import { GraphError, errorBody } from "./errors.js";
import {
  INVALID_JSON,
  encodeResponse,
  isRecord,
  jsonResponse,
  parseJsonBody,
  type FakeRequest,
  type FakeResponse,
} from "./exchange.js";
import type { Route } from "./router.js";

export const MAX_BATCH_REQUESTS = 20;
const INNER_CONCURRENCY = 4;

interface InnerSpec {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

function bad(message: string): GraphError {
  return new GraphError(400, "BadRequest", message);
}

function parseRequests(payload: unknown): InnerSpec[] {
  if (payload === INVALID_JSON || !isRecord(payload) || !Array.isArray(payload.requests)) {
    throw bad("Invalid batch payload format.");
  }
  const list = payload.requests as unknown[];
  if (list.length === 0) throw bad("A batch must contain at least one request.");
  if (list.length > MAX_BATCH_REQUESTS) {
    throw bad(`The number of batch requests exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
  }
  const seen = new Set<string>();
  const specs = list.map((raw): InnerSpec => {
    if (!isRecord(raw)) throw bad("Each batch request must be an object.");
    const { id, method, url } = raw;
    if (typeof id !== "string" || id === "") throw bad("Each batch request needs a string 'id'.");
    if (seen.has(id.toLowerCase())) throw bad(`Batch request id '${id}' is not unique.`);
    seen.add(id.toLowerCase());
    if (typeof method !== "string" || !/^(GET|PUT|POST|PATCH|DELETE)$/i.test(method)) {
      throw bad(`Batch request '${id}' has an invalid method.`);
    }
    if (typeof url !== "string" || url === "") throw bad(`Batch request '${id}' needs a 'url'.`);
    if (/^[a-z][a-z0-9+.-]*:/i.test(url))
      throw bad(`Batch request '${id}': the url must be relative.`);
    const headers: Record<string, string> = {};
    if (raw.headers !== undefined) {
      if (!isRecord(raw.headers)) throw bad(`Batch request '${id}': headers must be an object.`);
      for (const [k, v] of Object.entries(raw.headers)) headers[k.toLowerCase()] = String(v);
    }
    if (raw.body !== undefined && raw.body !== null && headers["content-type"] === undefined) {
      throw bad(`Batch request '${id}': a body requires a Content-Type header.`);
    }
    let dependsOn: string[] = [];
    if (raw.dependsOn !== undefined) {
      if (!Array.isArray(raw.dependsOn) || !raw.dependsOn.every((d) => typeof d === "string")) {
        throw bad(`Batch request '${id}': dependsOn must be an array of ids.`);
      }
      dependsOn = raw.dependsOn as string[];
    }
    return { id, method: method.toUpperCase(), url, headers, body: raw.body, dependsOn };
  });
  const byId = new Map(specs.map((s) => [s.id.toLowerCase(), s]));
  for (const s of specs) {
    for (const d of s.dependsOn) {
      if (!byId.has(d.toLowerCase()))
        throw bad(`Batch request '${s.id}' depends on unknown id '${d}'.`);
    }
  }
  // Reject cycles up front: they would wait forever.
  const state = new Map<string, "visiting" | "done">();
  const visit = (s: InnerSpec) => {
    const key = s.id.toLowerCase();
    if (state.get(key) === "done") return;
    if (state.get(key) === "visiting") throw bad("Batch dependsOn has a cycle.");
    state.set(key, "visiting");
    for (const d of s.dependsOn) visit(byId.get(d.toLowerCase())!);
    state.set(key, "done");
  };
  specs.forEach(visit);
  return specs;
}

function innerBody(spec: InnerSpec): Buffer {
  if (spec.body === undefined || spec.body === null) return Buffer.alloc(0);
  const type = spec.headers["content-type"] ?? "";
  if (/json/i.test(type)) {
    return Buffer.from(
      typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body),
      "utf8",
    );
  }
  // Non-JSON bodies travel base64-encoded in JSON batching.
  return typeof spec.body === "string"
    ? Buffer.from(spec.body, "base64")
    : Buffer.from(JSON.stringify(spec.body), "utf8");
}

function toInner(outer: FakeRequest, spec: InnerSpec): FakeRequest {
  let url = spec.url.startsWith("/") ? spec.url : `/${spec.url}`;
  // BatchRequestContent strips only scheme and host, so "/v1.0/me" arrives too.
  url = url.replace(/^\/v1\.0(?=\/|$)/, "");
  const q = url.indexOf("?");
  const path = `/v1.0${q < 0 ? url : url.slice(0, q)}`;
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  const headers = { ...spec.headers };
  if (outer.headers.authorization !== undefined)
    headers.authorization = outer.headers.authorization;
  return {
    method: spec.method,
    path,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    body: innerBody(spec),
    inner: true,
    requestId: randomUUID(),
    clientRequestId: headers["client-request-id"] ?? outer.clientRequestId,
  };
}

function innerResult(id: string, res: FakeResponse) {
  const { headers, body } = encodeResponse(res);
  const entry: Record<string, unknown> = { id, status: res.status, headers };
  if (res.json !== undefined) entry.body = res.json;
  else if (body.length > 0) entry.body = body.toString("base64");
  return entry;
}

export function batchRoute(runInner: (req: FakeRequest) => Promise<FakeResponse>): Route {
  return {
    methods: ["POST"],
    pattern: /^\/v1\.0\/(?:\$|%24)batch$/,
    scope: "none",
    handler: async (outer) => {
      const specs = parseRequests(parseJsonBody(outer));
      for (const s of specs) {
        if (/^\/?(v1\.0\/)?(\$|%24)batch/.test(s.url))
          throw bad("Nested batches are not supported.");
      }
      const byId = new Map(specs.map((s) => [s.id.toLowerCase(), s]));
      const running = new Map<string, Promise<FakeResponse>>();
      const responses: unknown[] = [];
      let active = 0;
      const waiters: Array<() => void> = [];
      const slot = async () => {
        while (active >= INNER_CONCURRENCY) await new Promise<void>((r) => waiters.push(r));
        active++;
      };
      const release = () => {
        active--;
        waiters.shift()?.();
      };
      const run = (spec: InnerSpec): Promise<FakeResponse> => {
        const key = spec.id.toLowerCase();
        let p = running.get(key);
        if (p) return p;
        p = (async () => {
          const deps = await Promise.all(
            spec.dependsOn.map((d) => run(byId.get(d.toLowerCase())!)),
          );
          let res: FakeResponse;
          if (deps.some((d) => d.status >= 400)) {
            const message = "A request this request depends on failed.";
            res = jsonResponse(
              424,
              errorBody("FailedDependency", message, randomUUID(), outer.clientRequestId),
            );
          } else {
            await slot();
            try {
              res = await runInner(toInner(outer, spec));
            } finally {
              release();
            }
          }
          responses.push(innerResult(spec.id, res));
          return res;
        })();
        running.set(key, p);
        return p;
      };
      await Promise.all(specs.map(run));
      return jsonResponse(200, { responses });
    },
  };
}
