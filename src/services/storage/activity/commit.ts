// One move of the head: look the waiting events up, seal as many as the head holds onto the
// chain (archiving the head's events first when they would not fit; a run bigger than a head goes
// whole into it and then into one archive shard), write the head under If-Match, and take turns
// with other writers on a 412.
import type { ActivityEvent } from "../../../core/activity/activity.js";
import { CONSENT_HASH_REF, CONSENT_ID_REF, recordHash } from "../../../core/activity/chain.js";
import { delay } from "../../../core/delay.js";
import type { AppendOutcome, OutboxEntry } from "../../../core/ports/activity-log.js";
import type { StoragePort, StoredFile } from "../../../core/ports/storage.js";
import { ACTIVITY_HEAD_PATH, CONSENT_DIR } from "../layout.js";
import { writeShard, type LogState } from "./archive.js";
import { eventBytes, hasCode, parseJsonBytes } from "./event.js";
import {
  archiveOf,
  HEAD_FORMAT,
  readStoredHead,
  RECENT_SHARDS,
  sealOnto,
  type KnownHead,
  type StoredHead,
} from "./head.js";
import { findLogged } from "./lookup.js";

/** Turns at the head before an append gives up (and stays in the outbox): writers rarely meet. */
const HEAD_ATTEMPTS = 12;

/** What a move of the head needs besides the log's state. */
export interface CommitContext {
  state: LogState;
  /** Bytes of events the head holds before they move to a shard. */
  capBytes: number;
  /** Bytes one move of the head takes at most when a run does not fit in one head (a bulk run). */
  bulkBytes: number;
  /** Waits between turns at the head when writers meet. */
  contentionMs: number;
  /** Ids this log put in the outbox itself; others' (another pane sharing it) are looked up first. */
  mine: ReadonlySet<string>;
}

/** A consent event carries its record's hash, so the ledger is covered by the chain. */
async function withRecordHash(
  storage: StoragePort,
  event: ActivityEvent,
  signal?: AbortSignal,
): Promise<ActivityEvent> {
  if (event.kind !== "consent_granted" && event.kind !== "consent_withdrawn") return event;
  const id = event.refs[CONSENT_ID_REF];
  if (!id || event.refs[CONSENT_HASH_REF]) return event;
  const files = await storage.list(CONSENT_DIR, signal);
  const named = files.filter((f) => f.name.includes(id));
  for (const file of named.length > 0 ? named : files) {
    const raw = parseJsonBytes(await storage.read(`${CONSENT_DIR}/${file.name}`, signal));
    if ((raw as { id?: unknown } | undefined)?.id === id) {
      return { ...event, refs: { ...event.refs, [CONSENT_HASH_REF]: await recordHash(raw) } };
    }
  }
  return event;
}

/**
 * The entries not logged yet: those that may have landed before (re-sent, idempotent, another
 * pane's, or a later turn) are looked up once per head; the found are marked "already_logged".
 */
async function notYetLogged(
  ctx: CommitContext,
  entries: readonly OutboxEntry[],
  known: KnownHead,
  attempt: number,
  outcomes: Map<string, AppendOutcome>,
  checked: Set<string>,
  signal?: AbortSignal,
): Promise<OutboxEntry[]> {
  const needsCheck = (entry: OutboxEntry) => {
    const key = entry.event.id.toLowerCase();
    if (checked.has(key)) return false;
    return entry.idempotent || entry.attempts > 0 || attempt > 1 || !ctx.mine.has(key);
  };
  const toCheck = entries.filter(needsCheck).map((e) => e.event.id.toLowerCase());
  const found =
    toCheck.length > 0 ? await findLogged(ctx.state, toCheck, known, signal) : new Set();
  for (const id of toCheck) checked.add(id);
  const todo: OutboxEntry[] = [];
  for (const entry of entries) {
    if (found.has(entry.event.id.toLowerCase())) outcomes.set(entry.event.id, "already_logged");
    else todo.push(entry);
  }
  return todo;
}

/** The run sealed onto the chain after `known`, up to `room` bytes (at least one event). */
async function sealRun(
  ctx: CommitContext,
  known: KnownHead,
  todo: readonly OutboxEntry[],
  room: number,
  signal?: AbortSignal,
): Promise<{ events: ActivityEvent[]; sizes: number[]; bytes: number }> {
  const run = { events: [] as ActivityEvent[], sizes: [] as number[], bytes: 0 };
  let prev = { seq: known.seq, hash: known.hash };
  for (const entry of todo) {
    const event = await withRecordHash(ctx.state.storage, entry.event, signal);
    const one = await sealOnto(event, prev.seq + 1, prev.hash);
    const size = eventBytes(one);
    if (run.bytes + size > room && run.events.length > 0) break;
    run.events.push(one);
    run.sizes.push(size);
    run.bytes += size;
    prev = { seq: one.seq ?? 0, hash: one.hash ?? null };
  }
  return run;
}

/** A next head: what it is, the events it seals, and how it is written. */
interface NextHead {
  next: StoredHead;
  sealed: ActivityEvent[];
  /** The head's events to archive first, when the run does not fit beside them. */
  archive: ReturnType<typeof archiveOf>;
  /** A bulk run: the head holds it whole, and is archived once written (archiveWrittenHead). */
  bulk: boolean;
}

