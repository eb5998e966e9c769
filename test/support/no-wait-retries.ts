// Retries that do not wait: the Graph client's backoff and the storage adapter's retries of
// pre-authenticated transfers and of $batch inner requests all start from 0 s, with `maxRetries`
// each. For tests that inject faults (the fake answers throttling with Retry-After 0 there) and
// assert on outcomes, not on how long a retry waited.
export function noWaitRetries(maxRetries: number) {
  return {
    graphRetry: { delaySeconds: 0, maxRetries },
    storage: {
      transferRetry: { delaySeconds: 0, maxRetries },
      innerRetry: { delaySeconds: 0, maxRetries },
    },
  };
}
