// The queue trigger without the Functions host: for containers that scale out on their own, for
// a `func`-free local run, and for the tests. It does what the host does for a queue trigger:
// takes a message invisibly (visibility timeout), keeps it invisible while the handler works,
// deletes it when the handler succeeds, lets it reappear when the handler fails, and moves it to
// `{queue}-poison` after `maxDequeueCount` deliveries. A worker that dies mid-message leaves the
// message to reappear when its visibility runs out; the next worker does that user again.
import { randomUUID } from "node:crypto";
// A CommonJS package whose class exports Node's ESM loader cannot name: take them from the default.
import functions, { type InvocationContext } from "@azure/functions";
import type { QueueClient } from "@azure/storage-queue";
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

/**
 * Runs until aborted or idle. An abort is a graceful stop (SIGTERM in a container): no new
 * message is taken, the ones in hand are finished. A hard kill leaves them to reappear.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerStats> {
  const visibility = options.visibilityTimeoutSeconds ?? 300;
  const maxDequeue = options.maxDequeueCount ?? 5;
  const pollMs = options.pollMs ?? 1000;
  const signal = options.signal ?? new AbortController().signal;
  const log = options.log ?? (() => undefined);
  const stats: QueueWorkerStats = { handled: 0, failed: 0, poisoned: 0 };
  let idleSince = Date.now();

  const one = async () => {
    while (!signal.aborted) {
      let received;
      try {
        received = await options.queue.receiveMessages({
          numberOfMessages: 1,
          visibilityTimeout: visibility,
          abortSignal: signal,
        });
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
      const message = received.receivedMessageItems[0];
      if (!message) {
        if (options.idleStopMs !== undefined && Date.now() - idleSince >= options.idleStopMs)
          return;
        try {
          await delay(pollMs, signal);
        } catch {
          return;
        }
        continue;
      }
      idleSince = Date.now();
      let popReceipt = message.popReceipt;
      if (message.dequeueCount > maxDequeue) {
        // Delivered too often: the host's poison handling, so one bad user never blocks the queue.
        await options.poison.createIfNotExists();
        await options.poison.sendMessage(message.messageText);
        await options.queue.deleteMessage(message.messageId, popReceipt);
        stats.poisoned++;
        log(`poisoned ${message.messageId}`);
        continue;
      }
      // Keep the message invisible while the user is handled (the host renews it the same way).
      let renewing = Promise.resolve();
      const renew = setInterval(
        () => {
          renewing = renewing.then(async () => {
            if (signal.aborted) return;
            try {
              const updated = await options.queue.updateMessage(
                message.messageId,
                popReceipt,
                undefined,
                visibility,
              );
              if (updated.popReceipt) popReceipt = updated.popReceipt;
            } catch {
              // Lost the message (its visibility ran out): another worker may take it; harmless.
            }
          });
        },
        (visibility * 1000) / 2,
      );
      const context: InvocationContext = new functions.InvocationContext({
        invocationId: randomUUID(),
        functionName: "tenantUser",
        triggerMetadata: {
          id: message.messageId,
          dequeueCount: message.dequeueCount,
          insertionTime: message.insertedOn.toISOString(),
        },
        logHandler: (level, ...args) => log(`[${level}] ${args.map(String).join(" ")}`),
      });
      let failed = false;
      try {
        await options.handler(message.messageText, context);
      } catch {
        failed = true;
      } finally {
        clearInterval(renew);
        await renewing;
      }
      if (failed) {
        stats.failed++;
        await options.queue
          .updateMessage(message.messageId, popReceipt, undefined, options.retryDelaySeconds ?? 0)
          .catch(() => undefined);
      } else {
        stats.handled++;
        await options.queue.deleteMessage(message.messageId, popReceipt).catch(() => undefined);
      }
    }
  };
  await options.queue.createIfNotExists();
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, one));
  return stats;
}
