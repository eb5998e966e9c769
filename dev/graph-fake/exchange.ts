// The request/response pair every handler sees. Outer HTTP requests and $batch inner requests
// are both turned into a FakeRequest, so they share one router, one auth check and one set of
// faults.
import type { DevTokenClaims } from "./types.js";

export interface AuthUser {
  claims: DevTokenClaims;
  /** Delegated scopes (`scp`), or the application permissions (`roles`) of an app-only token. */
  scopes: Set<string>;
  /** An app-only token: no signed-in user, no `/me`. */
  app: boolean;
  /** `oid` (or `sub`): the signed-in user, or the app's service principal. */
  principalId: string;
}

/** The user whose mailbox or OneDrive a request addresses (`/me` or `/users/{id}`). */
export interface SubjectUser {
  id: string;
  upn: string;
  name: string;
  oneDrive: boolean;
}

export interface FakeRequest {
  method: string;
  /** Path as sent (percent-encoding kept), e.g. `/v1.0/me/messages`. */
  path: string;
  /** Raw query string without `?`. */
  rawQuery: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
  /** True for a $batch inner request. */
  inner: boolean;
  requestId: string;
  clientRequestId: string;
  /** Set by the auth step for /v1.0 requests. */
  user?: AuthUser;
  /** Set for `/me/…` and `/users/{id}/…` requests: whose mailbox or drive. */
  subject?: SubjectUser;
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  /** Raw bytes; `json` wins when both are set. */
  body?: Buffer;
  json?: unknown;
}

export const JSON_CONTENT_TYPE =
  "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

export function jsonResponse(
  status: number,
  json: unknown,
  headers: Record<string, string> = {},
): FakeResponse {
  return { status, headers, json };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers };
}

export function bytesResponse(
  status: number,
  body: Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): FakeResponse {
  return { status, headers: { "Content-Type": contentType, ...headers }, body };
}

/** Serializes a response body; JSON gets the OData content type unless one was set. */
export function encodeResponse(res: FakeResponse): {
  headers: Record<string, string>;
  body: Buffer;
} {
  const headers = { ...res.headers };
  if (res.json !== undefined) {
    if (!hasHeader(headers, "content-type")) headers["Content-Type"] = JSON_CONTENT_TYPE;
    return { headers, body: Buffer.from(JSON.stringify(res.json), "utf8") };
  }
  return { headers, body: res.body ?? Buffer.alloc(0) };
}

export function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((k) => k.toLowerCase() === lower);
}

export function parseJsonBody(req: FakeRequest): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString("utf8")) as unknown;
  } catch {
    return Symbol.for("invalid-json");
  }
}

export const INVALID_JSON = Symbol.for("invalid-json");

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
