import { GraphError } from "@microsoft/microsoft-graph-client";
import { describe, expect, it } from "vitest";
import { mapGraphError, retryAfterSeconds } from "../../../src/adapters/graph/graph-errors.js";
import { translate } from "../../../src/core/i18n/index.js";

function graphError(status: number, code: string, headers: Record<string, string> = {}) {
  const error = new GraphError(status, "message text we never branch on");
  error.code = code;
  error.headers = new Headers(headers);
  return error;
}

describe("mapGraphError", () => {
  it.each([
    [401, "InvalidAuthenticationToken", "auth_required", false],
    [403, "accessDenied", "access_denied", false],
    [404, "ErrorItemNotFound", "not_found", false],
    [409, "nameAlreadyExists", "conflict", false],
    [412, "resourceModified", "precondition_failed", false],
    [503, "serviceNotAvailable", "service_unavailable", true],
    [504, "gatewayTimeout", "timeout", true],
    [507, "quotaLimitReached", "quota_full", false],
  ])("maps %i %s to %s", (status, code, expected, retryable) => {
    const mapped = mapGraphError(graphError(status, code));
    expect(mapped.code).toBe(expected);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.params.graphCode).toBe(code);
  });

  it("carries Retry-After into a throttling message in both languages", () => {
    const mapped = mapGraphError(graphError(429, "TooManyRequests", { "Retry-After": "7" }));
    expect(mapped.code).toBe("throttled");
    expect(translate("en", mapped.messageKey, mapped.params)).toContain("7 s");
    expect(translate("fr", mapped.messageKey, mapped.params)).toContain("7 s");
  });

  it("treats a request that never got a response as a network error", () => {
    expect(mapGraphError(new GraphError(-1, "fetch failed")).code).toBe("network");
    expect(mapGraphError(new TypeError("Failed to fetch")).code).toBe("network");
  });

  it("keeps the cause", () => {
    const original = graphError(404, "itemNotFound");
    expect(mapGraphError(original).cause).toBe(original);
  });
});

describe("retryAfterSeconds", () => {
  it("reads seconds and HTTP dates", () => {
    const now = Date.parse("2026-11-25T10:00:00Z");
    expect(retryAfterSeconds("10", now)).toBe(10);
    expect(retryAfterSeconds("Wed, 25 Nov 2026 10:00:30 GMT", now)).toBe(30);
    expect(retryAfterSeconds(null, now)).toBe(0);
  });
});
