// JSON $batch of drive requests, with the re-sends of throttled inner requests that the SDK,
// which sees only the outer 200, never makes.
import type { SeptError } from "../../../core/errors.js";
import { asSeptError, graphCall } from "../graph-call.js";
import { retryAfterSeconds } from "../graph-errors.js";
import { sleep, throwIfAborted } from "../request-limiter.js";
import { packRound, type BatchItem } from "./batch-groups.js";
import type { DriveContext } from "./context.js";
import { isRecord, malformed } from "./drive-item.js";
import { innerError, innerHeader } from "./errors.js";
import { MAX_RETRY_AFTER_SECONDS } from "./transfer.js";

export { MAX_BATCH_REQUESTS, type BatchItem } from "./batch-groups.js";

/** Inner statuses worth sending again: throttling and a busy or slow service (DELETE is idempotent). */
const RETRYABLE_INNER_STATUS = new Set([429, 503, 504]);

export interface InnerRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Sends inner requests in JSON $batch requests of 20 and reads every inner answer on its own:
 * 429/503/504 are sent again in a later round (after the longest Retry-After of the round),
 * packed into full batches again so throttling costs as few extra requests as it can; any other
 * answer goes to `answered`, and an item that cannot be sent (or is re-sent too often) to
 * `failed`. An item may depend on another of the same call (`dependsOn`, by key): it goes in the
 * same $batch, after it, and is re-sent with it; when its dependency failed it answers 424.
 */
export type SendBatched = <T extends BatchItem>(
  items: T[],
  request: (item: T) => InnerRequest,
  answered: (item: T, status: number, headers: unknown, body: unknown) => void,
  failed: (item: T, error: SeptError) => void,
  signal: AbortSignal | undefined,
) => Promise<void>;

/** The inner answers of a $batch response, by request id. */
function answersById(body: unknown): Map<string, Record<string, unknown>> {
  const answers = new Map<string, Record<string, unknown>>();
  if (isRecord(body) && Array.isArray(body.responses)) {
    for (const answer of body.responses) {
      if (isRecord(answer) && typeof answer.id === "string") answers.set(answer.id, answer);
    }
  }
  return answers;
}

/** How long to wait before sending again, and how often an item may be sent again. */
function retryPolicy(retry: { maxRetries?: number; delaySeconds?: number }) {
  const innerDelaySeconds = retry.delaySeconds ?? 3;
  return {
    maxRetries: retry.maxRetries ?? 5,
    /** Before re-sending after the whole $batch failed: its Retry-After, else the back-off. */
    afterFailedBatch(error: SeptError, resent: number): number {
      const seconds = Number(error.params.seconds ?? 0);
      return seconds > 0
        ? Math.min(seconds, MAX_RETRY_AFTER_SECONDS) * 1000
        : innerDelaySeconds * 1000 * 2 ** resent;
    },
    /** Before re-sending a throttled inner request: its own Retry-After, else the back-off. */
    afterThrottledAnswer(headers: unknown, resent: number): number {
      const header = innerHeader(headers, "Retry-After");
      const seconds = header === null ? innerDelaySeconds * 2 ** resent : retryAfterSeconds(header);
      return Math.min(seconds, MAX_RETRY_AFTER_SECONDS) * 1000;
    },
  };
}

/** One $batch POST; a failure of the whole request comes back as a value. */
async function postBatch<T extends BatchItem>(
  drive: DriveContext,
  group: T[],
  request: (item: T) => InnerRequest,
  signal: AbortSignal | undefined,
): Promise<{ group: T[]; body?: unknown; error?: SeptError }> {
  const ids = new Map(group.map((target, i) => [target.key, String(i + 1)]));
  const requests = group.map((target, i) => {
    const dependency = target.dependsOn === undefined ? undefined : ids.get(target.dependsOn);
    return {
      id: String(i + 1),
      ...request(target),
      ...(dependency ? { dependsOn: [dependency] } : {}),
    };
  });
  try {
    const body: unknown = await graphCall(drive.limiter, signal, () =>
      drive.api("/$batch", signal).post({ requests }),
    );
    return { group, body };
  } catch (error) {
    const septError = asSeptError(error, signal);
    if (septError.code === "cancelled") throw septError;
    return { group, error: septError };
  }
}

/** Every round of one SendBatched call (its contract is on SendBatched). */
async function sendRounds<T extends BatchItem>(
  drive: DriveContext,
  policy: ReturnType<typeof retryPolicy>,
  items: T[],
  request: (item: T) => InnerRequest,
  answered: (item: T, status: number, headers: unknown, body: unknown) => void,
  failed: (item: T, error: SeptError) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  let pending = items;
  const settled = new Set<string>();
  const succeeded = new Set<string>();
  const retryLater = (target: T, error: SeptError, delayMs: number, later: T[]) => {
    if (target.resent >= policy.maxRetries) {
      failed(target, error);
      settled.add(target.key);
      return 0;
    }
    target.resent += 1;
    later.push(target);
    return delayMs;
  };
  while (pending.length > 0) {
    throwIfAborted(signal);
    const later: T[] = [];
    let waitMs = 0;
    const { groups, deferred } = packRound(pending, settled, succeeded, (item) => {
      answered(item, 424, {}, undefined);
      settled.add(item.key);
    });
    const outcomes = await Promise.all(
      groups.map((group) => postBatch(drive, group, request, signal)),
    );
    for (const outcome of outcomes) {
      const { group } = outcome;
      if (outcome.error) {
        const septError = outcome.error;
        for (const target of group) {
          if (septError.retryable) {
            const delayMs = policy.afterFailedBatch(septError, target.resent);
            waitMs = Math.max(waitMs, retryLater(target, septError, delayMs, later));
          } else {
            failed(target, septError);
            settled.add(target.key);
          }
        }
        continue;
      }
      const answers = answersById(outcome.body);
      const resent = new Set<string>();
      // In order: a dependency is decided before what depends on it.
      group.forEach((target, i) => {
        const answer = answers.get(String(i + 1));
        const status = typeof answer?.status === "number" ? answer.status : 0;
        if (status === 0) {
          failed(target, malformed("a $batch without an answer to every request"));
          settled.add(target.key);
          return;
        }
        if (status === 424 && target.dependsOn !== undefined && resent.has(target.dependsOn)) {
          // Its dependency is sent again: so is this, with it.
          later.push(target);
          resent.add(target.key);
          return;
        }
        const error = () => innerError(status, answer?.headers, answer?.body);
        if (RETRYABLE_INNER_STATUS.has(status)) {
          const delayMs = policy.afterThrottledAnswer(answer?.headers, target.resent);
          const before = later.length;
          waitMs = Math.max(waitMs, retryLater(target, error(), delayMs, later));
          if (later.length > before) resent.add(target.key);
          return;
        }
        answered(target, status, answer?.headers, answer?.body);
        settled.add(target.key);
        if (status >= 200 && status < 300) succeeded.add(target.key);
      });
    }
    if (later.length > 0 && waitMs > 0) await sleep(waitMs, signal);
    pending = [...later, ...deferred];
  }
}

export function createBatchSender(
  drive: DriveContext,
  retry: { maxRetries?: number; delaySeconds?: number },
): SendBatched {
  const policy = retryPolicy(retry);
  return (items, request, answered, failed, signal) =>
    sendRounds(drive, policy, items, request, answered, failed, signal);
}
