// Where events wait until the head holds them: kept before they are sent, removed once landed,
// re-sent first at the next append or flush. Also remembers how each event this log sent landed.
import type { ActivityEvent } from "../../../core/activity/activity.js";
import { toSeptError } from "../../../core/errors.js";
import type {
  ActivityOutboxPort,
  AppendOutcome,
  OutboxEntry,
} from "../../../core/ports/activity-log.js";
import { commitOnce, type CommitContext } from "./commit.js";

/** An outbox held in memory: what a headless run uses when it has nowhere durable to keep one. */
export function createMemoryOutbox(): ActivityOutboxPort & { entries: OutboxEntry[] } {
  const box = {
    entries: [] as OutboxEntry[],
    read: () => structuredClone(box.entries),
    write: (entries: OutboxEntry[]) => {
      box.entries = structuredClone(entries);
    },
  };
  return box;
}

/** One log's use of its outbox. */
export interface OutboxQueue {
  readonly outbox: ActivityOutboxPort;
  /** Ids this log put in the outbox itself; others' (another pane sharing it) are looked up first. */
  readonly mine: Set<string>;
  /** How each id this log sent landed (lower-cased), for the append that queued it. */
  readonly landedAs: Map<string, AppendOutcome>;
  /** A read-modify-write of the outbox, after every earlier one, so none loses another's entries. */
  mutate(change: (entries: OutboxEntry[]) => OutboxEntry[]): Promise<void>;
  /** Puts events in the outbox (an id already waiting there is not added twice). */
  enqueue(events: readonly ActivityEvent[], idempotent: boolean): Promise<void>;
}

export function createOutboxQueue(outbox: ActivityOutboxPort): OutboxQueue {
  const mine = new Set<string>();
  const landedAs = new Map<string, AppendOutcome>();
  let outboxTurn: Promise<unknown> = Promise.resolve();
  const mutate = (change: (entries: OutboxEntry[]) => OutboxEntry[]): Promise<void> => {
    const run = outboxTurn.then(async () => {
      await outbox.write(change(await outbox.read()));
    });
    outboxTurn = run.catch(() => undefined);
    return run;
  };
  const enqueue = (events: readonly ActivityEvent[], idempotent: boolean) =>
    mutate((entries) => {
      const waiting = new Map(entries.map((e) => [e.event.id.toLowerCase(), e]));
      for (const event of events) {
        const { hash: _h, prevHash: _p, seq: _s, ...content } = event;
        const key = event.id.toLowerCase();
        const already = waiting.get(key);
        if (already) {
          already.idempotent = true;
          continue;
        }
        const entry: OutboxEntry = { event: structuredClone(content), idempotent, attempts: 0 };
        mine.add(key);
        landedAs.delete(key);
        entries.push(entry);
        waiting.set(key, entry);
      }
      return entries;
    });
  return { outbox, mine, landedAs, mutate, enqueue };
}

/**
 * Appends the outbox's events (oldest first), as few moves of the head as they fit in. Resolves
 * with each id's outcome; rejects, leaving what did not land in the outbox.
 */
export async function flushOutbox(
  queue: OutboxQueue,
  ctx: CommitContext,
  signal?: AbortSignal,
): Promise<Map<string, AppendOutcome>> {
  const outcomes = new Map<string, AppendOutcome>();
  /** Ids looked up against the head as this log holds it (cleared when another writer moved it). */
  const checked = new Set<string>();
  let remaining = await queue.outbox.read();
  try {
    while (remaining.length > 0) {
      remaining = await commitOnce(ctx, remaining, outcomes, checked, signal);
      for (const [id, outcome] of outcomes) queue.landedAs.set(id.toLowerCase(), outcome);
      // Landed: out of the outbox (keeping whatever was added meanwhile).
      await queue.mutate((now) => now.filter((e) => !outcomes.has(e.event.id)));
    }
  } catch (error) {
    await queue.mutate((now) => now.map((e) => ({ ...e, attempts: e.attempts + 1 })));
    throw toSeptError(error);
  }
  return outcomes;
}
