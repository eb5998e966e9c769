import { cancelledError, delay } from "../../core/delay.js";

/** Outlook throttles a 5th concurrent request per app and mailbox (contract §5). */
export const DEFAULT_MAX_CONCURRENT = 4;

/**
 * A semaphore for outgoing requests: at most `max` tasks run at once, the rest wait in order.
 * Share one instance between adapters that hit the same mailbox so their sum stays under the cap.
 */
export interface RequestLimiter {
  readonly max: number;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
  /** Runs `task` once a slot is free; a signal aborted while waiting rejects with `cancelled`. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError(signal.reason);
}

/** Retries and back-off wait through the one abortable delay in core. */
export { cancelledError, delay as sleep };

export function createRequestLimiter(max: number = DEFAULT_MAX_CONCURRENT): RequestLimiter {
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`maxConcurrent must be a positive integer, got ${max}`);
  }
  let active = 0;
  const queue: Array<() => void> = [];

  const release = () => {
    active -= 1;
    const next = queue.shift();
    if (next) next();
  };

  /** Resolves when this caller holds a slot. */
  const acquire = (signal: AbortSignal | undefined): Promise<void> => {
    throwIfAborted(signal);
    if (active < max) {
      active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        active += 1;
        resolve();
      };
      const onAbort = () => {
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        reject(cancelledError(signal?.reason));
      };
      queue.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  };

  return {
    max,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    async run(task, signal) {
      await acquire(signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
