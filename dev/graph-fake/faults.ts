// Fault injection: a queue of deterministic faults, then seeded random rates. The PRNG is reset by
// setFaults so the same config and the same request sequence give the same faults.
import { GraphError } from "./errors.js";
import type { FaultConfig, FaultQueueEntry } from "./types.js";

export type FaultDecision = { kind: "drop" } | { kind: "error"; error: GraphError };

const DEFAULT_MATCH = /^[A-Z]+ \/(v1\.0|_upload)(\/|$)/;

/** mulberry32: tiny, fast and good enough to spread faults. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Area = "mail" | "drive" | "other";

function areaOf(path: string): Area {
  if (/\/(messages|mailFolders|translateExchangeIds)(\/|$)/i.test(path)) return "mail";
  if (/^\/(v1\.0\/(me\/drive|drives)|_upload|_download)(\/|$)/.test(path)) return "drive";
  return "other";
}

export function faultError(
  status: FaultQueueEntry["status"],
  path: string,
  retryAfterSeconds: number | undefined,
): GraphError {
  const area = areaOf(path);
  const retry: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) };
  switch (status) {
    case 429:
      return area === "drive"
        ? new GraphError(
            429,
            "activityLimitReached",
            "The request has been throttled",
            undefined,
            retry,
          )
        : new GraphError(429, "TooManyRequests", "Please retry again later.", undefined, retry);
    case 503:
      return new GraphError(503, "serviceNotAvailable", "Service unavailable", undefined, retry);
    case 504:
      return new GraphError(
        504,
        "gatewayTimeout",
        "The operation has timed out.",
        undefined,
        retry,
      );
    case 401:
      return new GraphError(
        401,
        "InvalidAuthenticationToken",
        "Lifetime validation failed, the token is expired.",
      );
    case 403:
      return area === "mail"
        ? new GraphError(
            403,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
          )
        : new GraphError(403, "accessDenied", "Access denied");
    case 404:
      return area === "mail"
        ? new GraphError(
            404,
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
          )
        : new GraphError(404, "itemNotFound", "The resource could not be found.");
    case 507:
      return new GraphError(507, "quotaLimitReached", "Insufficient Space Available");
    default:
      return new GraphError(500, "generalException", "Unexpected fault");
  }
}

export class FaultEngine {
  private config: FaultConfig = {};
  private queue: Array<FaultQueueEntry & { remaining: number; regex: RegExp }> = [];
  private matchRegex = DEFAULT_MATCH;
  private random = prng(1);

  constructor(initial?: FaultConfig) {
    this.set(initial ?? {});
  }

  set(config: FaultConfig): void {
    // Compile first so a bad regex leaves the old config in place.
    const matchRegex = config.match ? new RegExp(config.match) : DEFAULT_MATCH;
    const queue = (config.queue ?? []).map((e) => ({
      ...e,
      remaining: e.times ?? 1,
      regex: e.match ? new RegExp(e.match) : DEFAULT_MATCH,
    }));
    this.config = structuredClone(config);
    this.matchRegex = matchRegex;
    this.queue = queue;
    this.random = prng(config.seed ?? 1);
  }

  /** The current config, with queue entries showing how many times they have left. */
  get(): FaultConfig {
    const { queue: _unused, ...rest } = this.config;
    const queue = this.queue.map(({ remaining, regex: _r, ...e }) => ({ ...e, times: remaining }));
    return queue.length > 0 ? { ...rest, queue } : rest;
  }

  get current(): Readonly<FaultConfig> {
    return this.config;
  }

  latencyFor(method: string, path: string): number {
    const ms = this.config.latencyMs ?? 0;
    return ms > 0 && this.matchRegex.test(`${method} ${path}`) ? ms : 0;
  }

  /** The fault for this request, if any. Inner $batch requests cannot be dropped (no socket). */
  decide(method: string, path: string, inner: boolean): FaultDecision | null {
    const key = `${method} ${path}`;
    const index = this.queue.findIndex((e) => (!inner || e.status !== "drop") && e.regex.test(key));
    const entry = index >= 0 ? this.queue[index] : undefined;
    if (entry) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.queue.splice(index, 1);
      if (entry.status === "drop") return { kind: "drop" };
      const retryAfter =
        entry.retryAfterSeconds ??
        (entry.status === 429 ? (this.config.retryAfterSeconds ?? 1) : undefined);
      return { kind: "error", error: faultError(entry.status, path, retryAfter) };
    }
    if (!this.matchRegex.test(key)) return null;
    const c = this.config;
    if (!c.rate429 && !c.rate503 && !c.rate504 && !c.rateDrop) return null;
    const r = this.random();
    let edge = c.rate429 ?? 0;
    if (r < edge) {
      return { kind: "error", error: faultError(429, path, c.retryAfterSeconds ?? 1) };
    }
    edge += c.rate503 ?? 0;
    if (r < edge) return { kind: "error", error: faultError(503, path, undefined) };
    edge += c.rate504 ?? 0;
    if (r < edge) return { kind: "error", error: faultError(504, path, undefined) };
    edge += c.rateDrop ?? 0;
    if (r < edge && !inner) return { kind: "drop" };
    return null;
  }
}
