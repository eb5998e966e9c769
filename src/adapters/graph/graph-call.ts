import { GraphError } from "@microsoft/microsoft-graph-client";
import { SeptError } from "../../core/errors.js";
import { mapGraphError } from "./graph-errors.js";
import { cancelledError, throwIfAborted, type RequestLimiter } from "./request-limiter.js";

/**
 * Runs one Graph request under the limiter. Whatever fails comes out as a SeptError: `cancelled`
 * when the caller's signal aborted (the SDK reports an aborted fetch as a statusless GraphError,
 * which would otherwise read as a network failure), else `mapGraphError`.
 */
export async function graphCall<T>(
  limiter: RequestLimiter,
  signal: AbortSignal | undefined,
  request: () => Promise<T>,
): Promise<T> {
  throwIfAborted(signal);
  try {
    return await limiter.run(request, signal);
  } catch (error) {
    throw asSeptError(error, signal);
  }
}

export function asSeptError(error: unknown, signal: AbortSignal | undefined): SeptError {
  if (signal?.aborted && !(error instanceof SeptError && error.code === "cancelled")) {
    return cancelledError(error);
  }
  return mapGraphError(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The SDK only builds a GraphError from a body it parsed itself; raw responses (binary reads
 * through the SDK, and pre-authenticated URLs fetched directly) come through here instead, so
 * `mapGraphError` sees the same status, error code and Retry-After either way.
 */
export function graphErrorFrom(response: Response, bodyText: string): GraphError {
  let body: unknown = null;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = null;
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const message = typeof error.message === "string" ? error.message : response.statusText;
  const graphError = new GraphError(response.status, message);
  graphError.code = typeof error.code === "string" ? error.code : null;
  const inner = isRecord(error.innerError) ? error.innerError : {};
  graphError.requestId = typeof inner["request-id"] === "string" ? inner["request-id"] : null;
  graphError.headers = response.headers;
  graphError.body = bodyText;
  return graphError;
}

export async function graphErrorFromResponse(response: Response): Promise<GraphError> {
  let text = "";
  try {
    text = await response.text();
  } catch {
    // A body that cannot be read leaves the status to speak for itself.
  }
  return graphErrorFrom(response, text);
}

/** The bytes of a successful raw response; an error status becomes a thrown GraphError. */
export async function responseBytes(response: Response): Promise<Uint8Array> {
  if (!response.ok) throw await graphErrorFromResponse(response);
  return new Uint8Array(await response.arrayBuffer());
}
