// Many small JSON writes at once: one PUT each, at most four in flight, a write with `after`
// started only once that write landed.
import { SeptError } from "../../../core/errors.js";
import type {
  ConflictBehavior,
  JsonWrite,
  WriteManyOptions,
  WriteManyResult,
} from "../../../core/ports/storage.js";
import { asSeptError } from "../graph-call.js";
import { throwIfAborted } from "../request-limiter.js";
import type { DriveContext } from "./context.js";
import { badPath, parsePath } from "./paths.js";
import type { SimpleUpload } from "./upload.js";

/** JSON writes in flight at once in writeMany (Outlook allows 4 concurrent requests a mailbox). */
const MAX_WRITES_IN_FLIGHT = 4;

interface Target {
  index: number;
  segments: string[];
  write: JsonWrite;
  conflict: ConflictBehavior;
  /** The index of the write this one waits for. */
  dependsOn: number | undefined;
}

/** Every write checked before the first request: a bad one is a programming error. */
function targetsOf(writes: JsonWrite[]): Target[] {
  const seen = new Map<string, number>();
  const targets = writes.map((w, index): Target => {
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
    if (typeof w.value !== "object" || w.value === null || JSON.stringify(w.value) === undefined) {
      throw new SeptError("bad_request", {
        message: `writeMany takes JSON objects and arrays ('${w.path}').`,
      });
    }
    return { index, segments, write: w, conflict, dependsOn: undefined };
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
  return targets;
}

/**
 * One PUT per file, at most four in flight: file content never goes inside $batch, since no
 * Microsoft document or example shows it there (json-batching.md shows JSON writes and DELETE).
 * A write with `after` starts once that write landed, and fails with dependency_failed when it
 * did not. Throttled PUTs are retried by the client's RetryHandler (the body is replayable JSON);
 * a retried PUT may meet its own earlier write (conflict, or precondition_failed under
 * If-Match), as any retried single write can.
 */
export function createWriteMany(drive: DriveContext, simpleUpload: SimpleUpload) {
  return async (writes: JsonWrite[], options: WriteManyOptions): Promise<WriteManyResult[]> => {
    const targets = targetsOf(writes);
    const { signal } = options;
    throwIfAborted(signal);
    await drive.ready(signal);
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
}
