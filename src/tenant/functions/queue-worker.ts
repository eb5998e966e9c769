// The queue trigger without the Functions host: for containers that scale out on their own, for
// a `func`-free local run, and for the tests. It does what the host does for a queue trigger:
// takes a message invisibly (visibility timeout), keeps it invisible while the handler works,
// deletes it when the handler succeeds, lets it reappear when the handler fails, and moves it to
// `{queue}-poison` after `maxDequeueCount` deliveries. A worker that dies mid-message leaves the
// message to reappear when its visibility runs out; the next worker does that user again.
import { randomUUID } from "node:crypto";
// A CommonJS package whose class exports Node's ESM loader cannot name: take them from the default.
import functions, { type InvocationContext } from "@azure/functions";
import type { QueueClient, ReceivedMessageItem } from "@azure/storage-queue";
import { delay } from "../../core/delay.js";

export interface QueueWorkerOptions {
  queue: QueueClient;
  poison: QueueClient;
  /** The queue trigger's handler (handlers.user). */
  handler: (message: unknown, context: InvocationContext) => Promise<void>;
  /** Messages handled at once (default 4, like the host's batchSize/2 per instance). */
  concurrency?: number;
  /** How long a taken message stays invisible; renewed at half this while it is handled. */
  visibilityTimeoutSeconds?: number;
  /** Deliveries before a message goes to the poison queue (host.json maxDequeueCount, default 5). */
  maxDequeueCount?: number;
  /** Visibility after a failure, before the next delivery (host.json visibilityTimeout). */
  retryDelaySeconds?: number;
  /** Stop after the queue has been empty this long (default: run until aborted). */
  idleStopMs?: number;
  /** Wait between polls of an empty queue (default 1 s). */
  pollMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface QueueWorkerStats {
  handled: number;
  failed: number;
  poisoned: number;
}

/** What a worker's loops share: the options with their defaults, and the counts so far. */
interface WorkerState {
  readonly options: QueueWorkerOptions;
  readonly visibility: number;
  readonly maxDequeue: number;
  readonly pollMs: number;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  readonly stats: QueueWorkerStats;
  /** When a loop last found a message (for idleStopMs). */
  idleSince: number;
}

/** The next message, null after an empty poll (try again), "stop" when the loop should end. */
async function receive(state: WorkerState): Promise<ReceivedMessageItem | null | "stop"> {
  const { options, signal } = state;
  let received;
  try {
    received = await options.queue.receiveMessages({
      numberOfMessages: 1,
      visibilityTimeout: state.visibility,
      abortSignal: signal,
    });
  } catch (error) {
    if (signal.aborted) return "stop";
    throw error;
  }
  const message = received.receivedMessageItems[0];
  if (message) return message;
  if (options.idleStopMs !== undefined && Date.now() - state.idleSince >= options.idleStopMs)
    return "stop";
  try {
    await delay(state.pollMs, signal);
  } catch {
    return "stop";
  }
  return null;
}

/** Delivered too often: the host's poison handling, so one bad user never blocks the queue. */
async function poison(state: WorkerState, message: ReceivedMessageItem): Promise<void> {
  const { options } = state;
  await options.poison.createIfNotExists();
  await options.poison.sendMessage(message.messageText);
  await options.queue.deleteMessage(message.messageId, message.popReceipt);
  state.stats.poisoned++;
  state.log(`poisoned ${message.messageId}`);
}

/**
 * Keeps the message invisible while the user is handled (the host renews it the same way).
 * `lease.popReceipt` follows each renewal; `stop` waits for a renewal under way.
 */
function keepInvisible(state: WorkerState, message: ReceivedMessageItem) {
  const lease = { popReceipt: message.popReceipt };
  let renewing = Promise.resolve();
  const renew = setInterval(
    () => {
      renewing = renewing.then(async () => {
        if (state.signal.aborted) return;
        try {
          const updated = await state.options.queue.updateMessage(
            message.messageId,
            lease.popReceipt,
            undefined,
            state.visibility,
          );
          if (updated.popReceipt) lease.popReceipt = updated.popReceipt;
        } catch {
          // Lost the message (its visibility ran out): another worker may take it; harmless.
        }
      });
    },
    (state.visibility * 1000) / 2,
  );
  const stop = async () => {
    clearInterval(renew);
    await renewing;
  };
  return { lease, stop };
}

/** The invocation context the host would give the queue trigger for this delivery. */
function invocationContext(state: WorkerState, message: ReceivedMessageItem): InvocationContext {
  return new functions.InvocationContext({
    invocationId: randomUUID(),
    functionName: "tenantUser",
    triggerMetadata: {
      id: message.messageId,
      dequeueCount: message.dequeueCount,
      insertionTime: message.insertedOn.toISOString(),
    },
    logHandler: (level, ...args) => state.log(`[${level}] ${args.map(String).join(" ")}`),
  });
}

/** Runs the handler on one message: deleted when it succeeds, visible again when it fails. */
async function handle(state: WorkerState, message: ReceivedMessageItem): Promise<void> {
  const { options, stats } = state;
  const { lease, stop } = keepInvisible(state, message);
  const context = invocationContext(state, message);
  let failed = false;
  try {
    await options.handler(message.messageText, context);
  } catch {
    failed = true;
  } finally {
    await stop();
  }
  if (failed) {
    stats.failed++;
    await options.queue
      .updateMessage(message.messageId, lease.popReceipt, undefined, options.retryDelaySeconds ?? 0)
      .catch(() => undefined);
  } else {
    stats.handled++;
    await options.queue.deleteMessage(message.messageId, lease.popReceipt).catch(() => undefined);
  }
}

/** One of the worker's loops: a message at a time until aborted or idle. */
async function work(state: WorkerState): Promise<void> {
  while (!state.signal.aborted) {
    const message = await receive(state);
    if (message === "stop") return;
    if (message === null) continue;
    state.idleSince = Date.now();
    if (message.dequeueCount > state.maxDequeue) {
      await poison(state, message);
      continue;
    }
    await handle(state, message);
  }
}

/**
 * Runs until aborted or idle. An abort is a graceful stop (SIGTERM in a container): no new
 * message is taken, the ones in hand are finished. A hard kill leaves them to reappear.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerStats> {
  const state: WorkerState = {
    options,
    visibility: options.visibilityTimeoutSeconds ?? 300,
    maxDequeue: options.maxDequeueCount ?? 5,
    pollMs: options.pollMs ?? 1000,
    signal: options.signal ?? new AbortController().signal,
    log: options.log ?? (() => undefined),
    stats: { handled: 0, failed: 0, poisoned: 0 },
    idleSince: Date.now(),
  };
  await options.queue.createIfNotExists();
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency ?? 4) }, () => work(state)),
  );
  return state.stats;
}
