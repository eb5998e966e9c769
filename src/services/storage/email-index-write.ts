// The email index's changes (email-index.ts): a save's commit, a record's update, removals (one
// generation per touched shard, finished together), and the mark that earlier versions' emails
// are all moved. Each goes through the shard store's per-month `change` (shard-writes.ts).
// Functions over the index's state (email-index-state.ts), wired by createEmailIndex.
import type { StoredEmailRecord } from "../../core/stored-email.js";
import { hashBits, leafFor, monthOf } from "./record-shards.js";
import { heldKey, type Deferred } from "./shard-store.js";
import { heldMonthOf, legacy, touched, type IndexState } from "./email-index-state.js";
import { load, locate } from "./email-index-rebuild.js";
import type { Committed, EmailToLocate } from "./email-index.js";

/** A save's commit point: adds the record unless one with its saved id is there already. */
export async function commit(
  state: IndexState,
  record: StoredEmailRecord,
  signal?: AbortSignal,
  options: { firstAttempt?: boolean } = {},
): Promise<Committed> {
  let existing: StoredEmailRecord | undefined;
  await state.store.change(
    monthOf(record.message.receivedDateTime),
    record.savedId,
    (records) => {
      existing = records.find((r) => r.savedId === record.savedId);
      return existing ? null : [...records, record];
    },
    signal,
  );
  touched(state);
  if (!existing) return { record, mine: true };
  // A write of this save that landed before its answer was lost: only on a later attempt.
  const mine =
    options.firstAttempt !== true &&
    existing.savedAt === record.savedAt &&
    existing.consentGrantId === record.consentGrantId;
  return { record: existing, mine };
}

/** One stored record by saved id, or null. */
export async function record(
  state: IndexState,
  savedId: string,
  signal?: AbortSignal,
): Promise<StoredEmailRecord | null> {
  const month = await locate(state, savedId, signal);
  if (month === null) return null;
  const { before } = await state.store.change(month, savedId, () => null, signal);
  return before.find((r) => r.savedId === savedId) ?? null;
}

/** Replaces one record (same saved id and month) by `change(it)`; null: unchanged. */
export async function update(
  state: IndexState,
  savedId: string,
  change: (record: StoredEmailRecord) => StoredEmailRecord | null,
  signal?: AbortSignal,
): Promise<StoredEmailRecord | null> {
  const month = await locate(state, savedId, signal);
  if (month === null) return null;
  let updated: StoredEmailRecord | null = null;
  await state.store.change(
    month,
    savedId,
    (records) => {
      const at = records.findIndex((r) => r.savedId === savedId);
      const current = records[at];
      updated = current ? change(current) : null;
      if (!updated) return null;
      const next = [...records];
      next[at] = updated;
      return next;
    },
    signal,
  );
  touched(state);
  return updated;
}

/** Removes these records (a generation per touched shard); resolves to the saved ids removed. */
export async function remove(
  state: IndexState,
  emails: readonly EmailToLocate[],
  signal?: AbortSignal,
): Promise<string[]> {
  const targets = new Set(emails.map((e) => e.savedId));
  // Where each lives: its message month when the caller knows it, else this pane's copies.
  const unknown = emails.filter((e) => !("receivedDateTime" in e));
  if (unknown.some((e) => heldMonthOf(state, e.savedId) === null)) await load(state, false, signal);
  const pending = new Map<string, string>();
  for (const e of emails) {
    const month =
      "receivedDateTime" in e ? monthOf(e.receivedDateTime) : heldMonthOf(state, e.savedId);
    if (month !== null) pending.set(e.savedId, month);
  }
  const removed = await removeFromShards(state, targets, pending, signal);
  const old = await legacy(state, signal);
  if (old) {
    const inOld = old.entries.filter((e) => targets.has(e.savedId)).map((e) => e.savedId);
    if (inOld.length > 0) {
      old.entries = await old.index.apply({ remove: inOld }, signal);
      for (const id of inOld) removed.add(id);
    }
  }
  touched(state);
  return [...removed];
}

/**
 * One generation per touched shard, written side by side, then one catalogue update and
 * batched deletes of the old files for all of them; a leaf of a split month emptied needs no
 * generation: its file is taken out, guarded by its eTag, in the same batched way (retireAll).
 * A shard split meanwhile, or a leaf written or gone before its file was taken out, leaves ids
 * to locate again, until every id's shard has been looked at.
 */
async function removeFromShards(
  state: IndexState,
  targets: ReadonlySet<string>,
  located: Map<string, string>,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const { store } = state;
  let pending = located;
  const removed = new Set<string>();
  const deferred: Deferred = { frozen: [] };
  for (let round = 0; pending.size > 0 && round < 8; round++) {
    const catalogue = (await store.loadCatalogue(signal)).value;
    const byShard = new Map<string, { month: string; first: string }>();
    for (const [savedId, month] of pending) {
      const bits = leafFor(catalogue, month, savedId);
      if (bits === null) {
        pending.delete(savedId);
        continue;
      }
      const key = heldKey(month, bits);
      if (!byShard.has(key)) byShard.set(key, { month, first: savedId });
    }
    const looked = new Set<string>();
    /** Per shard (month~bits as written): the targets its change took out. */
    const goneFrom = new Map<string, string[]>();
    deferred.emptied = [];
    await Promise.all(
      [...byShard.values()].map(async ({ month, first }) => {
        const { before, after, bits } = await store.change(
          month,
          first,
          (records) => {
            const next = records.filter((r) => !targets.has(r.savedId));
            return next.length === records.length ? null : next;
          },
          signal,
          deferred,
        );
        const kept = new Set((after ?? before).map((r) => r.savedId));
        const gone = before.filter((r) => targets.has(r.savedId) && !kept.has(r.savedId));
        goneFrom.set(
          heldKey(month, bits),
          gone.map((r) => r.savedId),
        );
        for (const [savedId, m] of pending) {
          if (m === month && hashBits(savedId).startsWith(bits)) looked.add(savedId);
        }
      }),
    );
    const raced = await store.retireAll(deferred.emptied, signal);
    for (const leaf of raced) {
      // Written or gone since it was read: its ids are looked at again.
      goneFrom.delete(heldKey(leaf.month, leaf.bits));
      for (const [savedId, m] of pending) {
        if (m === leaf.month && hashBits(savedId).startsWith(leaf.bits)) looked.delete(savedId);
      }
    }
    for (const ids of goneFrom.values()) for (const id of ids) removed.add(id);
    pending = new Map([...pending].filter(([savedId]) => !looked.has(savedId)));
  }
  await store.finishAll(deferred.frozen, signal);
  return removed;
}

/** Marks the earlier versions' layout as fully moved: readers stop looking for it. */
export async function markMigrated(state: IndexState, signal?: AbortSignal): Promise<void> {
  await state.store.updateCatalogue(
    (current) =>
      current.legacyMigrated ? null : { ...current, legacyMigrated: new Date().toISOString() },
    signal,
  );
  state.legacyState = "none";
  touched(state);
}
