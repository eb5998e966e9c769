// What every part of the drive storage shares: the client, the request limiter, the paths below
// the root and drive calls whose failures are explained.
import type { Client, GraphRequest } from "@microsoft/microsoft-graph-client";
import { graphCall } from "../graph-call.js";
import type { RequestLimiter } from "../request-limiter.js";
import { createDriveErrors, type DriveErrors } from "./errors.js";
import { createDrivePaths, type DrivePaths } from "./paths.js";

export interface DriveContext extends DrivePaths, DriveErrors {
  limiter: RequestLimiter;
  /** A Graph request for `url`, cancelled with `signal`. */
  api(url: string, signal: AbortSignal | undefined): GraphRequest;
}

export function createDriveContext(
  client: Client,
  root: string,
  limiter: RequestLimiter,
  perUserFolder: boolean,
): DriveContext {
  const api = (url: string, signal: AbortSignal | undefined): GraphRequest => {
    const request = client.api(url);
    return signal ? request.option("signal", signal) : request;
  };
  const askUserId = perUserFolder
    ? (signal: AbortSignal | undefined) =>
        graphCall(limiter, signal, () => api("/me", signal).select("id").get())
    : undefined;
  const paths = createDrivePaths(root, askUserId);
  const errors = createDriveErrors(root, limiter, api);
  return {
    limiter,
    api,
    ready: paths.ready,
    pathUrl: paths.pathUrl,
    call: errors.call,
    refused: errors.refused,
  };
}
