/** A file in SEPT storage (the OneDrive app folder, or an admin-chosen SharePoint drive). */
export interface StoredFile {
  id: string;
  /** Path below the storage root, e.g. "consent/20261125T101500Z-grant-abc.json". */
  path: string;
  name: string;
  size: number;
  eTag: string;
  lastModified: string;
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
  /** Metadata of one file, or null when absent. */
  stat(path: string, signal?: AbortSignal): Promise<StoredFile | null>;
  /** Every file directly in a folder (all pages); an absent folder lists as empty. */
  list(folder: string, signal?: AbortSignal): Promise<StoredFile[]>;
  /** Deletes a file; an absent file is not an error unless `ifMatch` is given. */
  remove(path: string, options?: { ifMatch?: string; signal?: AbortSignal }): Promise<void>;
}
