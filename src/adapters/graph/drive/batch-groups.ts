// Which inner requests travel together in each round of a batched call.

/** Requests per JSON $batch (contract §4). */
export const MAX_BATCH_REQUESTS = 20;

/** One inner request of a batched call, with the re-sends it has had. */
export interface BatchItem {
  /** Unique within the call. */
  key: string;
  url: string;
  resent: number;
  /** The key of an item this one is sent after (in the same $batch), when it must wait for it. */
  dependsOn?: string;
}

/**
 * The next round's $batch groups from `pending`: an item whose dependency failed for good is
 * answered 424 at once; one whose dependency is still unsettled goes right after it in the same
 * group, or waits a round (`deferred`).
 */
export function packRound<T extends BatchItem>(
  pending: readonly T[],
  settled: ReadonlySet<string>,
  succeeded: ReadonlySet<string>,
  answerFailedDependency: (item: T) => void,
): { groups: T[][]; deferred: T[] } {
  const groups: T[][] = [];
  let group: T[] = [];
  const deferred: T[] = [];
  for (const item of pending) {
    const dependency = item.dependsOn;
    if (dependency !== undefined && settled.has(dependency) && !succeeded.has(dependency)) {
      // Its dependency failed for good: never sent, answered as Graph would (424).
      answerFailedDependency(item);
      continue;
    }
    // A dependency still unsettled goes first, in the same $batch; else this waits a round.
    if (
      dependency !== undefined &&
      !settled.has(dependency) &&
      !group.some((g) => g.key === dependency)
    ) {
      deferred.push(item);
      continue;
    }
    if (group.length >= MAX_BATCH_REQUESTS) {
      groups.push(group);
      group = [];
      if (dependency !== undefined && !settled.has(dependency)) {
        deferred.push(item);
        continue;
      }
    }
    group.push(item);
  }
  if (group.length > 0) groups.push(group);
  return { groups, deferred };
}
