// The fake's own request log: what the app actually sent, for assertions in tests. Bearer
// tokens never reach it.
import { appendFileSync } from "node:fs";
import type { LoggedRequest } from "./types.js";

const MAX_ENTRIES = 10_000;

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k.toLowerCase()] = k.toLowerCase() === "authorization" ? redact(v) : v;
  }
  return out;
}

function redact(value: string): string {
  return /^Bearer\s/i.test(value) ? "Bearer <redacted>" : "<redacted>";
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  add(entry: Omit<LoggedRequest, "seq">): void {
    this.entries.push({ seq: ++this.seq, ...entry });
    // Bounded so a long demo session doesn't grow without limit.
    if (this.entries.length > MAX_ENTRIES)
      this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  all(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e, headers: { ...e.headers } }));
  }

  clear(): void {
    this.entries = [];
  }
}

/**
 * Conformance hook: with `SEPT_GRAPH_REQUEST_LOG` set (by `npm test`), each outer request's shape
 * goes to that file as a JSON line, with a $batch's inner requests, for
 * scripts/graph-conformance to check against Graph's metadata. Requests a test sends itself to
 * probe the fake carry `x-sept-probe` (test/support/graph-fake.ts) and are marked so.
 */
export function appendRequestShape(req: {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string>;
  body: Buffer;
  inner: boolean;
}): void {
  const file = process.env.SEPT_GRAPH_REQUEST_LOG;
  if (!file || req.inner) return;
  let batch: unknown;
  if (/\/(\$|%24)batch$/.test(req.path)) {
    try {
      const { requests } = JSON.parse(req.body.toString("utf8")) as { requests: unknown[] };
      batch = requests.map((r) => {
        const { method, url, headers } = r as Record<string, unknown>;
        const type = Object.entries((headers ?? {}) as Record<string, unknown>).find(
          ([k]) => k.toLowerCase() === "content-type",
        )?.[1];
        return { method, url, ...(type === undefined ? {} : { contentType: type }) };
      });
    } catch {
      batch = "unreadable";
    }
  }
  const line = {
    method: req.method,
    path: req.path,
    query: req.rawQuery,
    ...(req.headers["x-sept-probe"] ? { probe: true } : {}),
    ...(batch === undefined ? {} : { batch }),
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
