// Writing a file: one PUT up to 4 MB (If-Match honoured), an upload session above.
import { SeptError } from "../../../core/errors.js";
import type { ConflictBehavior, StoredFile, WriteOptions } from "../../../core/ports/storage.js";
import { throwIfAborted } from "../request-limiter.js";
import type { DriveContext } from "./context.js";
import { mediaTypeOf, toStoredFile } from "./drive-item.js";
import { parsePath } from "./paths.js";
import type { UploadInSession } from "./upload-session.js";

/** Above this a write goes through an upload session (contract §2: 4 MB simple-upload limit). */
export const SIMPLE_UPLOAD_LIMIT_BYTES = 4 * 1024 * 1024;

export type SimpleUpload = (
  segments: readonly string[],
  content: Uint8Array,
  mediaType: string,
  options: WriteOptions,
) => Promise<StoredFile>;

export type WriteFile = (
  path: string,
  content: Uint8Array,
  options: WriteOptions,
  mediaType?: string,
) => Promise<StoredFile>;

export function createSimpleUpload(drive: DriveContext): SimpleUpload {
  return async (segments, content, mediaType, options) => {
    const item: unknown = await drive.call(options.signal, () => {
      let request = drive
        .api(drive.pathUrl(segments, "content"), options.signal)
        .query({ "@microsoft.graph.conflictBehavior": options.conflict ?? "replace" })
        .header("Content-Type", mediaType);
      if (options.ifMatch) request = request.header("If-Match", options.ifMatch);
      // A Blob, not the Uint8Array: the SDK serialises typed arrays from their whole underlying
      // buffer, which would send the wrong bytes for a view (and needs Node's Buffer).
      return request.put(new Blob([content as Uint8Array<ArrayBuffer>]));
    });
    options.onProgress?.(content.byteLength, content.byteLength);
    return toStoredFile(item, segments.slice(0, -1));
  };
}

export function createFileWriter(
  drive: DriveContext,
  simpleUpload: SimpleUpload,
  uploadInSession: UploadInSession,
): WriteFile {
  return async (path, content, options, mediaType) => {
    const segments = parsePath(path, "file");
    await drive.ready(options.signal);
    if (!(content instanceof Uint8Array)) {
      throw new SeptError("bad_request", { message: "Storage writes take a Uint8Array." });
    }
    const conflict: ConflictBehavior = options.conflict ?? "replace";
    if (conflict !== "replace" && conflict !== "fail") {
      throw new SeptError("bad_request", { message: `Unknown conflict behaviour '${conflict}'.` });
    }
    throwIfAborted(options.signal);
    if (options.ifMatch && content.byteLength > SIMPLE_UPLOAD_LIMIT_BYTES) {
      throw new SeptError("bad_request", {
        message:
          "If-Match is not available above 4 MB: upload sessions refuse it (onedrive-api-docs#1716); write large content under a new name.",
      });
    }
    const type = mediaType ?? mediaTypeOf(segments[segments.length - 1] ?? "");
    return content.byteLength <= SIMPLE_UPLOAD_LIMIT_BYTES
      ? simpleUpload(segments, content, type, options)
      : uploadInSession(segments, content, options);
  };
}
