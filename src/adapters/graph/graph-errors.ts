import { GraphError } from "@microsoft/microsoft-graph-client";
import { SeptError, type ErrorCode } from "../../core/errors.js";

const byStatus: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "auth_required",
  403: "access_denied",
  404: "not_found",
  409: "conflict",
  410: "not_found",
  412: "precondition_failed",
  413: "too_large",
  416: "conflict",
  429: "throttled",
  503: "service_unavailable",
  504: "timeout",
  507: "quota_full",
};

const retryableCodes = new Set<ErrorCode>([
  "throttled",
  "service_unavailable",
  "timeout",
  "network",
]);

/** Retry-After in seconds from a header value that is either seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Turns whatever the Graph client threw into a SeptError, branching on status and code only. */
export function mapGraphError(error: unknown): SeptError {
  if (error instanceof SeptError) return error;
  if (error instanceof GraphError) {
    // The SDK reports a failed fetch (no response at all) with statusCode -1.
    const code: ErrorCode =
      error.statusCode <= 0 ? "network" : (byStatus[error.statusCode] ?? "unknown");
    const params: Record<string, string | number> = { status: error.statusCode };
    if (code === "throttled") {
      params.seconds = retryAfterSeconds(error.headers?.get("Retry-After")) || 1;
    }
    return new SeptError(code, {
      message: `Graph ${error.statusCode} ${error.code ?? ""}: ${error.message}`.trim(),
      cause: error,
      params: { ...params, graphCode: error.code ?? "" },
      retryable: retryableCodes.has(code),
    });
  }
  if (error instanceof TypeError) {
    return new SeptError("network", { message: error.message, cause: error, retryable: true });
  }
  return new SeptError("unknown", { message: String(error), cause: error });
}
