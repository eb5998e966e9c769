// The fake's own request log: what the app actually sent, for assertions in tests. Bearer
// tokens never reach it.
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
