// What a drive failure says: about the item, or about the storage itself (the app folder or
// library refused, or no OneDrive yet); and an inner $batch answer as the error a plain request
// with the same answer would give.
import type { GraphRequest } from "@microsoft/microsoft-graph-client";
import { SeptError } from "../../../core/errors.js";
import { graphCall, graphErrorFrom } from "../graph-call.js";
import { mapGraphError } from "../graph-errors.js";
import type { RequestLimiter } from "../request-limiter.js";
import { isRecord } from "./drive-item.js";

export interface DriveErrors {
  /** A drive request under the limiter, its failure explained. */
  call<T>(signal: AbortSignal | undefined, request: () => Promise<T>): Promise<T>;
  /** The storage itself refused (the app folder, or the library), as `cause` showed. */
  refused(cause: SeptError): SeptError;
}

export function createDriveErrors(
  root: string,
  limiter: RequestLimiter,
  api: (url: string, signal: AbortSignal | undefined) => GraphRequest,
): DriveErrors {
  // The drive item the storage root lives in: the app folder itself, without a per-user path.
  const appFolder = root.replace(/:\/.*$/, "");
  // A SharePoint library is addressed by drive id; /me/drive and /users/{id}/drive are OneDrives.
  const inLibrary = appFolder.startsWith("/drives/");
  /** Once the app folder answered, a 404 means the item, not the drive. */
  let appFolderReachable = false;
  let probing: Promise<unknown> | null = null;

  const refused = (cause: SeptError): SeptError =>
    new SeptError(inLibrary ? "library_access_required" : "app_folder_refused", {
      message: `Graph refused the ${inLibrary ? "library" : "app folder"}: ${cause.message}`,
      params: cause.params,
      cause,
    });

  /**
   * Names what a drive failure says about the storage itself: a 403 or 404 whose app folder is
   * refused too is the app folder (or library) refused (observed: onedrive-api-docs#682, #1474); a
   * 404 whose app folder is missing too is a
   * user without a provisioned OneDrive ("mysite not found", msgraph-sdk-dotnet#579).
   */
  const explain = async (error: unknown, signal: AbortSignal | undefined): Promise<unknown> => {
    if (!(error instanceof SeptError)) return error;
    if (error.code !== "not_found" && error.code !== "access_denied") return error;
    // 404s are common (absent files) and look once; a 403 is rare and always looks, since an
    // admin may withdraw the folder while the pane is open.
    if (error.code === "not_found" && appFolderReachable) return error;
    // Failures arriving together share one look at the app folder.
    probing ??= graphCall(limiter, signal, () => api(appFolder, signal).select("id").get()).then(
      () => {
        appFolderReachable = true;
        return null;
      },
      (probe: unknown) => probe,
    );
    const probe = await probing.finally(() => {
      probing = null;
    });
    // The app folder answers: the failure is the item's own (a 403 on one file is not a refusal
    // of the whole folder).
    if (!(probe instanceof SeptError)) return error;
    if (probe.code === "access_denied") return refused(probe);
    if (error.code === "access_denied" || probe.code !== "not_found") return error;
    if (inLibrary) return refused(probe);
    return new SeptError("drive_not_provisioned", {
      message: `The user has no OneDrive yet: ${probe.message}`,
      params: probe.params,
      cause: error,
    });
  };

  return {
    refused,
    async call(signal, request) {
      try {
        const answer = await graphCall(limiter, signal, request);
        // An item under the app folder answered: so does the app folder (every call here is one).
        appFolderReachable = true;
        return answer;
      } catch (error) {
        throw await explain(error, signal);
      }
    },
  };
}

/** A header of an inner $batch response; their names come in any case. */
export function innerHeader(headers: unknown, name: string): string | null {
  if (!isRecord(headers)) return null;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === "string") return value;
  }
  return null;
}

/** An inner $batch failure as the SeptError the same answer to a plain request would give. */
export function innerError(status: number, headers: unknown, body: unknown): SeptError {
  const responseHeaders = new Headers();
  if (isRecord(headers)) {
    for (const [key, value] of Object.entries(headers)) {
      if (typeof value === "string") responseHeaders.set(key, value);
    }
  }
  let text = "";
  if (typeof body === "string") {
    // Non-JSON inner bodies travel base64-encoded.
    try {
      text = atob(body);
    } catch {
      text = body;
    }
  } else if (body !== undefined) {
    text = JSON.stringify(body);
  }
  const response = new Response(null, { status, headers: responseHeaders });
  return mapGraphError(graphErrorFrom(response, text));
}
