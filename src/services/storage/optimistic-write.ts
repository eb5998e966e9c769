// Optimistic concurrency for the small files SEPT replaces whole (the email index, the project
// catalogue, settings, a stored email's record): read with its eTag, change, write guarded by that
// eTag, and when another writer got there first read again and redo the change.
import { delay } from "../../core/delay.js";
import { SeptError } from "../../core/errors.js";

/**
 * The guard for replacing a file read with `eTag`: If-Match on it, or, when the file was absent
 * (null), create-only (conflict "fail"), so that a file created meanwhile is not overwritten.
 */
export function writeGuard(eTag: string | null): { ifMatch: string } | { conflict: "fail" } {
  return eTag === null ? { conflict: "fail" } : { ifMatch: eTag };
}

export interface LostRaceOptions {
  /**
   * Whether a 404 counts too: an If-Match write on a file that another writer removed since it
   * was read. Only a caller that can redo its change on a file that is gone says so.
   */
  removedCounts?: boolean;
}

/**
 * "Another writer got there first": a guarded write answered 412 (If-Match on an eTag that has
 * moved on), 409 (create-only on a name that exists now) or, with `removedCounts`, 404.
 */
export function lostRace(error: unknown, options: LostRaceOptions = {}): boolean {
  if (!(error instanceof SeptError)) return false;
  if (error.code === "precondition_failed" || error.code === "conflict") return true;
  return error.code === "not_found" && options.removedCounts === true;
}

export interface RetryLostRacesOptions {
  /** Rounds tried in all; the last lost race is thrown. */
  attempts: number;
  /** Which failures of a guarded write are worth another round (default: `lostRace`, no 404). */
  retryOn?: (error: unknown) => boolean;
  /** Wait before the next round, after round `attempt` (from 1) lost; none when absent. */
  pauseMs?: (attempt: number) => number;
  signal?: AbortSignal;
}

/** Marks a guarded write's failure as a lost race, so that nothing else in a round is retried. */
class LostRace {
  constructor(readonly error: unknown) {}
}

/** Wraps a round's guarded write: its lost race starts another round. */
export type Guarded = <W>(write: Promise<W>) => Promise<W>;

/**
 * Runs `round` (read, change, guarded write) again each time its write loses a race, at most
 * `attempts` times in all. Only what the round passes through `guarded` can lose a race: a
 * refusal while computing the change, or a failed read, ends the loop as it is.
 */
export async function retryLostRaces<T>(
  round: (guarded: Guarded, attempt: number) => Promise<T>,
  options: RetryLostRacesOptions,
): Promise<T> {
  const retryOn = options.retryOn ?? ((error: unknown) => lostRace(error));
  const guarded: Guarded = (write) =>
    write.catch((error: unknown) => {
      throw retryOn(error) ? new LostRace(error) : error;
    });
  for (let attempt = 1; ; attempt++) {
    try {
      return await round(guarded, attempt);
    } catch (caught) {
      if (!(caught instanceof LostRace)) throw caught;
      if (attempt >= options.attempts) throw caught.error;
      if (options.pauseMs) await delay(options.pauseMs(attempt), options.signal);
    }
  }
}

/** A small random wait growing with the round, so writers that collided do not collide in step. */
export const jitterMs =
  (stepMs: number) =>
  (attempt: number): number =>
    Math.random() * stepMs * attempt;
