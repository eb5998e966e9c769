import type { ActivityEvent, ActivityKind, ActivityOutcome } from "../../core/activity/activity.js";
import {
  canonicalJson,
  CONSENT_HASH_REF,
  CONSENT_ID_REF,
  hashEvent,
  recordHash,
  verifyLog,
  type ChainHead,
  type ChainLink,
  type CoveredRecord,
  type LogProblem,
} from "../../core/activity/chain.js";
import { delay } from "../../core/delay.js";
import { SeptError, toSeptError } from "../../core/errors.js";
import type {
  ActivityLogPort,
  ActivityOutboxPort,
  AppendManyResult,
  AppendOutcome,
  OutboxEntry,
} from "../../core/ports/activity-log.js";
import type { StoragePort, StoredFile } from "../../core/ports/storage.js";
import { ACTIVITY_DIR, ACTIVITY_HEAD_PATH, ACTIVITY_SHARDS_DIR, CONSENT_DIR } from "./layout.js";

const KINDS: readonly ActivityKind[] = [
  "consent_granted",
  "consent_withdrawn",
  "email_saved",
  "email_deleted",
  "email_purged",
  "email_corrected",
  "data_exported",
  "settings_changed",
  "all_data_deleted",
];
const OUTCOMES: readonly ActivityOutcome[] = ["success", "failure", "cancelled"];
const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** Downloads in flight per refresh: storage limits concurrency itself, this only bounds memory. */
const READ_BATCH = 8;
/**
 * Unchanged from the versions that filed every event on its own, so that such a version, meeting
 * a sharded head, reads it as its own: it files the head's events one by one before it moves the
 * head (nothing lost while both versions are about). A head is sharded when it has `shards`.
 */
export const HEAD_FORMAT = "sept-activity-head/1";
export const SHARD_FORMAT = "sept-activity-shard/1";
/**
 * Bytes of sealed events the head holds before they move to an archive shard. Chosen in bytes,
 * not events, because what an append costs is the bytes of the head it rewrites (events differ in
 * size: a consent event carries purposes and a hash, a privacy-office one its reference): 48 KB is
 * one small PUT per append (under the 64 KB a save may write to a file that lists many things),
 * one small download per shard for a look-up, and about 110 purge events per shard.
 */
export const SHARD_BYTES = 48 * 1024;
/** Links to the newest shards the head keeps, so a look-up reads them without a listing. */
const RECENT_SHARDS = 8;
/** A look-up walks back through shards until this many in a row held none of its ids. */
const LOOKBACK_SHARDS = 2;
/** Turns at the head before an append gives up (and stays in the outbox): writers rarely meet. */
const HEAD_ATTEMPTS = 12;
/** Ids a look-up in per-event files of earlier versions stats one each; more, one listing. */
const STATS_PER_RUN = 4;
const HEAD_FILE = ACTIVITY_HEAD_PATH.slice(ACTIVITY_DIR.length + 1);
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Checks that an id is path-safe and not "head". Versions before shards filed every event as
 * `activity/{id}.json` (some as `{time}-{id}.json`); those files stay, still list and verify, and
 * this is where a look-up finds such an event by its id (one stat). OneDrive names are
 * case-insensitive: ids differing only in case are the same event.
 */
export function activityEventFile(id: string): string {
  if (!EVENT_ID.test(id) || id.toLowerCase() === "head") {
    throw new SeptError("bad_request", {
      message: `Activity event id '${id}' is not path-safe.`,
      params: { eventId: id },
    });
  }
  return `${ACTIVITY_DIR}/${id}.json`;
}

/** Where an archive shard is named from: its first place in the chain and its last event's hash. */
export interface ShardLink {
  /** File name in `activity/shards/`. */
  name: string;
  /** Place of its first and last events. */
  first: number;
  last: number;
  /** Its last event's hash: the next shard's (or the head's) first event points at it. */
  hash: string;
}

/**
 * `activity/shards/{first place, 10 digits}-{16 hex of its last hash}.json`: from the chain alone,
 * never email data. Two writers archiving the same head compute the same name and the same
 * content, so "create, fail if it exists" makes archiving idempotent; a chain restarted over a
 * removed head reuses places but not hashes, so it cannot overwrite (or be taken for) an old shard.
 */
