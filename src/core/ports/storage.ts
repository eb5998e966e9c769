import type { SeptError } from "../errors.js";

/** A file in SEPT storage (the OneDrive app folder, or an admin-chosen SharePoint drive). */
export interface StoredFile {
  id: string;
  /** Path below the storage root, e.g. "consent/20261125T101500Z-grant-abc.json". */
  path: string;
  name: string;
  size: number;
  eTag: string;
  lastModified: string;
  /**
   * When the server created the file (Graph `createdDateTime`), by the server's clock; absent when
   * the storage does not say. Write-once files (consent records) are ordered by it.
   */
  created?: string;
}

export type ConflictBehavior = "fail" | "replace";

export interface WriteOptions {
  /** "fail" makes a write append-only: an existing name is a conflict, never an overwrite. */
  conflict?: ConflictBehavior;
  /** Optimistic concurrency: write only if the file is still at this eTag (else precondition_failed). */
  ifMatch?: string;
  /** Cancels the write (and any further chunk of an upload) when aborted. */
  signal?: AbortSignal;
  /** Progress of large uploads, in bytes sent. */
  onProgress?: (sent: number, total: number) => void;
  /**
   * Awaited before each fragment of an upload session (and its resumption); a rejection stops
   * the upload there. Consent uses it to stop a large upload within one chunk of a withdrawal.
   */
  beforeChunk?: () => Promise<void>;
}

/**
 * The storage port. Paths contain ids only, never personal data. Failures reject with SeptError
 * (not_found, conflict, precondition_failed, access_denied, quota_full, throttled, network...).
 */
export interface StoragePort {
  /** Writes bytes; above 4 MB through an upload session in 320 KiB-multiple chunks. */
  write(path: string, content: Uint8Array, options?: WriteOptions): Promise<StoredFile>;
  writeJson(path: string, value: unknown, options?: WriteOptions): Promise<StoredFile>;
  read(path: string, signal?: AbortSignal): Promise<Uint8Array>;
  readJson<T>(path: string, signal?: AbortSignal): Promise<{ value: T; file: StoredFile }>;
  /**
   * Reads many JSON files in few requests (Graph: the items' metadata in JSON $batch of 20, then
   * each file's bytes from the download URL it names), answering in the order given: an absent
   * file (404, or gone between the two requests) is `undefined`; any other failure of one file is
   * its `error` (not JSON: unknown) and never rejects the call; a file still at the eTag `held`
   * gives for it is `unchanged`, without a download. Throttled requests are retried first.
   * Rejects only for a bad path (before any request) or when cancelled.
   */
  readJsonMany<T>(
    paths: readonly string[],
    options?: ReadManyOptions,
  ): Promise<(JsonRead<T> | undefined)[]>;
  /** As readJsonMany, for files of any kind: each file's bytes (the export's stored emails). */
  readMany(paths: readonly string[], options?: ReadManyOptions): Promise<(FileRead | undefined)[]>;
  /** Metadata of one file, or null when absent. */
  stat(path: string, signal?: AbortSignal): Promise<StoredFile | null>;
  /** Every file directly in a folder (all pages); an absent folder lists as empty. */
  list(folder: string, signal?: AbortSignal): Promise<StoredFile[]>;
  /**
   * Deletes a file for good (Graph: permanentDelete); an absent file is not an error unless
   * `ifMatch` is given. Where the storage refuses a permanent delete, the file goes to the user's
   * recycle bin instead, and the answer says so (`permanent: false`).
   */
  remove(
    path: string,
    options?: { ifMatch?: string; signal?: AbortSignal },
  ): Promise<RemoveOutcome>;
  /**
   * Deletes many items for good in as few requests as possible (Graph: JSON $batch of 20
   * permanentDeletes; where refused, DELETEs that leave them in the recycle bin, listed in
   * `recycled`); a
   * folder path removes the folder and everything in it. Never rejects for one item: an absent
   * item is `missing`, a refused one is in `failed`; throttled items are retried first.
   * `ifMatch` guards the paths it names (by eTag): such a file is taken out of its path only if
   * it is still at that eTag, atomically, so no write can land on it after (Graph: renamed under
   * If-Match, then deleted for good; one that could not be deleted after the rename stays
   * beside, named as `isRemovalLeftover` tells, for repair to delete). Rejects only when cancelled.
   */
  removeMany(paths: string[], options?: RemoveManyOptions): Promise<RemoveManyResult>;
  /**
   * Writes many JSON files, a few at a time (Graph: one PUT each, at most 4 in flight; file content
   * never travels inside $batch). Never
   * rejects for one item: each result, in the order given, has the written `file` or its `error`
   * (conflict, precondition_failed...); throttled items are re-sent first, so a re-sent write may
   * meet itself (conflict / precondition_failed) as a retried single write can. Values must be
   * JSON objects or arrays; a bad path, a path given twice or another value rejects before any
   * request, as does cancelling.
   */
  writeMany(writes: JsonWrite[], options?: WriteManyOptions): Promise<WriteManyResult[]>;
}

