// Reading many files: their metadata in JSON $batch requests of 20, then each file's bytes
// from the download URL the metadata names (a pre-authenticated URL outside Graph, fetched on its
// own as a single read does). A single read costs two requests; here a file costs one download
// and a twentieth of a $batch, and a file still at the eTag the caller holds costs no download.
import { SeptError } from "../../../core/errors.js";
import type {
  FileRead,
  JsonRead,
  ReadManyOptions,
  StoredFile,
} from "../../../core/ports/storage.js";
import { asSeptError } from "../graph-call.js";
import { MAX_BATCH_REQUESTS, type BatchItem, type SendBatched } from "./batch.js";
import type { DriveContext } from "./context.js";
import { downloadUrlOf, type Download, type ReadFile } from "./download.js";
import { malformed, toStoredFile } from "./drive-item.js";
import { innerError } from "./errors.js";
import { parsePath } from "./paths.js";

/** Files whose metadata is asked for before their downloads: bounds what one call holds at once. */
const WINDOW = 4 * MAX_BATCH_REQUESTS;

interface Target extends BatchItem {
  path: string;
  segments: string[];
}

/** What the metadata said about one file. */
type Located =
  | { url: string; file: StoredFile }
  | { error: SeptError }
  /** Still at the eTag the caller holds: nothing to download. */
  | { unchanged: StoredFile }
  | "absent"
  /** An item answered without a download URL: read on its own (as readJson would). */
  | "alone";

export type ReadMany = (
  paths: readonly string[],
  options: ReadManyOptions,
) => Promise<(FileRead | undefined)[]>;

const absent = (error: unknown): boolean =>
  error instanceof SeptError && error.code === "not_found";

/** One file of readMany as readJsonMany answers it: its bytes parsed as JSON. */
export function jsonOf<T>(read: FileRead | undefined): JsonRead<T> | undefined {
  if (read === undefined || read.bytes === undefined) return read;
  return parsed<T>(read.path, read.bytes, read.file);
}

function parsed<T>(path: string, bytes: Uint8Array, file: StoredFile): JsonRead<T> {
  try {
    return { path, value: JSON.parse(new TextDecoder().decode(bytes)) as T, file };
  } catch (error) {
    const message = `'${path}' is not valid JSON.`;
    return { path, error: new SeptError("unknown", { message, cause: error }) };
  }
}

/** One file's bytes, once its metadata located it; an absent file is undefined. */
async function readOne(
  reads: { readFile: ReadFile; download: Download },
  target: Target,
  where: Located | undefined,
  signal: AbortSignal | undefined,
): Promise<FileRead | undefined> {
  if (where === "absent") return undefined;
  if (where === undefined) {
    return { path: target.path, error: malformed("a $batch without an answer to every request") };
  }
  if (where !== "alone" && "error" in where) return { path: target.path, error: where.error };
  if (where !== "alone" && "unchanged" in where) {
    return { path: target.path, unchanged: true, file: where.unchanged };
  }
  try {
    const { bytes, file } =
      where === "alone"
        ? await reads.readFile(target.path, signal)
        : { bytes: await reads.download(where.url, signal), file: where.file };
    return { path: target.path, bytes, file };
  } catch (error) {
    // Removed between its metadata and its download.
    if (absent(error)) return undefined;
    const septError = asSeptError(error, signal);
    if (septError.code === "cancelled") throw septError;
    return { path: target.path, error: septError };
  }
}

/**
 * GET of a drive item inside JSON $batch: the batching guide documents GET of any resource
 * addressed by a relative URL, and opens with a OneDrive file among its examples
 * (microsoft-graph-docs-contrib, concepts/json-batching.md). The item is asked for without
 * `$select`, as readJson asks for it, so that it carries `@microsoft.graph.downloadUrl`; file
 * content itself never travels inside $batch.
 */
export function createReadMany(
  drive: DriveContext,
  sendBatched: SendBatched,
  readFile: ReadFile,
  download: Download,
): ReadMany {
  const reads = { readFile, download };
  const locate = async (
    targets: Target[],
    held: ReadonlyMap<string, string> | undefined,
    signal: AbortSignal | undefined,
  ) => {
    const located = new Map<string, Located>();
    await sendBatched(
      targets,
      (target) => ({ method: "GET", url: target.url }),
      (target, status, headers, body) => {
        if (status === 404) located.set(target.key, "absent");
        else if (status < 200 || status >= 300) {
          located.set(target.key, { error: innerError(status, headers, body) });
        } else {
          try {
            const file = toStoredFile(body, target.segments.slice(0, -1));
            if (held?.get(target.path) === file.eTag) located.set(target.key, { unchanged: file });
            else located.set(target.key, { url: downloadUrlOf(body, target.path), file });
          } catch (error) {
            const septError = asSeptError(error, signal);
            located.set(
              target.key,
              septError.params.reason === "no_download_url" ? "alone" : { error: septError },
            );
          }
        }
      },
      (target, error) => located.set(target.key, { error }),
      signal,
    );
    return located;
  };

  return async (paths: readonly string[], options: ReadManyOptions) => {
    const { signal, held } = options;
    // Every path is checked before the first request: a bad one is a programming error.
    const segmentsOf = paths.map((path) => parsePath(path, "file"));
    if (paths.length === 0) return [];
    await drive.ready(signal);
    const results: (FileRead | undefined)[] = [];
    for (let start = 0; start < paths.length; start += WINDOW) {
      const targets = paths.slice(start, start + WINDOW).map((path, i): Target => ({
        key: String(start + i),
        path,
        segments: segmentsOf[start + i] ?? [],
        url: drive.pathUrl(segmentsOf[start + i] ?? []),
        resent: 0,
      }));
      // A lone file is read as readJson reads it (a $batch of one would only wrap the same GET),
      // unless the caller holds a copy: then its metadata comes first, as for many, and decides
      // whether it is downloaded at all.
      const lone = targets.length === 1 && !held?.has(targets[0]?.path ?? "");
      const located = lone
        ? new Map<string, Located>([[targets[0]?.key ?? "", "alone"]])
        : await locate(targets, held, signal);
      // The downloads go out together (the request limiter keeps them to its few at a time), or
      // `downloadsAtOnce` at a time.
      const read: (FileRead | undefined)[] = new Array<FileRead | undefined>(targets.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < targets.length; i = next++) {
          const t = targets[i]!;
          read[i] = await readOne(reads, t, located.get(t.key), signal);
        }
      };
      const workers = Math.min(options.downloadsAtOnce ?? targets.length, targets.length);
      await Promise.all(Array.from({ length: Math.max(workers, 1) }, worker));
      results.push(...read);
    }
    return results;
  };
}
