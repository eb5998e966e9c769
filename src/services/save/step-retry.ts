// A save's steps run again after a retryable failure that outlasted the Graph client's own
// retries (a dropped connection, throttling longer than its patience): a few times, backing off.
import { delay as sleep } from "../../core/delay.js";
import { SeptError } from "../../core/errors.js";

export interface StepRetryPolicy {
  /** Re-runs after the first failure. */
  retries: number;
  /** The first wait; it doubles with each failure. */
  delayMs: number;
}

/** The policy from a save's `stepRetry` option: 2 re-runs from 250 ms unless told otherwise. */
export function stepRetryPolicy(option?: { retries?: number; delayMs?: number }): StepRetryPolicy {
  return { retries: option?.retries ?? 2, delayMs: option?.delayMs ?? 250 };
}

/** The wait after `failures` earlier failures: doubling, jittered so panes retrying together spread. */
export function stepBackoffMs(policy: StepRetryPolicy, failures: number): number {
  return policy.delayMs * 2 ** failures * (0.5 + Math.random());
}

/**
 * Runs `task`, again after a retryable SeptError, at most `policy.retries` more times; anything
 * else, or the last failure, is thrown as it came. `signal` cuts a wait short. `isFinal`: a
 * failure while it holds is thrown as it came too (the caller has stopped, say).
 */
export async function retryStep<T>(
  task: () => Promise<T>,
  policy: StepRetryPolicy,
  signal?: AbortSignal,
  isFinal?: () => boolean,
): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await task();
    } catch (error) {
      const retryable = error instanceof SeptError && error.retryable;
      if (!retryable || failures >= policy.retries || isFinal?.()) {
        throw error;
      }
      await sleep(stepBackoffMs(policy, failures), signal);
    }
  }
}
