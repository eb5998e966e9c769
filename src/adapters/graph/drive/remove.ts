// Deleting files for good (permanentDelete), one or many in $batch; where the tenant refuses
// permanentDelete, by DELETE, which leaves them in the recycle bin.
import { SeptError } from "../../../core/errors.js";
import type {
  RemoveManyOptions,
  RemoveManyResult,
  RemoveOutcome,
} from "../../../core/ports/storage.js";
import { asSeptError, graphCall } from "../graph-call.js";
import { MAX_BATCH_REQUESTS, type SendBatched } from "./batch.js";
import type { DriveContext } from "./context.js";
import { ITEM_FIELDS, toStoredFile } from "./drive-item.js";
import { innerError } from "./errors.js";
import { parsePath } from "./paths.js";

export interface DriveRemoval {
  removeOne(
    path: string,
    ifMatch: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<RemoveOutcome>;
  removeMany(paths: string[], options: RemoveManyOptions): Promise<RemoveManyResult>;
}

const isRefusal = (error: unknown): boolean =>
  error instanceof SeptError && error.code === "access_denied";

/**
 * permanentDelete documents no If-Match, so a guarded delete checks the eTag first; a write
 * landing between the check and the delete is the one case it cannot catch.
 */
async function checkETag(
  drive: DriveContext,
  segments: readonly string[],
  path: string,
  eTag: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const current = await drive.call(signal, () =>
    drive.api(drive.pathUrl(segments), signal).select(ITEM_FIELDS).get(),
  );
  const file = toStoredFile(current, segments.slice(0, -1));
  if (file.eTag !== eTag) {
    throw new SeptError("precondition_failed", {
      message: `'${path}' changed since eTag ${eTag}.`,
      params: { status: 412 },
    });
  }
}

/** One removeMany call: its paths' segments, their eTags, and the result it fills in. */
interface RemoveManyRun {
  segmentsOf: Map<string, readonly string[]>;
  ifMatch: Record<string, string>;
  result: RemoveManyResult;
  signal: AbortSignal | undefined;
}

/** The paths whose eTag still matches (or that have none); the others go to `failed`. */
async function checkedPaths(drive: DriveContext, paths: string[], run: RemoveManyRun) {
  const ready: string[] = [];
  await Promise.all(
    paths.map(async (path) => {
      const eTag = run.ifMatch[path];
      if (!eTag) {
        ready.push(path);
        return;
      }
      try {
        await checkETag(drive, run.segmentsOf.get(path)!, path, eTag, run.signal);
        ready.push(path);
      } catch (error) {
        const septError = asSeptError(error, run.signal);
        if (septError.code === "cancelled") throw septError;
        run.result.failed.push({ path, error: septError });
      }
    }),
  );
  return ready;
}

/** permanentDelete in $batch; returns the paths it was refused for (403). */
async function permanentDeleteMany(
  drive: DriveContext,
  sendBatched: SendBatched,
  paths: string[],
  run: RemoveManyRun,
): Promise<string[]> {
  const { result } = run;
  const refused: string[] = [];
  await sendBatched(
    paths.map((path) => ({
      key: path,
      url: drive.pathUrl(run.segmentsOf.get(path)!, "permanentDelete"),
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
    run.signal,
  );
  return refused;
}

/** DELETE in $batch, If-Match honoured: what it removes goes to the recycle bin. */
async function deleteMany(
  drive: DriveContext,
  sendBatched: SendBatched,
  paths: string[],
  run: RemoveManyRun,
): Promise<void> {
  const { result } = run;
  const recycled: string[] = result.recycled!;
  await sendBatched(
    paths.map((path) => ({ key: path, url: drive.pathUrl(run.segmentsOf.get(path)!), resent: 0 })),
    (target) => {
      const eTag = run.ifMatch[target.key];
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
          error: error.code === "access_denied" ? drive.refused(error) : error,
        });
      }
    },
    (target, error) => result.failed.push({ path: target.key, error }),
    run.signal,
  );
}

export function createDriveRemoval(drive: DriveContext, sendBatched: SendBatched): DriveRemoval {
  const { api, pathUrl, limiter } = drive;
  /**
   * Set once Graph refused permanentDelete (403): Files.ReadWrite.AppFolder is not among the
   * permissions its page lists (driveitem-permanentdelete.md), so a tenant may refuse it. Later
   * deletes then go straight to DELETE, which leaves the item in the recycle bin.
   */
  let permanentRefused = false;
  /** Set once a permanentDelete went through: later calls send all of theirs at once. */
  let permanentAllowed = false;

  /**
   * For good: `POST …:/path:/permanentDelete` (path addressing of an item's action,
   * concepts/addressing-driveitems.md; the action: driveitem-permanentdelete.md). Refused (403):
   * DELETE, If-Match honoured, and the item sits in the recycle bin (driveitem_delete.md).
   */
  const removeOne: DriveRemoval["removeOne"] = async (path, ifMatch, signal) => {
    const segments = parsePath(path, "file");
    await drive.ready(signal);
    // Purges must tolerate files the user already removed; a guarded delete must not.
    const tolerateMissing = (error: unknown) =>
      error instanceof SeptError && error.code === "not_found" && !ifMatch;
    if (!permanentRefused) {
      try {
        if (ifMatch) await checkETag(drive, segments, path, ifMatch, signal);
        await graphCall(limiter, signal, () =>
          api(pathUrl(segments, "permanentDelete"), signal).post(undefined),
        );
        permanentAllowed = true;
        return { permanent: true };
      } catch (error) {
        if (tolerateMissing(error)) return { permanent: true };
        if (!isRefusal(error)) throw error;
        permanentRefused = true;
      }
    }
    try {
      await drive.call(signal, () => {
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
  const removeMany: DriveRemoval["removeMany"] = async (paths, options) => {
    // Every path is checked before the first request: a bad one is a programming error.
    const unique = [...new Set(paths)];
    const segmentsOf = new Map(unique.map((path) => [path, parsePath(path, "file")]));
    await drive.ready(options.signal);
    const result: RemoveManyResult = { removed: [], missing: [], failed: [], recycled: [] };
    const run: RemoveManyRun = {
      segmentsOf,
      ifMatch: options.ifMatch ?? {},
      result,
      signal: options.signal,
    };
    let byDelete: string[] = [];
    let rest: string[] = unique;
    if (!permanentRefused) {
      let ready = await checkedPaths(drive, unique, run);
      if (!permanentAllowed) {
        // Until this session knows, the first $batch goes alone: refused there (403, a token
        // without the permission), the rest goes straight to DELETE instead of being refused 20
        // at a time (1,000 files: 50 $batch requests fewer).
        byDelete = await permanentDeleteMany(
          drive,
          sendBatched,
          ready.slice(0, MAX_BATCH_REQUESTS),
          run,
        );
        ready = ready.slice(MAX_BATCH_REQUESTS);
        if (byDelete.length > 0) permanentRefused = true;
        else permanentAllowed = true;
      }
      rest = permanentRefused ? ready : [];
      if (!permanentRefused && ready.length > 0) {
        byDelete = await permanentDeleteMany(drive, sendBatched, ready, run);
        if (byDelete.length > 0) permanentRefused = true;
      }
    }
    byDelete = [...byDelete, ...rest];
    if (byDelete.length > 0) await deleteMany(drive, sendBatched, byDelete, run);
    return result;
  };

  return { removeOne, removeMany };
}
