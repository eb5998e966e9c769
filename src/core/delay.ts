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
