import type { Client, GraphRequest } from "@microsoft/microsoft-graph-client";
import { SeptError } from "../../core/errors.js";
import type {
  ConflictBehavior,
  JsonWrite,
  RemoveManyOptions,
  RemoveManyResult,
  RemoveOutcome,
  StoragePort,
  StoredFile,
  WriteManyOptions,
  WriteManyResult,
  WriteOptions,
} from "../../core/ports/storage.js";
import { asSeptError, graphCall, graphErrorFrom } from "./graph-call.js";
import { mapGraphError, retryAfterSeconds } from "./graph-errors.js";
import {
  DEFAULT_MAX_CONCURRENT,
  createRequestLimiter,
  sleep,
  throwIfAborted,
  type RequestLimiter,
} from "./request-limiter.js";

/** Above this a write goes through an upload session (contract §2: 4 MB simple-upload limit). */
export const SIMPLE_UPLOAD_LIMIT_BYTES = 4 * 1024 * 1024;
/** Every upload fragment but the last must be a multiple of 320 KiB. */
export const UPLOAD_FRAGMENT_MULTIPLE = 327_680;
export const DEFAULT_UPLOAD_CHUNK_BYTES = 10 * UPLOAD_FRAGMENT_MULTIPLE;
const MAX_FRAGMENT_BYTES = 60 * 1024 * 1024;
const MAX_PAGE_SIZE = 999;
/** The SDK's own cap on Retry-After; we apply the same to the requests it does not retry. */
const MAX_RETRY_AFTER_SECONDS = 180;
/** Requests per JSON $batch (contract §4). */
export const MAX_BATCH_REQUESTS = 20;
/** Inner statuses worth sending again: throttling and a busy or slow service (DELETE is idempotent). */
const RETRYABLE_INNER_STATUS = new Set([429, 503, 504]);

const ITEM_FIELDS = "id,name,size,eTag,createdDateTime,lastModifiedDateTime,file";
/** JSON writes in flight at once in writeMany (Outlook allows 4 concurrent requests a mailbox). */
const MAX_WRITES_IN_FLIGHT = 4;

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

// Characters OneDrive (and OneDrive for Business / SharePoint) reserve in names (contract §2).
const RESERVED_CHARS = /["*:<>?/\\|#%]/;
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_PATH_CHARS = 400;

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function badPath(path: string, why: string): SeptError {
  return new SeptError("bad_request", { message: `Invalid storage path '${path}': ${why}.` });
}

/**
 * Storage paths are built from ids, never from user text, so anything OneDrive might refuse or
 * reinterpret is a programming error: refuse it before a request is made.
 */
function parsePath(path: string, kind: "file" | "folder"): string[] {
  if (typeof path !== "string") throw badPath(String(path), "not a string");
  let inner = path.startsWith("/") ? path.slice(1) : path;
  if (kind === "folder" && inner.endsWith("/")) inner = inner.slice(0, -1);
  if (inner === "") {
    if (kind === "folder") return [];
    throw badPath(path, "empty");
  }
  if (inner.length > MAX_PATH_CHARS) throw badPath(path, "too long");
  const segments = inner.split("/");
  for (const segment of segments) {
    if (segment === "") throw badPath(path, "empty segment");
    if (segment === "." || segment === "..") throw badPath(path, "relative segment");
    if (RESERVED_CHARS.test(segment) || hasControlCharacter(segment)) {
      throw badPath(path, "reserved character");
    }
    if (segment !== segment.trim()) throw badPath(path, "leading or trailing space");
    if (segment.startsWith("~") || segment.endsWith(".")) throw badPath(path, "reserved form");
    const lower = segment.toLowerCase();
    if (
      RESERVED_NAMES.test(segment) ||
      lower === ".lock" ||
      lower === "desktop.ini" ||
      lower.includes("_vti_")
    ) {
      throw badPath(path, "reserved name");
    }
  }
  return segments;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function malformed(what: string): SeptError {
  return new SeptError("unknown", { message: `Graph returned ${what}.` });
}

/** Parses a driveItem once, at the boundary; `folder` is the parent path the caller addressed. */
function toStoredFile(value: unknown, folder: readonly string[]): StoredFile {
  if (!isRecord(value) || typeof value.id !== "string" || typeof value.name !== "string") {
    throw malformed("a driveItem without id or name");
  }
  return {
    id: value.id,
    // The server's spelling of the name: OneDrive names are case-insensitive.
    path: [...folder, value.name].join("/"),
    name: value.name,
    size: typeof value.size === "number" ? value.size : 0,
    eTag: typeof value.eTag === "string" ? value.eTag : "",
    lastModified: typeof value.lastModifiedDateTime === "string" ? value.lastModifiedDateTime : "",
    ...(typeof value.createdDateTime === "string" ? { created: value.createdDateTime } : {}),
  };
}

// Naming the media type also lets the SDK's RetryHandler retry the PUT: it skips only
// `application/octet-stream` bodies, assuming a stream; ours is a replayable Blob.
const MEDIA_TYPES: Record<string, string> = {
  json: "application/json",
  eml: "message/rfc822",
  txt: "text/plain",
  csv: "text/csv",
};

function mediaTypeOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return (dot > 0 && MEDIA_TYPES[name.slice(dot + 1).toLowerCase()]) || "application/octet-stream";
}

/** Start of the first range in `nextExpectedRanges` ("26-" or "26-51"), if any. */
function nextExpectedOffset(body: unknown): number | null {
  if (!isRecord(body) || !Array.isArray(body.nextExpectedRanges)) return null;
  const first: unknown = body.nextExpectedRanges[0];
  const match = typeof first === "string" ? /^(\d+)-/.exec(first) : null;
  return match?.[1] === undefined ? null : Number(match[1]);
}

function parseJson(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

/** A header of an inner $batch response; their names come in any case. */
function innerHeader(headers: unknown, name: string): string | null {
  if (!isRecord(headers)) return null;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === "string") return value;
  }
  return null;
}