/**
 * The head after sealing the entries. A run that fits in one head goes as before: as many as fit
 * beside the head's events, or, when not even the first does, after archiving them. A run bigger
 * than one head (a bulk run) goes whole into the head, beside its events, up to `bulkBytes`.
 */
async function nextHead(
  ctx: CommitContext,
  known: KnownHead,
  todo: readonly OutboxEntry[],
  signal?: AbortSignal,
): Promise<NextHead> {
  const restart = known.status !== "ok";
  let current = restart ? [] : known.events;
  let shards = restart ? [] : known.shards;
  let used = current.reduce((n, e) => n + eventBytes(e), 0);
  // Where an event is kept (head or shard) does not change its seal: seal first, then place.
  const run = await sealRun(ctx, known, todo, Math.max(ctx.bulkBytes - used, 1), signal);
  const bulk = run.bytes > ctx.capBytes;
  let sealed = run.events;
  let archive: ReturnType<typeof archiveOf> = null;
  if (!bulk) {
    sealed = [];
    for (const [i, one] of run.events.entries()) {
      const size = run.sizes[i]!;
      if (used + size > ctx.capBytes) {
        if (sealed.length > 0) break;
        // The head is full: its events go to a shard first (they are in the chain already).
        archive = current.length > 0 ? archiveOf(known) : null;
        if (archive) {
          current = [];
          shards = [...shards, archive.link].slice(-RECENT_SHARDS);
          used = 0;
        }
      }
      sealed.push(one);
      used += size;
    }
  }
  const last = sealed[sealed.length - 1]!;
  const next: StoredHead = {
    format: HEAD_FORMAT,
    seq: last.seq!,
    hash: last.hash!,
    events: [...current, ...sealed],
    shards,
    legacySeq: restart ? 0 : known.legacySeq,
    genesis: restart || known.seq === 0 ? sealed[0]!.id : known.genesis,
  };
  return { next, sealed, archive, bulk };
}

/**
 * After a bulk run landed in the head: all of the head's events (in the chain already) go to one
 * archive shard (create-only, named from the chain, so a writer doing the same meets it), and the
 * head starts again empty, linked to it. Best effort: when it fails or another writer moved the
 * head first, the head stays as it is, valid, and the next move of the head archives it (its
 * events no longer fit beside any other).
 */
async function archiveWrittenHead(state: LogState, signal?: AbortSignal): Promise<void> {
  const known = state.head;
  const archive = known?.status === "ok" && known.eTag ? archiveOf(known) : null;
  if (!known?.eTag || !archive || known.hash === null) return;
  const next: StoredHead = {
    format: HEAD_FORMAT,
    seq: known.seq,
    hash: known.hash,
    events: [],
    shards: [...known.shards, archive.link].slice(-RECENT_SHARDS),
    legacySeq: known.legacySeq,
    genesis: known.genesis,
  };
  try {
    await writeShard(state, archive, signal);
    const file = await state.storage.writeJson(ACTIVITY_HEAD_PATH, next, {
      ifMatch: known.eTag,
      signal,
    });
    const { format: _format, ...stored } = next;
    state.head = { status: "ok", ...stored, eTag: file.eTag };
  } catch {
    // The run is logged already; whoever moves the head next archives it (see above).
    state.head = null;
  }
}

/**
 * One move of the head: looks the entries up, seals as many as the head holds onto it (first
 * archiving its events if they would not fit with the next one) and writes it under If-Match.
 * Resolves with the entries still to send (those that did not fit).
 */
export async function commitOnce(
  ctx: CommitContext,
  entries: OutboxEntry[],
  outcomes: Map<string, AppendOutcome>,
  checked: Set<string>,
  signal?: AbortSignal,
): Promise<OutboxEntry[]> {
  const { state } = ctx;
  for (let attempt = 1; ; attempt++) {
    const known = state.head ?? (await readStoredHead(state.storage, signal));
    state.head = known;
    const todo = await notYetLogged(ctx, entries, known, attempt, outcomes, checked, signal);
    if (todo.length === 0) return [];
    const { next, sealed, archive, bulk } = await nextHead(ctx, known, todo, signal);
    let file: StoredFile;
    try {
      if (archive) await writeShard(state, archive, signal);
      file = await state.storage.writeJson(
        ACTIVITY_HEAD_PATH,
        next,
        known.eTag ? { ifMatch: known.eTag, signal } : { conflict: "fail", signal },
      );
    } catch (error) {
      // Someone appended first (412), created the head first (409), or removed it (404).
      if (!hasCode(error, "precondition_failed", "conflict", "not_found")) throw error;
      if (attempt >= HEAD_ATTEMPTS) throw error;
      state.head = null;
      checked.clear();
      await delay(ctx.contentionMs * attempt * (0.5 + Math.random()), signal);
      continue;
    }
    const { format: _format, ...stored } = next;
    state.head = { status: "ok", ...stored, eTag: file.eTag };
    for (const event of sealed) {
      outcomes.set(event.id, "appended");
      state.logged.add(event.id.toLowerCase());
    }
    if (bulk) await archiveWrittenHead(state, signal);
    return todo.slice(sealed.length);
  }
}