export interface JsonWrite {
  path: string;
  /** A JSON object or array. */
  value: unknown;
  /** As WriteOptions.conflict (default "replace"). */
  conflict?: ConflictBehavior;
  ifMatch?: string;
  /**
   * The path of an earlier write of the same call that must succeed first: this one is written
   * only after it landed, and fails (dependency_failed in `params.reason`) when it did not.
   */
  after?: string;
}

export interface ReadManyOptions {
  signal?: AbortSignal;
  /**
   * eTags of the copies the caller holds, by path: a file still at that eTag is answered
   * `unchanged` (with its metadata) and is not downloaded again.
   */
  held?: ReadonlyMap<string, string>;
  /**
   * At most this many downloads on the wire at once (default: all, the request limiter's few at
   * a time). A read in the background leaves the other slots to a read the user waits for.
   */
  downloadsAtOnce?: number;
}

/**
 * One file of readJsonMany: its value and metadata, why it could not be read, or (for a path in
 * `held`) that it is still the copy the caller holds.
 */
export type JsonRead<T> =
  | { path: string; value: T; file: StoredFile; error?: undefined; unchanged?: undefined }
  | { path: string; error: SeptError; value?: undefined; file?: undefined; unchanged?: undefined }
  | { path: string; unchanged: true; file: StoredFile; value?: undefined; error?: undefined };

/** One file of readMany: its bytes and metadata, why it could not be read, or `unchanged`. */
export type FileRead =
  | { path: string; bytes: Uint8Array; file: StoredFile; error?: undefined; unchanged?: undefined }
  | { path: string; error: SeptError; bytes?: undefined; file?: undefined; unchanged?: undefined }
  | { path: string; unchanged: true; file: StoredFile; bytes?: undefined; error?: undefined };

export interface WriteManyOptions {
  signal?: AbortSignal;
}

export interface WriteManyResult {
  path: string;
  file?: StoredFile;
  error?: SeptError;
}

/** The name a guarded removeMany gives a file it takes out of the way: `{name}.{token}.removing`. */
export const removalName = (name: string, token: string): string => `${name}.${token}.removing`;

/** A file a guarded removeMany took out of its path but could not delete: repair deletes it. */
export const isRemovalLeftover = (name: string): boolean =>
  /\.[0-9a-z]{8,32}\.removing$/.test(name);

export interface RemoveManyOptions {
  signal?: AbortSignal;
  /** eTag per path: such a path is deleted only while it is still at that eTag. */
  ifMatch?: Record<string, string>;
}

/** What a single remove did. */
export interface RemoveOutcome {
  /** false: the storage refused a permanent delete, so the file sits in the user's recycle bin. */
  permanent: boolean;
}

/**
 * How long OneDrive for work or school and SharePoint keep a deleted item in the recycle bin
 * unless an admin changed it: 93 days (Microsoft Graph, resources/recyclebinsettings.md, default of
 * retentionPeriodOverrideDays; Microsoft Support, "Restore deleted files or folders in OneDrive").
 */
export const RECYCLE_BIN_RETENTION_DAYS = 93;

export interface RemoveManyResult {
  /** Gone from their folder: for good, except those also listed in `recycled`. */
  removed: string[];
  /**
   * Of `removed`, those the storage would not delete for good: they sit in the user's recycle bin
   * (restorable, still counted against quota) until it is emptied or its retention runs out.
   */
  recycled?: string[];
  /** Already gone (404): what a purge of files the user may have removed expects. */
  missing: string[];
  failed: Array<{ path: string; error: SeptError }>;
}