/** An inner $batch failure as the SeptError the same answer to a plain request would give. */
function innerError(status: number, headers: unknown, body: unknown): SeptError {
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

/** One inner request of a batched call, with the re-sends it has had. */
interface BatchItem {
  /** Unique within the call. */
  key: string;
  url: string;
  resent: number;
  /** The key of an item this one is sent after (in the same $batch), when it must wait for it. */
  dependsOn?: string;
}

/** A fragment upload hit 404: the session expired or was dropped, so the upload starts over. */
class UploadSessionGone extends Error {
  constructor(readonly error: SeptError) {
    super(error.message, { cause: error });
  }
}

/** The answer of a pre-authenticated URL, body read in full while the request held its slot. */
interface DirectReply {
  response: Response;
  bytes: Uint8Array;
}

function validChunkBytes(value: number): number {
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
  const maxRetries = options.transferRetry?.maxRetries ?? 3;
  const delaySeconds = options.transferRetry?.delaySeconds ?? 3;
  const innerMaxRetries = options.innerRetry?.maxRetries ?? 5;
  const innerDelaySeconds = options.innerRetry?.delaySeconds ?? 3;
  const fetchDirect: typeof fetch =
    options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  /** `users/{id}` in a shared library (set before the first request), else nothing. */
  let prefix: string[] = [];
  let prefixReady: Promise<void> | null = null;
  const ready = (signal: AbortSignal | undefined): Promise<void> => {
    if (!options.perUserFolder) return Promise.resolve();
    prefixReady ??= graphCall(limiter, signal, () => api("/me", signal).select("id").get()).then(
      (me: unknown) => {
        if (!isRecord(me) || typeof me.id !== "string" || me.id === "") {
          throw malformed("a user without id");
        }
        prefix = ["users", me.id];
      },
    );
    return prefixReady.catch((error: unknown) => {
      prefixReady = null;
      throw error;
    });
  };

  const pathUrl = (segments: readonly string[], action?: string): string => {
    const full = [...prefix, ...segments];
    if (full.length === 0) return action ? `${root}/${action}` : root;
    const encoded = full.map(encodeURIComponent).join("/");
    return action ? `${root}:/${encoded}:/${action}` : `${root}:/${encoded}`;
  };

  const api = (url: string, signal: AbortSignal | undefined): GraphRequest => {
    const request = client.api(url);
    return signal ? request.option("signal", signal) : request;
  };

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

  /** A drive request under the limiter, its failure explained. */
  const call = async <T>(
    signal: AbortSignal | undefined,
    request: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await graphCall(limiter, signal, request);
    } catch (error) {
      throw await explain(error, signal);
    }
  };

  const retryDelayMs = (response: Response | undefined, failures: number): number => {
    const header = response?.headers.get("Retry-After");
    const seconds =
      header !== null && header !== undefined
        ? retryAfterSeconds(header)
        : delaySeconds * 2 ** (failures - 1);
    return Math.min(seconds, MAX_RETRY_AFTER_SECONDS) * 1000;
  };

  /**
   * A request to a pre-authenticated URL (upload session, download): plain fetch, because the
   * URL carries its own credential and a bearer token must not reach that host.
   */
  const direct = (url: string, init: RequestInit, signal?: AbortSignal): Promise<DirectReply> =>
    limiter.run(async () => {
      const response = await fetchDirect(url, { ...init, credentials: "omit", signal });
      return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
    }, signal);

  const replyError = (reply: DirectReply): SeptError =>
    mapGraphError(graphErrorFrom(reply.response, new TextDecoder().decode(reply.bytes)));

  /** Sends `request`; a thrown fetch failure comes back as an error value so callers can retry. */
  const attempt = async (
    request: () => Promise<DirectReply>,
    signal: AbortSignal | undefined,
  ): Promise<DirectReply | SeptError> => {
    throwIfAborted(signal);
    try {
      return await request();
    } catch (error) {
      const septError = asSeptError(error, signal);
      if (septError.code === "cancelled") throw septError;
      return septError;
    }
  };

  const download = async (url: string, signal: AbortSignal | undefined): Promise<Uint8Array> => {
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

  const createUploadSession = async (
    segments: readonly string[],
    total: number,
    options: WriteOptions,
  ): Promise<string> => {
    const body = {
      item: { "@microsoft.graph.conflictBehavior": options.conflict ?? "replace", fileSize: total },
    };
    // No If-Match here: it is reported to fail with 412 even with the current eTag
    // (OneDrive/onedrive-api-docs#1716). Large files are content under write-once names.
    const session: unknown = await call(options.signal, () =>
      api(pathUrl(segments, "createUploadSession"), options.signal).post(body),
    );
    if (!isRecord(session) || typeof session.uploadUrl !== "string") {
      throw malformed("an upload session without uploadUrl");
    }
    return session.uploadUrl;
  };

  /** Best effort: a session we give up on should not hold its partial bytes until it expires. */
  const cancelUploadSession = async (uploadUrl: string): Promise<void> => {
    try {
      await direct(uploadUrl, { method: "DELETE" });
    } catch {
      // Sessions expire on their own; the failure that brought us here is what matters.
    }
  };

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

  const uploadInSession = async (
    segments: readonly string[],
    content: Uint8Array,
    options: WriteOptions,
  ): Promise<StoredFile> => {
    for (let restarted = false; ; restarted = true) {
      const uploadUrl = await createUploadSession(segments, content.byteLength, options);
      try {
        const item = await sendFragments(uploadUrl, content, options);
        return toStoredFile(item, segments.slice(0, -1));
      } catch (error) {
        if (error instanceof UploadSessionGone) {
          if (!restarted) continue;
          throw error.error;
        }
        await cancelUploadSession(uploadUrl);
        throw error;
      }
    }
  };

  const simpleUpload = async (
    segments: readonly string[],
    content: Uint8Array,
    mediaType: string,
    options: WriteOptions,
  ): Promise<StoredFile> => {
    const item: unknown = await call(options.signal, () => {
      let request = api(pathUrl(segments, "content"), options.signal)
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

  const write = async (
    path: string,
    content: Uint8Array,
    options: WriteOptions,
    mediaType?: string,
  ): Promise<StoredFile> => {
    const segments = parsePath(path, "file");
    await ready(options.signal);
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

  const getItem = (
    segments: readonly string[],
    fields: string,
    signal: AbortSignal | undefined,
  ): Promise<unknown> => call(signal, () => api(pathUrl(segments), signal).select(fields).get());

  /**
   * Two requests, on purpose: `GET …:/content` answers 302 to the download host, and a browser
   * cannot follow a cross-origin redirect of a request that needed a CORS preflight (our
   * Authorization header), so the pane reads `@microsoft.graph.downloadUrl` and fetches it itself
   * (OneDrive's CORS guide, concepts/working-with-cors.md). The item is asked for without
   * `$select`: with `$select=…,@microsoft.graph.downloadUrl` OneDrive for Business and SharePoint
   * are reported to leave the URL out (microsoft-graph-docs-contrib#1387). The metadata also gives
   * readJson the eTag it returns.
   */
  const readFile = async (
    path: string,
    signal: AbortSignal | undefined,
  ): Promise<{ bytes: Uint8Array; file: StoredFile }> => {
    const segments = parsePath(path, "file");
    await ready(signal);
    const item: unknown = await call(signal, () => api(pathUrl(segments), signal).get());
    const file = toStoredFile(item, segments.slice(0, -1));
    const url = isRecord(item) ? item["@microsoft.graph.downloadUrl"] : undefined;
    if (typeof url !== "string") {
      if (isRecord(item) && item.file === undefined) {
        throw new SeptError("bad_request", { message: `'${path}' has no content to download.` });
      }
      throw new SeptError("unknown", {
        message: `Graph answered '${path}' without a download URL.`,
        params: { reason: "no_download_url" },
      });
    }
    return { bytes: await download(url, signal), file };
  };

  /**
   * Sends inner requests in JSON $batch requests of 20 and reads every inner answer on its own:
   * 429/503/504 are sent again in a later round (after the longest Retry-After of the round),
   * packed into full batches again so throttling costs as few extra requests as it can; any other
   * answer goes to `answered`, and an item that cannot be sent (or is re-sent too often) to
   * `failed`. An item may depend on another of the same call (`dependsOn`, by key): it goes in the
   * same $batch, after it, and is re-sent with it; when its dependency failed it answers 424.
   */
  const sendBatched = async <T extends BatchItem>(
    items: T[],
    request: (item: T) => {
      method: string;
      url: string;
      headers?: Record<string, string>;
      body?: unknown;
    },
    answered: (item: T, status: number, headers: unknown, body: unknown) => void,
    failed: (item: T, error: SeptError) => void,
    signal: AbortSignal | undefined,
  ): Promise<void> => {
    let pending = items;
    const settled = new Set<string>();
    const succeeded = new Set<string>();
    const retryLater = (target: T, error: SeptError, delayMs: number, later: T[]) => {
      if (target.resent >= innerMaxRetries) {
        failed(target, error);
        settled.add(target.key);
        return 0;
      }
      target.resent += 1;
      later.push(target);
      return delayMs;
    };
    while (pending.length > 0) {
      throwIfAborted(signal);
      const later: T[] = [];
      let waitMs = 0;
      const groups: T[][] = [];
      let group: T[] = [];
      const deferred: T[] = [];
      for (const item of pending) {
        const dependency = item.dependsOn;
        if (dependency !== undefined && settled.has(dependency) && !succeeded.has(dependency)) {
          // Its dependency failed for good: never sent, answered as Graph would (424).
          answered(item, 424, {}, undefined);
          settled.add(item.key);
          continue;
        }
        // A dependency still unsettled goes first, in the same $batch; else this waits a round.
        if (
          dependency !== undefined &&
          !settled.has(dependency) &&
          !group.some((g) => g.key === dependency)
        ) {
          deferred.push(item);
          continue;
        }
        if (group.length >= MAX_BATCH_REQUESTS) {
          groups.push(group);
          group = [];
          if (dependency !== undefined && !settled.has(dependency)) {
            deferred.push(item);
            continue;
          }
        }
        group.push(item);
      }
      if (group.length > 0) groups.push(group);
      const outcomes = await Promise.all(
        groups.map(async (group) => {
          const ids = new Map(group.map((target, i) => [target.key, String(i + 1)]));
          const requests = group.map((target, i) => {
            const dependency =
              target.dependsOn === undefined ? undefined : ids.get(target.dependsOn);
            return {
              id: String(i + 1),
              ...request(target),
              ...(dependency ? { dependsOn: [dependency] } : {}),
            };
          });
          try {
            const body: unknown = await graphCall(limiter, signal, () =>
              api("/$batch", signal).post({ requests }),
            );
            return { group, body };
          } catch (error) {
            const septError = asSeptError(error, signal);
            if (septError.code === "cancelled") throw septError;
            return { group, error: septError };
          }
        }),
      );
      for (const outcome of outcomes) {
        const { group } = outcome;
        if (outcome.error) {
          const septError = outcome.error;
          for (const target of group) {
            if (septError.retryable) {
              const seconds = Number(septError.params.seconds ?? 0);
              const delayMs =
                seconds > 0
                  ? Math.min(seconds, MAX_RETRY_AFTER_SECONDS) * 1000
                  : innerDelaySeconds * 1000 * 2 ** target.resent;
              waitMs = Math.max(waitMs, retryLater(target, septError, delayMs, later));
            } else {
              failed(target, septError);
              settled.add(target.key);
            }
          }
          continue;
        }
        const answers = new Map<string, Record<string, unknown>>();
        const body = outcome.body;
        if (isRecord(body) && Array.isArray(body.responses)) {
          for (const answer of body.responses) {
            if (isRecord(answer) && typeof answer.id === "string") answers.set(answer.id, answer);
          }
        }
        const resent = new Set<string>();
        // In order: a dependency is decided before what depends on it.
        group.forEach((target, i) => {
          const answer = answers.get(String(i + 1));
          const status = typeof answer?.status === "number" ? answer.status : 0;
          if (status === 0) {
            failed(target, malformed("a $batch without an answer to every request"));
            settled.add(target.key);
            return;
          }
          if (status === 424 && target.dependsOn !== undefined && resent.has(target.dependsOn)) {
            // Its dependency is sent again: so is this, with it.
            later.push(target);
            resent.add(target.key);
            return;
          }
          const error = () => innerError(status, answer?.headers, answer?.body);
          if (RETRYABLE_INNER_STATUS.has(status)) {
            const header = innerHeader(answer?.headers, "Retry-After");
            const seconds =
              header === null ? innerDelaySeconds * 2 ** target.resent : retryAfterSeconds(header);
            const delayMs = Math.min(seconds, MAX_RETRY_AFTER_SECONDS) * 1000;
            const before = later.length;
            waitMs = Math.max(waitMs, retryLater(target, error(), delayMs, later));
            if (later.length > before) resent.add(target.key);
            return;
          }
          answered(target, status, answer?.headers, answer?.body);
          settled.add(target.key);
          if (status >= 200 && status < 300) succeeded.add(target.key);
        });
      }
      if (later.length > 0 && waitMs > 0) await sleep(waitMs, signal);
      pending = [...later, ...deferred];
    }
  };

  /**
   * Set once Graph refused permanentDelete (403): Files.ReadWrite.AppFolder is not among the
   * permissions its page lists (driveitem-permanentdelete.md), so a tenant may refuse it. Later
   * deletes then go straight to DELETE, which leaves the item in the recycle bin.
   */
  let permanentRefused = false;

  /**
   * permanentDelete documents no If-Match, so a guarded delete checks the eTag first; a write
   * landing between the check and the delete is the one case it cannot catch.
   */
  const checkETag = async (
    segments: readonly string[],
    path: string,
    eTag: string,
    signal: AbortSignal | undefined,
  ): Promise<void> => {
    const current = await getItem(segments, ITEM_FIELDS, signal);
    const file = toStoredFile(current, segments.slice(0, -1));
    if (file.eTag !== eTag) {
      throw new SeptError("precondition_failed", {
        message: `'${path}' changed since eTag ${eTag}.`,
        params: { status: 412 },
      });
    }
  };

  const isRefusal = (error: unknown): boolean =>
    error instanceof SeptError && error.code === "access_denied";

  /**
   * For good: `POST …:/path:/permanentDelete` (path addressing of an item's action,
   * concepts/addressing-driveitems.md; the action: driveitem-permanentdelete.md). Refused (403):
   * DELETE, If-Match honoured, and the item sits in the recycle bin (driveitem_delete.md).
   */
  const removeOne = async (
    path: string,
    ifMatch: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<RemoveOutcome> => {
    const segments = parsePath(path, "file");
    await ready(signal);
    // Purges must tolerate files the user already removed; a guarded delete must not.
    const tolerateMissing = (error: unknown) =>
      error instanceof SeptError && error.code === "not_found" && !ifMatch;
    if (!permanentRefused) {
      try {
        if (ifMatch) await checkETag(segments, path, ifMatch, signal);
        await graphCall(limiter, signal, () =>
          api(pathUrl(segments, "permanentDelete"), signal).post(undefined),
        );
        return { permanent: true };
      } catch (error) {
        if (tolerateMissing(error)) return { permanent: true };
        if (!isRefusal(error)) throw error;
        permanentRefused = true;
      }
    }
    try {
      await call(signal, () => {
        const request = api(pathUrl(segments), signal);
        return (ifMatch ? request.header("If-Match", ifMatch) : request).delete();
      });
    } catch (error) {
      if (tolerateMissing(error)) return { permanent: false };
      throw error;
    }
    return { permanent: false };
  };

  /**
   * permanentDeletes in JSON $batch requests of 20 (a JSON-less POST, as $batch documents):
   * 2xx removed, 404 missing, 429/503/504 sent again, 403 refused; the refused ones then go by
   * DELETE (in $batch of 20 too) and are listed in `recycled`.
   */
  const removeMany = async (
    paths: string[],
    options: RemoveManyOptions,
  ): Promise<RemoveManyResult> => {
    const { signal } = options;
    const ifMatch = options.ifMatch ?? {};
    // Every path is checked before the first request: a bad one is a programming error.
    const unique = [...new Set(paths)];
    const segmentsOf = new Map(unique.map((path) => [path, parsePath(path, "file")]));
    await ready(signal);
    const result: RemoveManyResult = { removed: [], missing: [], failed: [], recycled: [] };
    const recycled: string[] = result.recycled!;
    let byDelete: string[] = unique;
    if (!permanentRefused) {
      const ready: string[] = [];
      await Promise.all(
        unique.map(async (path) => {
          const eTag = ifMatch[path];
          if (!eTag) {
            ready.push(path);
            return;
          }
          try {
            await checkETag(segmentsOf.get(path)!, path, eTag, signal);
            ready.push(path);
          } catch (error) {
            const septError = asSeptError(error, signal);
            if (septError.code === "cancelled") throw septError;
            result.failed.push({ path, error: septError });
          }
        }),
      );
      const refused: string[] = [];
      await sendBatched(
        ready.map((path) => ({
          key: path,
          url: pathUrl(segmentsOf.get(path)!, "permanentDelete"),
          resent: 0,
        })),
        (target) => ({ method: "POST", url: target.url }),
        (target, status, headers, body) => {
          if (status >= 200 && status < 300) result.removed.push(target.key);
          else if (status === 404) result.missing.push(target.key);
          else if (status === 403) refused.push(target.key);
          else result.failed.push({ path: target.key, error: innerError(status, headers, body) });
        },
        (target, error) => result.failed.push({ path: target.key, error }),
        signal,
      );
      if (refused.length > 0) permanentRefused = true;
      byDelete = refused;
    }
    if (byDelete.length === 0) return result;
    await sendBatched(
      byDelete.map((path) => ({ key: path, url: pathUrl(segmentsOf.get(path)!), resent: 0 })),
      (target) => {
        const eTag = ifMatch[target.key];
        return {
          method: "DELETE",
          url: target.url,
          ...(eTag ? { headers: { "If-Match": eTag } } : {}),
        };
      },
      (target, status, headers, body) => {
        if (status >= 200 && status < 300) {
          result.removed.push(target.key);
          recycled.push(target.key);
        } else if (status === 404) result.missing.push(target.key);
        else {
          const error = innerError(status, headers, body);
          result.failed.push({
            path: target.key,
            error: error.code === "access_denied" ? refused(error) : error,
          });
        }
      },
      (target, error) => result.failed.push({ path: target.key, error }),
      signal,
    );
    return result;
  };

  /**
   * One PUT per file, at most four in flight: file content never goes inside $batch, since no
   * Microsoft document or example shows it there (json-batching.md shows JSON writes and DELETE).
   * A write with `after` starts once that write landed, and fails with dependency_failed when it
   * did not. Throttled PUTs are retried by the client's RetryHandler (the body is replayable JSON);
   * a retried PUT may meet its own earlier write (conflict, or precondition_failed under
   * If-Match), as any retried single write can.
   */
  const writeMany = async (
    writes: JsonWrite[],
    options: WriteManyOptions,
  ): Promise<WriteManyResult[]> => {
    const seen = new Map<string, number>();
    const targets = writes.map((w, index) => {
      const segments = parsePath(w.path, "file");
      const lower = w.path.replace(/^\//, "").toLowerCase();
      if (seen.has(lower)) throw badPath(w.path, "written twice in one writeMany");
      seen.set(lower, index);
      const conflict: ConflictBehavior = w.conflict ?? "replace";
      if (conflict !== "replace" && conflict !== "fail") {
        throw new SeptError("bad_request", {
          message: `Unknown conflict behaviour '${conflict}'.`,
        });
      }
      if (
        typeof w.value !== "object" ||
        w.value === null ||
        JSON.stringify(w.value) === undefined
      ) {
        throw new SeptError("bad_request", {
          message: `writeMany takes JSON objects and arrays ('${w.path}').`,
        });
      }
      return { index, segments, write: w, conflict, dependsOn: undefined as number | undefined };
    });
    for (const target of targets) {
      const after = target.write.after;
      if (after === undefined) continue;
      const dependency = seen.get(after.replace(/^\//, "").toLowerCase());
      if (dependency === undefined || dependency >= target.index) {
        throw new SeptError("bad_request", {
          message: `'${target.write.path}' must come after '${after}' in the same writeMany.`,
        });
      }
      target.dependsOn = dependency;
    }
    const { signal } = options;
    throwIfAborted(signal);
    await ready(signal);
    const results: WriteManyResult[] = writes.map((w) => ({ path: w.path }));
    // Settles true when the write landed; what depends on it waits for it.
    const landed: Array<Promise<boolean>> = [];
    const settle: Array<(ok: boolean) => void> = [];
    for (let i = 0; i < targets.length; i++) {
      landed.push(new Promise<boolean>((resolve) => settle.push(resolve)));
    }
    let next = 0;
    let cancelled: SeptError | null = null;
    const worker = async (): Promise<void> => {
      while (next < targets.length && cancelled === null) {
        const target = targets[next++]!;
        const result = results[target.index]!;
        try {
          if (target.dependsOn !== undefined && !(await landed[target.dependsOn])) {
            result.error = new SeptError("unknown", {
              message: `'${target.write.path}' was not written: '${target.write.after}' failed.`,
              params: { reason: "dependency_failed" },
              retryable: false,
            });
            continue;
          }
          const bytes = new TextEncoder().encode(JSON.stringify(target.write.value));
          result.file = await simpleUpload(target.segments, bytes, "application/json", {
            conflict: target.conflict,
            ...(target.write.ifMatch ? { ifMatch: target.write.ifMatch } : {}),
            ...(signal ? { signal } : {}),
          });
        } catch (error) {
          const septError = asSeptError(error, signal);
          if (septError.code === "cancelled") cancelled = septError;
          else result.error = septError;
        } finally {
          settle[target.index]!(result.file !== undefined);
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(MAX_WRITES_IN_FLIGHT, targets.length) }, () => worker()),
    );
    if (cancelled) throw cancelled;
    return results;
  };

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

    async stat(path, signal) {
      const segments = parsePath(path, "file");
      await ready(signal);
      try {
        return toStoredFile(await getItem(segments, ITEM_FIELDS, signal), segments.slice(0, -1));
      } catch (error) {
        if (error instanceof SeptError && error.code === "not_found") return null;
        throw error;
      }
    },

    async list(folder, signal) {
      const segments = parsePath(folder, "folder");
      await ready(signal);
      const first = pathUrl(segments, "children");
      let url: string | null = `${first}?$top=${pageSize}&$select=${ITEM_FIELDS}`;
      const files: StoredFile[] = [];
      for (let page = 0; url !== null; page++) {
        const pageUrl: string = url;
        let body: unknown;
        try {
          body = await call(signal, () => api(pageUrl, signal).get());
        } catch (error) {
          if (page === 0 && error instanceof SeptError && error.code === "not_found") return [];
          throw error;
        }
        if (!isRecord(body) || !Array.isArray(body.value)) throw malformed("a page without value");
        for (const item of body.value) {
          // Files only: subfolders have a `folder` facet instead of `file`.
          if (isRecord(item) && item.file !== undefined) files.push(toStoredFile(item, segments));
        }
        // Followed exactly as given: the link carries the paging state.
        const next = body["@odata.nextLink"];
        url = typeof next === "string" && next !== pageUrl ? next : null;
      }
      return files;
    },

    remove(path, options = {}) {
      return removeOne(path, options.ifMatch, options.signal);
    },

    removeMany(paths, options = {}) {
      return removeMany(paths, options);
    },

    async writeMany(writes, options = {}) {
      return writeMany(writes, options);
    },
  };
}