export function shardName(first: number, lastHash: string): string {
  return `${String(first).padStart(10, "0")}-${lastHash.slice(0, 16)}.json`;
}

const shardPath = (name: string) => `${ACTIVITY_SHARDS_DIR}/${name}`;

export function parseActivityEvent(value: unknown): ActivityEvent | null {
  if (!value || typeof value !== "object") return null;
  const e = value as Record<string, unknown>;
  if (typeof e.id !== "string" || typeof e.at !== "string") return null;
  if (!KINDS.includes(e.kind as ActivityKind) || !OUTCOMES.includes(e.outcome as ActivityOutcome)) {
    return null;
  }
  const refs: Record<string, string> = {};
  if (e.refs && typeof e.refs === "object") {
    for (const [k, v] of Object.entries(e.refs)) if (typeof v === "string") refs[k] = v;
  }
  return {
    id: e.id,
    at: e.at,
    kind: e.kind as ActivityKind,
    outcome: e.outcome as ActivityOutcome,
    refs,
    ...(typeof e.projectId === "string" ? { projectId: e.projectId } : {}),
    ...(typeof e.sizeBytes === "number" ? { sizeBytes: e.sizeBytes } : {}),
    ...(typeof e.errorCode === "string" ? { errorCode: e.errorCode } : {}),
    ...(e.details && typeof e.details === "object"
      ? { details: e.details as ActivityEvent["details"] }
      : {}),
    ...(typeof e.hash === "string" ? { hash: e.hash } : {}),
    ...(typeof e.prevHash === "string" || e.prevHash === null ? { prevHash: e.prevHash } : {}),
    ...(typeof e.seq === "number" ? { seq: e.seq } : {}),
  };
}

/**
 * The head as stored: the newest place and hash, and every event of the current shard (sealed,
 * oldest first). A head written by an earlier version has no `shards`: its events are those of
 * its last append, and every event before them is a file of its own.
 */
interface StoredHead {
  format: typeof HEAD_FORMAT;
  seq: number;
  hash: string;
  events: ActivityEvent[];
  /** The newest archive shards, oldest first (at most RECENT_SHARDS); [] before the first. */
  shards: ShardLink[];
  /** Places 1..legacySeq may be per-event files of earlier versions (0: the log began sharded). */
  legacySeq: number;
  /** Id of the chain's first event, when this layout began the chain (null: earlier versions). */
  genesis: string | null;
}

/** An archive shard: events that were the head's, written once when the head was full. */
interface StoredShard {
  format: typeof SHARD_FORMAT;
  events: ActivityEvent[];
  /** The shard before it, or null when it is the first (before it: legacy files, or nothing). */
  prior: ShardLink | null;
  legacySeq: number;
}

/** The head as this log last knew it; eTag null when there was none (the next write creates it). */
interface KnownHead {
  /** "absent": no head file; "unreadable": a file that is not a head (the chain restarts over it). */
  status: "ok" | "absent" | "unreadable";
  seq: number;
  hash: string | null;
  events: ActivityEvent[];
  shards: ShardLink[];
  legacySeq: number;
  genesis: string | null;
  eTag: string | null;
}

const isPlace = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 1;

function parseLink(value: unknown): ShardLink | null {
  if (!value || typeof value !== "object") return null;
  const l = value as Record<string, unknown>;
  if (typeof l.name !== "string" || typeof l.hash !== "string") return null;
  if (!isPlace(l.first) || !isPlace(l.last) || l.name !== shardName(l.first, l.hash)) return null;
  return { name: l.name, first: l.first, last: l.last, hash: l.hash };
}

