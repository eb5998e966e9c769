// Reading a file: its metadata from Graph, then its bytes from the download URL it names.
import { SeptError } from "../../../core/errors.js";
import type { StoredFile } from "../../../core/ports/storage.js";
import { sleep } from "../request-limiter.js";
import type { DriveContext } from "./context.js";
import { isRecord, toStoredFile } from "./drive-item.js";
import { parsePath } from "./paths.js";
import type { DirectTransfer } from "./transfer.js";

export type ReadFile = (
  path: string,
  signal: AbortSignal | undefined,
) => Promise<{ bytes: Uint8Array; file: StoredFile }>;

export type Download = (url: string, signal: AbortSignal | undefined) => Promise<Uint8Array>;

/** The bytes at a pre-authenticated download URL, retried as the SDK would retry a request. */
export function createDownload(transfer: DirectTransfer): Download {
  const { attempt, direct, replyError, retryDelayMs, maxRetries } = transfer;
  return async (url, signal) => {
    for (let failures = 0; ;) {
      const outcome = await attempt(() => direct(url, { method: "GET" }, signal), signal);
      if (!(outcome instanceof SeptError) && outcome.response.ok) return outcome.bytes;
      const error = outcome instanceof SeptError ? outcome : replyError(outcome);
      if (!error.retryable || failures >= maxRetries) throw error;
      failures += 1;
      await sleep(
        retryDelayMs(outcome instanceof SeptError ? undefined : outcome.response, failures),
        signal,
      );
    }
  };
}

/** The download URL a driveItem names; a folder, or an item without one, is an error. */
export function downloadUrlOf(item: unknown, path: string): string {
  const url = isRecord(item) ? item["@microsoft.graph.downloadUrl"] : undefined;
  if (typeof url === "string") return url;
  if (isRecord(item) && item.file === undefined) {
    throw new SeptError("bad_request", { message: `'${path}' has no content to download.` });
  }
  throw new SeptError("unknown", {
    message: `Graph answered '${path}' without a download URL.`,
    params: { reason: "no_download_url" },
  });
}

export function createFileReader(drive: DriveContext, download: Download): ReadFile {
  /**
   * Two requests, on purpose: `GET …:/content` answers 302 to the download host, and a browser
   * cannot follow a cross-origin redirect of a request that needed a CORS preflight (our
   * Authorization header), so the pane reads `@microsoft.graph.downloadUrl` and fetches it itself
   * (OneDrive's CORS guide, concepts/working-with-cors.md). The item is asked for without
   * `$select`: with `$select=…,@microsoft.graph.downloadUrl` OneDrive for Business and SharePoint
   * are reported to leave the URL out (microsoft-graph-docs-contrib#1387). The metadata also gives
   * readJson the eTag it returns.
   */
  return async (path, signal) => {
    const segments = parsePath(path, "file");
    await drive.ready(signal);
    const item: unknown = await drive.call(signal, () =>
      drive.api(drive.pathUrl(segments), signal).get(),
    );
    const file = toStoredFile(item, segments.slice(0, -1));
    return { bytes: await download(downloadUrlOf(item, path), signal), file };
  };
}
