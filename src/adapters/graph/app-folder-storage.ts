// SEPT storage in the OneDrive app folder (or an admin-chosen SharePoint library) through
// Microsoft Graph, assembled from drive/: paths, drive-item parsing, errors, stat and list,
// pre-authenticated transfers (download, upload session), simple uploads, $batch, removal,
// readMany, readJsonMany and writeMany.
import type { Client } from "@microsoft/microsoft-graph-client";
import { SeptError } from "../../core/errors.js";
import type { StoragePort } from "../../core/ports/storage.js";
import { createBatchSender } from "./drive/batch.js";
import { createDriveContext } from "./drive/context.js";
import { createDownload, createFileReader } from "./drive/download.js";
import { listFolder, MAX_PAGE_SIZE, statFile } from "./drive/list.js";
import { createReadMany, jsonOf } from "./drive/read-many.js";
import { createDriveRemoval } from "./drive/remove.js";
import { createFileWriter, createSimpleUpload } from "./drive/upload.js";
import {
  createSessionUpload,
  DEFAULT_UPLOAD_CHUNK_BYTES,
  validChunkBytes,
} from "./drive/upload-session.js";
import { createDirectTransfer } from "./drive/transfer.js";
import { createWriteMany } from "./drive/write-many.js";
import {
  DEFAULT_MAX_CONCURRENT,
  createRequestLimiter,
  type RequestLimiter,
} from "./request-limiter.js";

export { MAX_BATCH_REQUESTS } from "./drive/batch.js";
export { SIMPLE_UPLOAD_LIMIT_BYTES } from "./drive/upload.js";
export { DEFAULT_UPLOAD_CHUNK_BYTES, UPLOAD_FRAGMENT_MULTIPLE } from "./drive/upload-session.js";

export interface AppFolderStorageOptions {
  /** Default "/me/drive/special/approot"; an admin-chosen library: "/drives/{id}/special/approot". */
  driveRoot?: string;
  /**
   * Keep everything in the signed-in user's own folder below the root, `users/{id}` where id is
   * the stable user id that `GET /me` answers (asked once). For a SharePoint library, whose app
   * folder is one folder shared by every user of the library.
   */
  perUserFolder?: boolean;
  /** Requests in flight at once (default 4); ignored when `limiter` is given. */
  maxConcurrent?: number;
  /** Share one limiter with the mail source, since Outlook counts requests per mailbox. */
  limiter?: RequestLimiter;
  /** Upload-session fragment size, a multiple of 327,680 bytes (default 10 × 327,680). */
  uploadChunkBytes?: number;
  /** `$top` of folder listings (default 999, Graph's maximum); smaller only to exercise paging. */
  listPageSize?: number;
  /**
   * Retries of requests to pre-authenticated URLs (upload fragments, downloads), which the SDK's
   * RetryHandler never sees: Retry-After when given, else `delaySeconds` doubling per attempt.
   */
  transferRetry?: { maxRetries?: number; delaySeconds?: number };
  /** fetch for pre-authenticated URLs (default: the global fetch). */
  fetch?: typeof fetch;
  /**
   * Re-sends of inner $batch requests answered 429/503/504, which the SDK never retries (it sees
   * only the outer 200): after the inner Retry-After when given, else `delaySeconds` doubling.
   * Default 5 re-sends, 3 s.
   */
  innerRetry?: { maxRetries?: number; delaySeconds?: number };
}

/**
 * SEPT storage in the OneDrive app folder (or an admin-chosen SharePoint library) through
 * Microsoft Graph. Items are addressed by path below the root; paths contain ids only.
 */
export function createAppFolderStorage(
  client: Client,
  options: AppFolderStorageOptions = {},
): StoragePort {
  const root = (options.driveRoot ?? "/me/drive/special/approot").replace(/\/+$/, "");
  const limiter =
    options.limiter ?? createRequestLimiter(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  const chunkBytes = validChunkBytes(options.uploadChunkBytes ?? DEFAULT_UPLOAD_CHUNK_BYTES);
  const pageSize = options.listPageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`listPageSize must be 1–${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  const drive = createDriveContext(client, root, limiter, options.perUserFolder === true);
  const transfer = createDirectTransfer(limiter, {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...options.transferRetry,
  });
  const simpleUpload = createSimpleUpload(drive);
  const write = createFileWriter(
    drive,
    simpleUpload,
    createSessionUpload(drive, transfer, chunkBytes),
  );
  const download = createDownload(transfer);
  const readFile = createFileReader(drive, download);
  const sendBatched = createBatchSender(drive, options.innerRetry ?? {});
  const removal = createDriveRemoval(drive, sendBatched);
  const readMany = createReadMany(drive, sendBatched, readFile, download);
  const writeMany = createWriteMany(drive, simpleUpload);

  return {
    write(path, content, options = {}) {
      return write(path, content, options);
    },

    writeJson(path, value, options = {}) {
      const text = JSON.stringify(value);
      if (text === undefined) {
        return Promise.reject(
          new SeptError("bad_request", { message: "The value has no JSON form." }),
        );
      }
      return write(path, new TextEncoder().encode(text), options, "application/json");
    },

    async read(path, signal) {
      return (await readFile(path, signal)).bytes;
    },

    async readJson<T>(path: string, signal?: AbortSignal) {
      const { bytes, file } = await readFile(path, signal);
      try {
        return { value: JSON.parse(new TextDecoder().decode(bytes)) as T, file };
      } catch (error) {
        throw new SeptError("unknown", { message: `'${path}' is not valid JSON.`, cause: error });
      }
    },

    async readJsonMany<T>(paths: readonly string[], options = {}) {
      return (await readMany(paths, options)).map((read) => jsonOf<T>(read));
    },

    readMany(paths, options = {}) {
      return readMany(paths, options);
    },

    stat(path, signal) {
      return statFile(drive, path, signal);
    },

    list(folder, signal) {
      return listFolder(drive, pageSize, folder, signal);
    },

    remove(path, options = {}) {
      return removal.removeOne(path, options.ifMatch, options.signal);
    },

    removeMany(paths, options = {}) {
      return removal.removeMany(paths, options);
    },

    async writeMany(writes, options = {}) {
      return writeMany(writes, options);
    },
  };
}