function parseHead(value: unknown): StoredHead | null {
  if (!value || typeof value !== "object") return null;
  const h = value as Record<string, unknown>;
  if (h.format !== HEAD_FORMAT || typeof h.hash !== "string") return null;
  if (!isPlace(h.seq) || !Array.isArray(h.events)) return null;
  const events = h.events as ActivityEvent[];
  if (!Array.isArray(h.shards)) {
    // An earlier version's head: its events are carried on as the current shard's first ones.
    const { seq, hash } = h;
    return { format: HEAD_FORMAT, seq, hash, events, shards: [], legacySeq: seq, genesis: null };
  }
  const shards = h.shards.flatMap((l) => parseLink(l) ?? []);
  const legacySeq = typeof h.legacySeq === "number" && h.legacySeq >= 0 ? h.legacySeq : 0;
  const genesis = typeof h.genesis === "string" ? h.genesis : null;
  return { format: HEAD_FORMAT, seq: h.seq, hash: h.hash, events, shards, legacySeq, genesis };
}

function parseShard(value: unknown): StoredShard | null {
  if (!value || typeof value !== "object") return null;
  const s = value as Record<string, unknown>;
  if (s.format !== SHARD_FORMAT || !Array.isArray(s.events)) return null;
  return {
    format: SHARD_FORMAT,
    events: s.events as ActivityEvent[],
    prior: parseLink(s.prior),
    legacySeq: typeof s.legacySeq === "number" ? s.legacySeq : 0,
  };
}

/** Reads the head: absent, unreadable (a file that is not a head) or as stored, with its eTag. */
async function readStoredHead(storage: StoragePort, signal?: AbortSignal): Promise<KnownHead> {
  const empty = { seq: 0, hash: null, events: [], shards: [], legacySeq: 0, genesis: null };
  try {
    const { value, file } = await storage.readJson<unknown>(ACTIVITY_HEAD_PATH, signal);
    const parsed = parseHead(value);
    // An unreadable head: the chain restarts over it; verify() reports what it left behind.
    if (!parsed) return { status: "unreadable", ...empty, eTag: file.eTag };
    const { format: _format, ...head } = parsed;
    return { status: "ok", ...head, eTag: file.eTag };
  } catch (error) {
    if (hasCode(error, "not_found")) return { status: "absent", ...empty, eTag: null };
    // Present but not JSON: as unreadable (its eTag from a stat, so the restart is guarded).
    if (hasCode(error, "unknown")) {
      const file = await storage.stat(ACTIVITY_HEAD_PATH, signal);
      if (file) return { status: "unreadable", ...empty, eTag: file.eTag };
    }
    throw error;
  }
}

/** One stored file as last read: verification hashes `raw` (exactly what is stored). */
interface StoredFileRead {
  name: string;
  eTag: string;
  raw: unknown;
}

/** Bytes an event takes in the head (its JSON and a comma). */
const eventBytes = (event: unknown): number =>
  new TextEncoder().encode(JSON.stringify(event)).byteLength + 1;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first: chain place first, then ISO time; the id breaks ties so the order is stable. */
const newer = (a: ActivityEvent, b: ActivityEvent): number =>
  (b.seq ?? 0) - (a.seq ?? 0) || byCodeUnits(b.at, a.at) || byCodeUnits(b.id, a.id);

function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    // Not JSON any more: kept as unreadable, which verify() reports as an edited event.
    return undefined;
  }
}

const hasCode = (error: unknown, ...codes: string[]): boolean =>
  error instanceof SeptError && codes.includes(error.code);

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

export interface ActivityLogOptions {
  /**
   * Where events wait until they land: the pane keeps it in localStorage (survives a reload or a
   * crash), the tenant job wherever it likes. Default: in memory (lost with the process).
   */
  outbox?: ActivityOutboxPort;
  /** Waits between turns at the head when writers meet (default: a few tens of ms, jittered). */
  contentionDelayMs?: number;
  /** Bytes of events the head holds before they move to a shard (default SHARD_BYTES; tests). */
  shardBytes?: number;
}

