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
