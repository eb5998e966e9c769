// Writes above 4 MB: an upload session, its fragments sent in order, resumed where the session
// says after a failure, and started over once when the session is gone.
import { SeptError } from "../../../core/errors.js";
import type { StoredFile, WriteOptions } from "../../../core/ports/storage.js";
import { sleep } from "../request-limiter.js";
import type { DriveContext } from "./context.js";
import { isRecord, malformed, parseJson, toStoredFile } from "./drive-item.js";
import type { DirectReply, DirectTransfer } from "./transfer.js";

/** Every upload fragment but the last must be a multiple of 320 KiB. */
export const UPLOAD_FRAGMENT_MULTIPLE = 327_680;
export const DEFAULT_UPLOAD_CHUNK_BYTES = 10 * UPLOAD_FRAGMENT_MULTIPLE;
const MAX_FRAGMENT_BYTES = 60 * 1024 * 1024;

export function validChunkBytes(value: number): number {
  if (
    !Number.isInteger(value) ||
    value <= 0 ||
    value % UPLOAD_FRAGMENT_MULTIPLE !== 0 ||
    value >= MAX_FRAGMENT_BYTES
  ) {
    throw new RangeError(
      `uploadChunkBytes must be a positive multiple of ${UPLOAD_FRAGMENT_MULTIPLE} below 60 MiB, got ${value}`,
    );
  }
  return value;
}

/** Start of the first range in `nextExpectedRanges` ("26-" or "26-51"), if any. */
function nextExpectedOffset(body: unknown): number | null {
  if (!isRecord(body) || !Array.isArray(body.nextExpectedRanges)) return null;
  const first: unknown = body.nextExpectedRanges[0];
  const match = typeof first === "string" ? /^(\d+)-/.exec(first) : null;
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** A fragment upload hit 404: the session expired or was dropped, so the upload starts over. */
class UploadSessionGone extends Error {
  constructor(readonly error: SeptError) {
    super(error.message, { cause: error });
  }
}

export type UploadInSession = (
  segments: readonly string[],
  content: Uint8Array,
  options: WriteOptions,
) => Promise<StoredFile>;

async function createUploadSession(
  drive: DriveContext,
  segments: readonly string[],
  total: number,
  options: WriteOptions,
): Promise<string> {
  const body = {
    item: { "@microsoft.graph.conflictBehavior": options.conflict ?? "replace", fileSize: total },
  };
  // No If-Match here: it is reported to fail with 412 even with the current eTag
  // (OneDrive/onedrive-api-docs#1716). Large files are content under write-once names.
  const session: unknown = await drive.call(options.signal, () =>
    drive.api(drive.pathUrl(segments, "createUploadSession"), options.signal).post(body),
  );
  if (!isRecord(session) || typeof session.uploadUrl !== "string") {
    throw malformed("an upload session without uploadUrl");
  }
  return session.uploadUrl;
}

/** Best effort: a session we give up on should not hold its partial bytes until it expires. */
async function cancelUploadSession(transfer: DirectTransfer, uploadUrl: string): Promise<void> {
  try {
    await transfer.direct(uploadUrl, { method: "DELETE" });
  } catch {
    // Sessions expire on their own; the failure that brought us here is what matters.
  }
}

export function createSessionUpload(
  drive: DriveContext,
  transfer: DirectTransfer,
  chunkBytes: number,
): UploadInSession {
  const { attempt, direct, replyError, retryDelayMs, maxRetries } = transfer;

  /**
   * Sends the fragments in order. After a retryable failure it asks the session where to resume
   * (`nextExpectedRanges`), since a fragment may have landed even though its answer was lost.
   */
  const sendFragments = async (
    uploadUrl: string,
    content: Uint8Array,
    options: WriteOptions,
  ): Promise<unknown> => {
    const { signal, onProgress } = options;
    const total = content.byteLength;
    let offset = 0;
    let failures = 0;
    let resync = false;
    for (;;) {
      await options.beforeChunk?.();
      let outcome: DirectReply | SeptError;
      if (resync) {
        outcome = await attempt(() => direct(uploadUrl, { method: "GET" }, signal), signal);
        if (!(outcome instanceof SeptError) && outcome.response.ok) {
          offset = nextExpectedOffset(parseJson(outcome.bytes)) ?? offset;
          resync = false;
          continue;
        }
      } else {
        if (offset >= total) throw malformed("an upload session that never completed");
        const end = Math.min(offset + chunkBytes, total);
        const init: RequestInit = {
          method: "PUT",
          headers: { "Content-Range": `bytes ${offset}-${end - 1}/${total}` },
          body: content.subarray(offset, end) as Uint8Array<ArrayBuffer>,
        };
        outcome = await attempt(() => direct(uploadUrl, init, signal), signal);
        if (!(outcome instanceof SeptError) && outcome.response.ok) {
          failures = 0;
          const body = parseJson(outcome.bytes);
          if (outcome.response.status !== 202) {
            onProgress?.(total, total);
            return body;
          }
          offset = nextExpectedOffset(body) ?? end;
          onProgress?.(offset, total);
          continue;
        }
      }
      const response = outcome instanceof SeptError ? undefined : outcome.response;
      const error = outcome instanceof SeptError ? outcome : replyError(outcome);
      if (response?.status === 404) throw new UploadSessionGone(error);
      // 416: the session already holds bytes we thought were missing; ask it where to resume.
      const overlap = response?.status === 416;
      if (!(error.retryable || overlap) || failures >= maxRetries) throw error;
      failures += 1;
      if (!overlap) await sleep(retryDelayMs(response, failures), signal);
      resync = true;
    }
  };

  return async (segments, content, options) => {
    for (let restarted = false; ; restarted = true) {
      const uploadUrl = await createUploadSession(drive, segments, content.byteLength, options);
      try {
        const item = await sendFragments(uploadUrl, content, options);
        return toStoredFile(item, segments.slice(0, -1));
      } catch (error) {
        if (error instanceof UploadSessionGone) {
          if (!restarted) continue;
          throw error.error;
        }
        await cancelUploadSession(transfer, uploadUrl);
        throw error;
      }
    }
  };
}