/**
 * One chain per user, kept in shards: the head (`activity/head.json`) holds every event of the
 * current shard, sealed, and an append is one write of the head under If-Match, so two panes and
 * the tenant job appending at once take turns (a 412 means "someone appended first": read the
 * head again, reseal, retry) and no event is lost or forked. When the head would pass
 * `shardBytes`, its events (all already in the chain) are first written as an archive shard
 * (`activity/shards/…`, created only if absent; see shardName), then the head starts again with
 * the new events, its first one pointing at the shard's last hash. Shards are never changed.
 *
 * Logs of earlier versions continue with no rewrite: their per-event files stay where they are,
 * their head's last events are carried into the first sharded head, and the chain goes on.
 *
 * Every event goes through the outbox: kept before it is sent, removed once the head holds it, and
 * re-sent first at the next append or flush(). An event that was sent before (or whose id is
 * deterministic) is looked up first, so a re-send that meets itself is not logged twice. The
 * look-up is bounded: the head's events, then the archive shards newest first, until
 * LOOKBACK_SHARDS shards in a row held none of the ids looked for (each shard is read at most
 * once per log: it never changes), then (when the walk reaches the chain's start) the per-event
 * files of earlier versions, by stat or one listing. An id logged further back than that is logged
 * again; list() shows it once.
 *
 * Costs: an append is one write (the head), plus one (the shard) each time the head is full; the
 * first append of a log instance reads the head first (one GET, at most about shardBytes).
 */
