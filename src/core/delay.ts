import { SeptError } from "./errors.js";

export function cancelledError(cause?: unknown): SeptError {
  return new SeptError("cancelled", { message: "The request was cancelled.", cause });
}

/** Waits `ms`, or rejects with `cancelled` as soon as the signal aborts (retries, back-off). */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError(signal.reason));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The wait before the `attempt`th (from 0) background retry of something kept on the device until
 * it lands (a consent act, an activity event): 2 s, doubling, at most 5 minutes.
 */
export const backgroundRetryDelay = (attempt: number): number =>
  Math.min(2000 * 2 ** attempt, 300_000);
