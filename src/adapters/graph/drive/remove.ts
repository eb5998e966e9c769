// Deleting files for good (permanentDelete), one or many in $batch; where the tenant refuses
// permanentDelete, by DELETE, which leaves them in the recycle bin.
import { SeptError } from "../../../core/errors.js";
import {
  removalName,
  type RemoveManyOptions,
  type RemoveManyResult,
  type RemoveOutcome,
} from "../../../core/ports/storage.js";
import { graphCall } from "../graph-call.js";
import { MAX_BATCH_REQUESTS, type BatchItem, type SendBatched } from "./batch.js";
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

/** One of a guarded path's two inner requests: its rename under If-Match, or its delete. */
interface TakeOutItem extends BatchItem {
  path: string;
  step: "rename" | "delete";
  /** The name it is renamed to, and its segments once renamed. */
  name: string;
  renamed: readonly string[];
}

/**
 * Guarded deletes for good. permanentDelete documents no If-Match (driveitem-permanentdelete.md),
 * so each file is first renamed under If-Match (a JSON PATCH of its name, which $batch carries;
 * driveitem-update.md documents if-match), then the renamed item is deleted for good in the same
 * $batch, after it (dependsOn). Once renamed, no write can land on the file any more: its path is
 * free and a write under the old eTag fails. (removeOne's check-then-delete cannot promise that.)
 * A rename refused (412: changed since; 404: gone) fails that path and its delete answers 424.
 * Returns the renamed segments of the files whose delete for good was refused (403).
 */
async function takeOutMany(
  drive: DriveContext,
  sendBatched: SendBatched,
  paths: string[],
  run: RemoveManyRun,
  /** "recycle": permanentDelete is known to be refused, so DELETE (recycle bin) after the rename. */
  how: "for_good" | "recycle",
): Promise<Map<string, readonly string[]>> {
  const { result } = run;
  const refused = new Map<string, readonly string[]>();
  const failed = new Set<string>();
  const fail = (path: string, error: SeptError) => {
    if (failed.has(path)) return;
    failed.add(path);
    result.failed.push({ path, error });
  };
  const items = paths.flatMap((path): TakeOutItem[] => {
    const segments = run.segmentsOf.get(path)!;
    const token = crypto.randomUUID().replace(/-/g, "").slice(0, 12);
    const name = removalName(segments[segments.length - 1]!, token);
    const renamed = [...segments.slice(0, -1), name];
    const rename = `rename ${path}`;
    return [
      { key: rename, path, step: "rename", name, renamed, url: drive.pathUrl(segments), resent: 0 },
      {
        key: `delete ${path}`,
        path,
        step: "delete",
        name,
        renamed,
        url:
          how === "for_good" ? drive.pathUrl(renamed, "permanentDelete") : drive.pathUrl(renamed),
        resent: 0,
        dependsOn: rename,
      },
    ];
  });
  await sendBatched(
    items,
    (item) =>
      item.step === "rename"
        ? {
            method: "PATCH",
            url: item.url,
            headers: { "Content-Type": "application/json", "If-Match": run.ifMatch[item.path]! },
            body: { name: item.name },
          }
        : { method: how === "for_good" ? "POST" : "DELETE", url: item.url },
    (item, status, headers, body) => {
      const ok = status >= 200 && status < 300;
      if (item.step === "rename") {
        if (!ok) fail(item.path, innerError(status, headers, body));
      } else if (status === 424) {
        // Its rename failed: reported there.
      } else if (ok || status === 404) {
        result.removed.push(item.path);
        if (how === "recycle") result.recycled!.push(item.path);
      } else if (status === 403 && how === "for_good") refused.set(item.path, item.renamed);
      else fail(item.path, innerError(status, headers, body));
    },
    (item, error) => fail(item.path, error),
    run.signal,
  );
  return refused;
}

/**
 * Guarded paths taken out (takeOutMany); those whose delete for good was refused are renamed, so
 * no write lands on them, and go by DELETE (recycle bin) under their new name. Renamed even where
 * permanentDelete is known to be refused: restored from the recycle bin, such a file comes back
 * under its leftover name (isRemovalLeftover), never at the path it was removed from. Resolves
 * to what it learnt of permanentDelete.
 */
async function removeGuarded(
  drive: DriveContext,
  sendBatched: SendBatched,
  guarded: string[],
  run: RemoveManyRun,
  refusedBefore: boolean,
): Promise<"refused" | "allowed" | "unknown"> {
  if (refusedBefore) {
    await takeOutMany(drive, sendBatched, guarded, run, "recycle");
    return "refused";
  }
  const refused = await takeOutMany(drive, sendBatched, guarded, run, "for_good");
  if (refused.size === 0) return run.result.removed.length > 0 ? "allowed" : "unknown";
  await deleteMany(drive, sendBatched, [...refused.keys()], {
    ...run,
    segmentsOf: refused,
    ifMatch: {},
  });
  return "refused";
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
   * DELETE (in $batch of 20 too) and are listed in `recycled`. Paths with an eTag in `ifMatch`
   * are renamed under it first, each with its delete in the same $batch (removeGuarded).
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
    let plain = unique;
    const guarded = unique.filter((path) => run.ifMatch[path] !== undefined);
    if (guarded.length > 0) {
      plain = unique.filter((path) => run.ifMatch[path] === undefined);
      const learnt = await removeGuarded(drive, sendBatched, guarded, run, permanentRefused);
      if (learnt === "refused") permanentRefused = true;
      if (learnt === "allowed") permanentAllowed = true;
    }
    let byDelete: string[] = [];
    let rest: string[] = plain;
    if (!permanentRefused) {
      let ready = plain;
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