export function createStorageActivityLog(
  storage: StoragePort,
  options: ActivityLogOptions = {},
): ActivityLogPort {
  const outbox = options.outbox ?? createMemoryOutbox();
  const contentionMs = options.contentionDelayMs ?? 25;
  const capBytes = options.shardBytes ?? SHARD_BYTES;
  /** Per-event files of earlier versions, as last read. */
  const legacyCache = new Map<string, StoredFileRead>();
  /** Archive shards as last read or written (they never change; verify re-reads a changed eTag). */
  const shardCache = new Map<string, StoredFileRead>();
  /** Names of per-event files of earlier versions, once listed (no current version adds any). */
  let legacyNames: Set<string> | null = null;
  /** Lower-cased ids known to be logged. */
  const logged = new Set<string>();
  let head: KnownHead | null = null;
  /** How each id this log sent landed, for the append that queued it. */
  const landedAs = new Map<string, AppendOutcome>();
  /** Every read-modify-write of the outbox, one at a time, so none loses another's entries. */
  let outboxTurn: Promise<unknown> = Promise.resolve();
  const mutateOutbox = (change: (entries: OutboxEntry[]) => OutboxEntry[]): Promise<void> => {
    const run = outboxTurn.then(async () => {
      await outbox.write(change(await outbox.read()));
    });
    outboxTurn = run.catch(() => undefined);
    return run;
  };
  /** Ids this log put in the outbox itself; others' (another pane sharing it) are looked up first. */
  const mine = new Set<string>();
  /** One append at a time per log: its own appends never race each other for the head. */
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = turn.then(task, task);
    turn = run.catch(() => undefined);
    return run;
  };

  const readHead = (signal?: AbortSignal) => readStoredHead(storage, signal);

  /** A shard by name, from the cache or one read; null when it is gone or not a shard. */
  const shardEvents = async (name: string, signal?: AbortSignal) => {
    let known = shardCache.get(name);
    if (!known) {
      try {
        const { value, file } = await storage.readJson<unknown>(shardPath(name), signal);
        known = { name, eTag: file.eTag, raw: value };
      } catch (error) {
        if (!hasCode(error, "not_found", "unknown")) throw error;
        return null;
      }
      shardCache.set(name, known);
    }
    return parseShard(known.raw);
  };

  /** Which of these (lower-cased) ids are logged already: see the bounded look-up above. */
  const findLogged = async (
    ids: readonly string[],
    known: KnownHead,
    signal?: AbortSignal,
  ): Promise<Set<string>> => {
    const found = new Set<string>();
    const remaining = new Set<string>();
    for (const id of ids) (logged.has(id) ? found : remaining).add(id);
    const take = (events: readonly ActivityEvent[]) => {
      let hit = false;
      for (const e of events) {
        const key = typeof e?.id === "string" ? e.id.toLowerCase() : "";
        if (remaining.delete(key)) {
          found.add(key);
          hit = true;
        }
      }
      return hit;
    };
    take(known.events);
    const links = [...known.shards].reverse();
    let next: ShardLink | null = links[0] ?? null;
    let atStart = next === null;
    let misses = 0;
    for (let i = 0; next && remaining.size > 0 && misses < LOOKBACK_SHARDS;) {
      const shard = await shardEvents(next.name, signal);
      misses = shard && take(shard.events) ? 0 : misses + 1;
      i += 1;
      next = links[i] ?? shard?.prior ?? null;
      atStart = next === null && shard !== null;
    }
    // Back at the chain's start: the events before it are files of their own (earlier versions).
    if (remaining.size === 0 || !atStart || misses >= LOOKBACK_SHARDS || known.legacySeq === 0) {
      return found;
    }
    const rest = [...remaining];
    if (rest.length > STATS_PER_RUN || legacyNames) {
      legacyNames ??= new Set(
        (await storage.list(ACTIVITY_DIR, signal))
          .filter((f) => f.name.endsWith(".json") && f.name !== HEAD_FILE)
          .map((f) => f.name.slice(0, -".json".length).toLowerCase()),
      );
      for (const id of rest) if (legacyNames.has(id)) found.add(id);
    } else {
      for (const id of rest) {
        if (await storage.stat(activityEventFile(id), signal)) found.add(id);
      }
    }
    return found;
  };

  /** A consent event carries its record's hash, so the ledger is covered by the chain. */
  const withRecordHash = async (event: ActivityEvent, signal?: AbortSignal) => {
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
  };

  /** Sealed as it will read back from JSON (undefined fields gone), so later reads hash the same. */
  const sealOnto = async (input: ActivityEvent, seq: number, prevHash: string | null) => {
    const { hash: _hash, prevHash: _prev, seq: _seq, ...content } = input;
    const chained = JSON.parse(JSON.stringify({ ...content, seq, prevHash })) as ActivityEvent;
    return { ...chained, hash: await hashEvent(chained) };
  };

  /** The head's events as an archive shard, and the link the next head keeps to it. */
  const archiveOf = (known: KnownHead): { link: ShardLink; shard: StoredShard } | null => {
    const events = known.events;
    const first = events[0];
    const last = events[events.length - 1];
    if (!isPlace(first?.seq) || !isPlace(last?.seq) || typeof last.hash !== "string") return null;
    if (!SHA256_HEX.test(last.hash)) return null;
    const link = {
      name: shardName(first.seq, last.hash),
      first: first.seq,
      last: last.seq,
      hash: last.hash,
    };
    const prior = known.shards[known.shards.length - 1] ?? null;
    return { link, shard: { format: SHARD_FORMAT, events, prior, legacySeq: known.legacySeq } };
  };

  /**
   * Writes an archive shard once: "create, fail if it exists". A conflict is another writer that
   * archived the same head first: the name holds the first place and the last hash, so the file
   * there holds these events.
   */
  const writeShard = async (
    archive: { link: ShardLink; shard: StoredShard },
    signal?: AbortSignal,
  ) => {
    if (shardCache.has(archive.link.name)) return;
    try {
      const file = await storage.writeJson(shardPath(archive.link.name), archive.shard, {
        conflict: "fail",
        signal,
      });
      shardCache.set(archive.link.name, {
        name: archive.link.name,
        eTag: file.eTag,
        raw: structuredClone(archive.shard),
      });
    } catch (error) {
      if (!hasCode(error, "conflict")) throw error;
    }
  };

  /**
   * One move of the head: looks the entries up, seals as many as the head holds onto it (first
   * archiving its events if they would not fit with the next one) and writes it under If-Match.
   * Resolves with the entries still to send (those that did not fit).
   */
  const commitOnce = async (
    entries: OutboxEntry[],
    outcomes: Map<string, AppendOutcome>,
    checked: Set<string>,
    signal?: AbortSignal,
  ): Promise<OutboxEntry[]> => {
    for (let attempt = 1; ; attempt++) {
      const known = head ?? (await readHead(signal));
      head = known;
      const needsCheck = (entry: OutboxEntry) => {
        const key = entry.event.id.toLowerCase();
        if (checked.has(key)) return false;
        return entry.idempotent || entry.attempts > 0 || attempt > 1 || !mine.has(key);
      };
      const toCheck = entries.filter(needsCheck).map((e) => e.event.id.toLowerCase());
      const found = toCheck.length > 0 ? await findLogged(toCheck, known, signal) : new Set();
      for (const id of toCheck) checked.add(id);
      const todo: OutboxEntry[] = [];
      for (const entry of entries) {
        if (found.has(entry.event.id.toLowerCase())) outcomes.set(entry.event.id, "already_logged");
        else todo.push(entry);
      }
      if (todo.length === 0) return [];

      const restart = known.status !== "ok";
      let current = restart ? [] : known.events;
      let shards = restart ? [] : known.shards;
      let used = current.reduce((n, e) => n + eventBytes(e), 0);
      let prev = { seq: known.seq, hash: known.hash };
      const sealed: ActivityEvent[] = [];
      let archive: ReturnType<typeof archiveOf> = null;
      for (const entry of todo) {
        const one = await sealOnto(
          await withRecordHash(entry.event, signal),
          prev.seq + 1,
          prev.hash,
        );
        const size = eventBytes(one);
        if (used + size > capBytes) {
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
        prev = { seq: one.seq ?? 0, hash: one.hash ?? null };
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
      let file: StoredFile;
      try {
        if (archive) await writeShard(archive, signal);
        file = await storage.writeJson(
          ACTIVITY_HEAD_PATH,
          next,
          known.eTag ? { ifMatch: known.eTag, signal } : { conflict: "fail", signal },
        );
      } catch (error) {
        // Someone appended first (412), created the head first (409), or removed it (404).
        if (!hasCode(error, "precondition_failed", "conflict", "not_found")) throw error;
        if (attempt >= HEAD_ATTEMPTS) throw error;
        head = null;
        checked.clear();
        await delay(contentionMs * attempt * (0.5 + Math.random()), signal);
        continue;
      }
      const { format: _format, ...stored } = next;
      head = { status: "ok", ...stored, eTag: file.eTag };
      for (const event of sealed) {
        outcomes.set(event.id, "appended");
        logged.add(event.id.toLowerCase());
      }
      return todo.slice(sealed.length);
    }
  };

  /**
   * Appends the outbox's events (oldest first), as few moves of the head as they fit in. Resolves
   * with each id's outcome; rejects, leaving what did not land in the outbox.
   */
  const flushOutbox = async (signal?: AbortSignal): Promise<Map<string, AppendOutcome>> => {
    const outcomes = new Map<string, AppendOutcome>();
    /** Ids looked up against the head as this log holds it (cleared when another writer moved it). */
    const checked = new Set<string>();
    let remaining = await outbox.read();
    try {
      while (remaining.length > 0) {
        remaining = await commitOnce(remaining, outcomes, checked, signal);
        for (const [id, outcome] of outcomes) landedAs.set(id.toLowerCase(), outcome);
        // Landed: out of the outbox (keeping whatever was added meanwhile).
        await mutateOutbox((now) => now.filter((e) => !outcomes.has(e.event.id)));
      }
    } catch (error) {
      await mutateOutbox((now) => now.map((e) => ({ ...e, attempts: e.attempts + 1 })));
      throw toSeptError(error);
    }
    return outcomes;
  };

  /** Puts events in the outbox (an id already waiting there is not added twice). */
  const enqueue = (events: readonly ActivityEvent[], idempotent: boolean) =>
    mutateOutbox((entries) => {
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

  const validate = (events: readonly ActivityEvent[]) => {
    const ids = new Set<string>();
    for (const event of events) {
      activityEventFile(event.id);
      const key = event.id.toLowerCase();
      if (ids.has(key)) {
        throw new SeptError("bad_request", {
          message: `Activity event id '${event.id}' is twice in one run.`,
          params: { eventId: event.id },
        });
      }
      ids.add(key);
    }
  };

  const appendRun = async (
    events: readonly ActivityEvent[],
    idempotent: boolean,
    signal?: AbortSignal,
  ): Promise<Map<string, AppendOutcome>> => {
    validate(events);
    // Queued at once, sent by the next flush: appends made while one is on the wire go together,
    // in one move of the head (group commit), in the order they were made.
    await enqueue(events, idempotent);
    const landed = () => events.every((e) => landedAs.has(e.id.toLowerCase()));
    try {
      await serial(async () => {
        if ((await outbox.read()).length > 0) await flushOutbox(signal);
      });
    } catch (error) {
      // A later run of the same flush failed: these events had landed all the same.
      if (!landed()) throw error;
    }
    const outcomes = new Map<string, AppendOutcome>();
    for (const event of events) {
      const outcome = landedAs.get(event.id.toLowerCase());
      if (outcome) outcomes.set(event.id, outcome);
    }
    return outcomes;
  };

  /** Reads into `cache` the files of a listing it does not hold at that eTag; drops the gone. */
  const readListed = async (
    folder: string,
    files: StoredFile[],
    cache: Map<string, StoredFileRead>,
    signal?: AbortSignal,
  ) => {
    const stale = files.filter((f) => cache.get(f.name)?.eTag !== f.eTag);
    for (let i = 0; i < stale.length; i += READ_BATCH) {
      await Promise.all(
        stale.slice(i, i + READ_BATCH).map(async (f) => {
          try {
            // The listing's eTag: if the file changes before the download, the next listing
            // differs from it and the file is read again, so a change is never cached away.
            const raw = parseJsonBytes(await storage.read(`${folder}/${f.name}`, signal));
            cache.set(f.name, { name: f.name, eTag: f.eTag, raw });
          } catch (error) {
            // Removed between the listing and the read: it is simply no longer in the log.
            if (hasCode(error, "not_found")) return;
            throw error;
          }
        }),
      );
    }
    const present = new Set(files.map((f) => f.name));
    for (const name of cache.keys()) if (!present.has(name)) cache.delete(name);
    return [...cache.values()].filter((s) => present.has(s.name));
  };

  /** The whole log as stored now: head, archive shards, per-event files of earlier versions. */
  const refresh = async (signal?: AbortSignal) => {
    const [known, rootFiles, shardFiles] = await Promise.all([
      readHead(signal),
      storage.list(ACTIVITY_DIR, signal),
      storage.list(ACTIVITY_SHARDS_DIR, signal),
    ]);
    head = known;
    const eventFiles = rootFiles.filter((f) => f.name.endsWith(".json") && f.name !== HEAD_FILE);
    legacyNames = new Set(eventFiles.map((f) => f.name.slice(0, -".json".length).toLowerCase()));
    const legacy = await readListed(ACTIVITY_DIR, eventFiles, legacyCache, signal);
    const shards = await readListed(
      ACTIVITY_SHARDS_DIR,
      shardFiles.filter((f) => f.name.endsWith(".json")),
      shardCache,
      signal,
    );
    return { legacy, shards, known };
  };

  /** Every event as stored (raw), from wherever it is kept; unreadable files as problems. */
  const storedEvents = (log: Awaited<ReturnType<typeof refresh>>) => {
    const raws: unknown[] = [];
    const unreadable: LogProblem[] = [];
    for (const { name, raw } of log.legacy) {
      const record = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : null;
      if (record && typeof record.id === "string") raws.push(raw);
      else unreadable.push({ kind: "edited", eventId: name.replace(/\.json$/, "") });
    }
    for (const { name, raw } of log.shards) {
      const shard = parseShard(raw);
      if (!shard)
        unreadable.push({ kind: "edited", eventId: `shards/${name.replace(/\.json$/, "")}` });
      else raws.push(...shard.events);
    }
    raws.push(...log.known.events);
    // The same sealed event kept twice (a head's events carried on, or archived by a writer that
    // stopped before it moved the head) is one event.
    const seen = new Set<string>();
    const events: Array<ChainLink & Record<string, unknown>> = [];
    for (const raw of raws) {
      const record = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : null;
      if (!record || typeof record.id !== "string") {
        unreadable.push({ kind: "edited", eventId: "head" });
        continue;
      }
      const key = canonicalJson(record);
      if (seen.has(key)) continue;
      seen.add(key);
      events.push({ ...structuredClone(record), id: record.id });
    }
    for (const e of events) {
      if (typeof e.hash === "string") logged.add(e.id.toLowerCase());
    }
    return { events, unreadable };
  };

  const list = async (signal?: AbortSignal): Promise<ActivityEvent[]> => {
    const { events: raws } = storedEvents(await refresh(signal));
    const events = raws.flatMap((raw) => parseActivityEvent(raw) ?? []).sort(newer);
    // One event per id: a duplicate (two writers logging one act at once) shows once, the first.
    const seen = new Set<string>();
    return events
      .reverse()
      .filter((e) => {
        const key = e.id.toLowerCase();
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .reverse();
  };

  const consentRecords = async (signal?: AbortSignal): Promise<CoveredRecord[]> => {
    const files = (await storage.list(CONSENT_DIR, signal)).filter((f) => f.name.endsWith(".json"));
    const records: CoveredRecord[] = [];
    for (let i = 0; i < files.length; i += READ_BATCH) {
      const batch = files.slice(i, i + READ_BATCH);
      const raws = await Promise.all(
        batch.map((f) =>
          storage.read(`${CONSENT_DIR}/${f.name}`, signal).then(parseJsonBytes, (error) => {
            if (hasCode(error, "not_found")) return undefined;
            throw error;
          }),
        ),
      );
      for (const [j, raw] of raws.entries()) {
        const id = (raw as { id?: unknown } | undefined)?.id;
        if (typeof id !== "string") continue;
        records.push({ id, hash: await recordHash(raw), storedAt: batch[j]!.lastModified });
      }
    }
    return records;
  };

  return {
    async append(event) {
      await appendRun([event], false);
    },
    async appendIdempotent(event) {
      const outcomes = await appendRun([event], true);
      return outcomes.get(event.id) ?? "already_logged";
    },
    async appendMany(events, opts = {}) {
      if (events.length === 0) return [];
      let outcomes: Map<string, AppendOutcome>;
      try {
        outcomes = await appendRun(events, opts.idempotent ?? false, opts.signal);
      } catch (error) {
        const septError = toSeptError(error);
        if (septError.code === "bad_request") throw septError;
        return events.map((e): AppendManyResult => ({ id: e.id, error: septError }));
      }
      return events.map((e): AppendManyResult => ({
        id: e.id,
        outcome: outcomes.get(e.id) ?? "already_logged",
      }));
    },
    flush(signal) {
      return serial(async () => {
        if ((await outbox.read()).length > 0) await flushOutbox(signal);
      });
    },
    async pending() {
      return (await outbox.read()).length;
    },
    list,
    async verify(signal) {
      const [log, records] = await Promise.all([refresh(signal), consentRecords(signal)]);
      const known = log.known;
      const chainHead: ChainHead | null | "unreadable" =
        known.status === "ok" && known.hash !== null
          ? { seq: known.seq, hash: known.hash }
          : known.status === "absent"
            ? null
            : "unreadable";
      const { events, unreadable } = storedEvents(log);
      const verdict = await verifyLog({ head: chainHead, events, consentRecords: records });
      const problems = [...unreadable, ...verdict.problems];
      return { ...verdict, ok: problems.length === 0, problems };
    },
  };
}

/**
 * How many events the log holds and how many files keep them, from the head and two listings
 * (no event is read): every place of the chain, plus the per-event files of earlier versions
 * beyond the places the head counts (events from before the chain began).
 */
export async function activityLogSize(
  storage: StoragePort,
  signal?: AbortSignal,
): Promise<{ events: number; files: number }> {
  const [known, rootFiles, shardFiles] = await Promise.all([
    readStoredHead(storage, signal),
    storage.list(ACTIVITY_DIR, signal),
    storage.list(ACTIVITY_SHARDS_DIR, signal),
  ]);
  const eventFiles = rootFiles.filter((f) => f.name.endsWith(".json") && f.name !== HEAD_FILE);
  const events = eventFiles.length + Math.max(0, known.seq - known.legacySeq);
  return { events, files: rootFiles.length + shardFiles.length };
}

/**
 * Did the user's chain begin with this event (e.g. a "delete all my data" record, which starts a
 * new chain)? The head names its chain's first event; a chain of an earlier version is asked by
 * the event's own file (one stat).
 */
export async function chainBeginsWith(
  storage: StoragePort,
  id: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const path = activityEventFile(id);
  const known = await readStoredHead(storage, signal);
  if (known.status === "ok" && known.genesis !== null) {
    return known.genesis.toLowerCase() === id.toLowerCase();
  }
  return (await storage.stat(path, signal)) !== null;
}
