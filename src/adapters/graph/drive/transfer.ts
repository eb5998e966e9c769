// Requests to pre-authenticated URLs (upload sessions, downloads): plain fetch under the limiter,
// and the retry delays that the SDK's RetryHandler, which never sees them, would have applied.
import { SeptError } from "../../../core/errors.js";
import { asSeptError, graphErrorFrom } from "../graph-call.js";
import { mapGraphError, retryAfterSeconds } from "../graph-errors.js";
import { throwIfAborted, type RequestLimiter } from "../request-limiter.js";

/** The SDK's own cap on Retry-After; we apply the same to the requests it does not retry. */
export const MAX_RETRY_AFTER_SECONDS = 180;

/** The answer of a pre-authenticated URL, body read in full while the request held its slot. */
export interface DirectReply {
  response: Response;
  bytes: Uint8Array;
}

export interface DirectTransfer {
  /** Failed attempts retried before the failure is thrown. */
  maxRetries: number;
  /**
   * A request to a pre-authenticated URL: plain fetch, because the URL carries its own
   * credential and a bearer token must not reach that host.
   */
  direct(url: string, init: RequestInit, signal?: AbortSignal): Promise<DirectReply>;
  /** Sends `request`; a thrown fetch failure comes back as an error value so callers can retry. */
  attempt(
    request: () => Promise<DirectReply>,
    signal: AbortSignal | undefined,
  ): Promise<DirectReply | SeptError>;
  /** A reply's error status as the SeptError Graph's answer maps to. */
  replyError(reply: DirectReply): SeptError;
  /** Wait before retry `failures`: Retry-After when given, else `delaySeconds` doubling. */
  retryDelayMs(response: Response | undefined, failures: number): number;
}

export function createDirectTransfer(
  limiter: RequestLimiter,
  options: { fetch?: typeof fetch; maxRetries?: number; delaySeconds?: number },
): DirectTransfer {
  const maxRetries = options.maxRetries ?? 3;
  const delaySeconds = options.delaySeconds ?? 3;
  const fetchDirect: typeof fetch =
    options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  return {
    maxRetries,

    direct: (url, init, signal) =>
      limiter.run(async () => {
        const response = await fetchDirect(url, { ...init, credentials: "omit", signal });
        return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
      }, signal),

    async attempt(request, signal) {
      throwIfAborted(signal);
      try {
        return await request();
      } catch (error) {
        const septError = asSeptError(error, signal);
        if (septError.code === "cancelled") throw septError;
        return septError;
      }
    },

    replyError: (reply) =>
      mapGraphError(graphErrorFrom(reply.response, new TextDecoder().decode(reply.bytes))),

    retryDelayMs(response, failures) {
      const header = response?.headers.get("Retry-After");
      const seconds =
        header !== null && header !== undefined
          ? retryAfterSeconds(header)
          : delaySeconds * 2 ** (failures - 1);
      return Math.min(seconds, MAX_RETRY_AFTER_SECONDS) * 1000;
    },
  };
}
