import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import type { AuthPort } from "../../core/ports/auth.js";

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com/v1.0, or the Graph fake's https://localhost:3001/v1.0 */
  graphBaseUrl: string;
  auth: AuthPort;
  scopes: readonly string[];
  /** The SDK's RetryHandler settings for 429/503/504 (it honours Retry-After). */
  retry?: { delaySeconds?: number; maxRetries?: number };
}

/** Splits ".../v1.0" into the SDK's baseUrl and defaultVersion. */
export function splitGraphBaseUrl(graphBaseUrl: string): { baseUrl: string; version: string } {
  const url = new URL(graphBaseUrl);
  const segments = url.pathname.split("/").filter(Boolean);
  const version = segments.pop() ?? "v1.0";
  url.pathname = segments.length ? `/${segments.join("/")}/` : "/";
  return { baseUrl: url.toString(), version };
}

/**
 * A token Graph refuses (401: revoked, or clock skew) is not sent again: get a new one, once,
 * and replay the request. Without this, every request fails until the cached token expires.
 */
class ReauthenticateOnUnauthorized implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly auth: AuthPort,
    private readonly scopes: readonly string[],
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error("ReauthenticateOnUnauthorized needs a next middleware");
    await this.next.execute(context);
    if (context.response?.status !== 401) return;
    await this.auth.getAccessToken(this.scopes, { forceRefresh: true });
    // The SDK appends its Authorization header: drop the refused one before the replay adds anew.
    const headers = context.options?.headers;
    if (headers instanceof Headers) headers.delete("Authorization");
    else if (headers && !Array.isArray(headers))
      delete (headers as Record<string, string>).Authorization;
    if (typeof context.request !== "string") context.request.headers.delete("Authorization");
    await this.next.execute(context);
  }
}

/**
 * The Graph JS client with its own retry, redirect and telemetry middleware. The SDK attaches
 * the bearer only to Graph hosts and `customHosts`, so a non-Microsoft host (the local fake) is
 * named there; upload-session URLs on other hosts correctly get no token.
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const { baseUrl, version } = splitGraphBaseUrl(options.graphBaseUrl);
  const host = new URL(baseUrl).hostname;
  const authProvider: AuthenticationProvider = {
    getAccessToken: () => options.auth.getAccessToken(options.scopes),
  };
  // The SDK defaults (3 s, 3 retries), written out because its constants are private.
  const retry = new RetryHandlerOptions(
    options.retry?.delaySeconds ?? 3,
    options.retry?.maxRetries ?? 3,
  );
  const middleware = [
    new ReauthenticateOnUnauthorized(options.auth, options.scopes),
    new AuthenticationHandler(authProvider),
    new RetryHandler(retry),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({
    middleware,
    baseUrl,
    defaultVersion: version,
    customHosts: host.endsWith("graph.microsoft.com") ? undefined : new Set([host]),
  });
}
