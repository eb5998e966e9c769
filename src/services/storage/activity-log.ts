import type { ActivityEvent, ActivityKind, ActivityOutcome } from "../../core/activity/activity.js";
import {
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
import { ACTIVITY_DIR, ACTIVITY_HEAD_PATH, CONSENT_DIR } from "./layout.js";

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
export const HEAD_FORMAT = "sept-activity-head/1";
/** Turns at the head before an append gives up (and stays in the outbox): writers rarely meet. */
const HEAD_ATTEMPTS = 12;
/** Events per move of the head (three $batch of event files): the head carries them, so it stays small. */
const MAX_RUN = 60;
/** Ids an append looks up one stat each; more, and one listing of the log answers for all. */
const STATS_PER_RUN = 4;
const HEAD_FILE = ACTIVITY_HEAD_PATH.slice(ACTIVITY_DIR.length + 1);

/**
 * `activity/{id}.json`: the name follows from the id alone, so an idempotent append finds an
 * earlier event by its name (one stat, no listing). Files named `{time}-{id}.json` by earlier
 * versions still list and verify (as legacy). OneDrive names are case-insensitive: ids differing
 * only in case are the same file. "head" is the head's own name, never an event's.
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

/**
 * Where an event goes whose id another act already holds (two writers logging one deterministic
 * id at once): it is in the chain, so it is stored, under a name of its own; list() shows one.
 */
const duplicateFile = (id: string, seq: number) => `${ACTIVITY_DIR}/${id}--${seq}.json`;

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

/** The head as stored: the newest place and hash, and the events of the last append (sealed). */
interface StoredHead {
  format: typeof HEAD_FORMAT;
  seq: number;
  hash: string;
  events: ActivityEvent[];
}

/** The head as this log last knew it; eTag null when there was none (the next write creates it). */
interface KnownHead {
  /** "absent": no head file; "unreadable": a file that is not a head (the chain restarts over it). */
  status: "ok" | "absent" | "unreadable";
  seq: number;
  hash: string | null;
  events: ActivityEvent[];
  eTag: string | null;
}

function parseHead(value: unknown): StoredHead | null {
  if (!value || typeof value !== "object") return null;
  const h = value as Record<string, unknown>;
  if (h.format !== HEAD_FORMAT || typeof h.hash !== "string") return null;
  if (typeof h.seq !== "number" || !Number.isInteger(h.seq) || h.seq < 1) return null;
  if (!Array.isArray(h.events)) return null;
  return { format: HEAD_FORMAT, seq: h.seq, hash: h.hash, events: h.events as ActivityEvent[] };
}

/** One stored file as last read: verification hashes `raw` (exactly what is stored), not `event`. */
interface StoredEvent {
  name: string;
  eTag: string;
  raw: unknown;
  event: ActivityEvent | null;
}

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
}

/**
 * One chain per user: each append seals its events onto the stored head (`activity/head.json`)
 * and moves the head under If-Match, so two panes and the tenant job appending at once take turns
 * (a 412 means "someone appended first": read the head again, reseal, retry) and no event is lost
 * or forked. The head holds the events of its last append, so that append is complete the moment
 * the head is written; the event files follow, and whoever moves the head next files them first
 * if they are missing. Nothing is ever filed before the head names it, so no file lies outside the
 * chain except one someone else put there.
 *
 * Every event goes through the outbox: kept before it is sent, removed once the head holds it, and
 * re-sent first at the next append or flush(). An event that was sent before (or whose id is
 * deterministic) is looked up first, so a re-send that meets itself is not logged twice.
 *
 * Costs: an append is two writes (head, event file); the first append of a log instance reads the
 * head first (one small GET) and files the last append's events if it cannot know they are filed.
 */
export function createStorageActivityLog(
  storage: StoragePort,
  options: ActivityLogOptions = {},
): ActivityLogPort {
  const outbox = options.outbox ?? createMemoryOutbox();
  const contentionMs = options.contentionDelayMs ?? 25;
  const cache = new Map<string, StoredEvent>();
  /** Hashes of events known to be filed (written or listed by this log). */
  const filed = new Set<string>();
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

  const readHead = async (signal?: AbortSignal): Promise<KnownHead> => {
    try {
      const { value, file } = await storage.readJson<unknown>(ACTIVITY_HEAD_PATH, signal);
      const parsed = parseHead(value);
      // An unreadable head: the chain restarts over it; verify() reports what it left behind.
      if (!parsed) return { status: "unreadable", seq: 0, hash: null, events: [], eTag: file.eTag };
      const { seq, hash, events } = parsed;
      return { status: "ok", seq, hash, events, eTag: file.eTag };
    } catch (error) {
      if (hasCode(error, "not_found")) {
        return { status: "absent", seq: 0, hash: null, events: [], eTag: null };
      }
      // Present but not JSON: as unreadable (its eTag from a stat, so the restart is guarded).
      if (hasCode(error, "unknown")) {
        const file = await storage.stat(ACTIVITY_HEAD_PATH, signal);
        if (file) return { status: "unreadable", seq: 0, hash: null, events: [], eTag: file.eTag };
      }
      throw error;
    }
  };

  /** Files the events the head holds, unless this log knows they are filed. */
  const fileHeadEvents = async (
    known: KnownHead,
    signal?: AbortSignal,
    fresh = false,
  ): Promise<void> => {
    const unknown = known.events.filter((e) => typeof e.hash === "string" && !filed.has(e.hash));
    const missing: ActivityEvent[] = [];
    for (const event of unknown) {
      // Usually its writer filed it already: one stat instead of a write that meets it.
      const present = fresh ? null : await storage.stat(activityEventFile(event.id), signal);
      if (present) {
        filed.add(event.hash ?? "");
        logged.add(event.id.toLowerCase());
      } else {
        missing.push(event);
      }
    }
    if (missing.length === 0) return;
    // One event (the usual append): a plain PUT; a run: as few requests as storage allows.
    const written =
      missing.length === 1
        ? [
            await storage
              .writeJson(activityEventFile(missing[0]!.id), missing[0], {
                conflict: "fail",
                signal,
              })
              .then(
                (file) => ({ file, error: undefined }),
                (error: unknown) => ({ file: undefined, error: toSeptError(error) }),
              ),
          ]
        : await storage.writeMany(
            missing.map((event) => ({
              path: activityEventFile(event.id),
              value: event,
              conflict: "fail" as const,
            })),
            { signal },
          );
    for (const [i, event] of missing.entries()) {
      const result = written[i];
      if (result?.file) {
        remember(result.file, event);
        continue;
      }
      if (!hasCode(result?.error, "conflict")) throw result?.error ?? new SeptError("unknown");
      const path = activityEventFile(event.id);
      const existing = await storage.readJson<unknown>(path, signal);
      if ((existing.value as { hash?: unknown } | null)?.hash === event.hash) {
        remember(existing.file, event);
        continue;
      }
      // The id was logged by another act too: this one is in the chain, so it is kept.
      const other = duplicateFile(event.id, event.seq ?? 0);
      const file = await storage
        .writeJson(other, event, { conflict: "fail", signal })
        .catch(async (e: unknown) => {
          if (!hasCode(e, "conflict")) throw e;
          return (await storage.readJson<unknown>(other, signal)).file;
        });
      remember(file, event);
    }
  };

  const remember = (file: StoredFile, sealed: ActivityEvent) => {
    filed.add(sealed.hash ?? "");
    logged.add(sealed.id.toLowerCase());
    // A copy, so a caller changing a listed event cannot change what verify() hashes.
    cache.set(file.name, {
      name: file.name,
      eTag: file.eTag,
      raw: structuredClone(sealed),
      event: parseActivityEvent(structuredClone(sealed)),
    });
  };

  /** Ids of every event file in the log now (one listing). */
  const listedIds = async (signal?: AbortSignal): Promise<Set<string>> => {
    const files = await storage.list(ACTIVITY_DIR, signal);
    const ids = new Set<string>();
    for (const f of files) {
      if (!f.name.endsWith(".json") || f.name === HEAD_FILE) continue;
      ids.add(f.name.slice(0, -".json".length).toLowerCase());
    }
    return ids;
  };

  /** Is this id logged already? Known ids, the head's own events, else one stat of its file. */
  const isLogged = async (id: string, known: KnownHead, signal?: AbortSignal) => {
    if (logged.has(id.toLowerCase())) return true;
    if (known.events.some((e) => e.id.toLowerCase() === id.toLowerCase())) return true;
    return (await storage.stat(activityEventFile(id), signal)) !== null;
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

  /**
   * Appends the outbox's events (oldest first) as one run at the head. Resolves with each id's
   * outcome; rejects, leaving them in the outbox, when the run did not land.
   */
  const flushOutbox = async (signal?: AbortSignal): Promise<Map<string, AppendOutcome>> => {
    const outcomes = new Map<string, AppendOutcome>();
    const entries = await outbox.read();
    const lookup = { listed: null as Set<string> | null };
    try {
      for (let i = 0; i < entries.length; i += MAX_RUN) {
        await commitRun(entries.slice(i, i + MAX_RUN), outcomes, lookup, signal);
        for (const [id, outcome] of outcomes) landedAs.set(id.toLowerCase(), outcome);
        // Landed: out of the outbox (keeping whatever was added meanwhile), then filed.
        await mutateOutbox((now) => now.filter((e) => !outcomes.has(e.event.id)));
        const landed = head;
        if (landed) await fileHeadEvents(landed, signal, true).catch(() => undefined);
      }
    } catch (error) {
      await mutateOutbox((now) => now.map((e) => ({ ...e, attempts: e.attempts + 1 })));
      throw toSeptError(error);
    }
    return outcomes;
  };

  /** One run of events sealed onto the head and the head moved onto them (If-Match). */
  const commitRun = async (
    entries: OutboxEntry[],
    outcomes: Map<string, AppendOutcome>,
    lookup: { listed: Set<string> | null },
    signal?: AbortSignal,
  ): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      const known = head ?? (await readHead(signal));
      head = known;
      await fileHeadEvents(known, signal);
      const needsCheck = (entry: OutboxEntry) =>
        entry.idempotent ||
        entry.attempts > 0 ||
        attempt > 1 ||
        !mine.has(entry.event.id.toLowerCase());
      const unknown = entries.filter((e) => needsCheck(e) && !logged.has(e.event.id.toLowerCase()));
      // Many ids to look up (a purge's run): one listing of the log instead of a stat each.
      // One listing serves every run of a flush (re-read only after meeting another writer).
      let listed: Set<string> | null = null;
      if (unknown.length > STATS_PER_RUN) {
        if (attempt > 1 || !lookup.listed) lookup.listed = await listedIds(signal);
        listed = lookup.listed;
      }
      const todo: ActivityEvent[] = [];
      for (const entry of entries) {
        const check = needsCheck(entry);
        const found = !check
          ? false
          : listed
            ? logged.has(entry.event.id.toLowerCase()) ||
              listed.has(entry.event.id.toLowerCase()) ||
              known.events.some((e) => e.id.toLowerCase() === entry.event.id.toLowerCase())
            : await isLogged(entry.event.id, known, signal);
        if (found) {
          outcomes.set(entry.event.id, "already_logged");
        } else {
          todo.push(await withRecordHash(entry.event, signal));
        }
      }
      if (todo.length === 0) return;
      const sealed: ActivityEvent[] = [];
      let prev = known.hash;
      for (const [i, event] of todo.entries()) {
        const one = await sealOnto(event, known.seq + i + 1, prev);
        sealed.push(one);
        prev = one.hash ?? null;
      }
      const last = sealed[sealed.length - 1]!;
      const next: StoredHead = {
        format: HEAD_FORMAT,
        seq: last.seq!,
        hash: last.hash!,
        events: sealed,
      };
      let file: StoredFile;
      try {
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
        await delay(contentionMs * attempt * (0.5 + Math.random()), signal);
        continue;
      }
      head = { status: "ok", seq: next.seq, hash: next.hash, events: sealed, eTag: file.eTag };
      for (const event of sealed) {
        outcomes.set(event.id, "appended");
        logged.add(event.id.toLowerCase());
      }
      return;
    }
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

  const refresh = async (signal?: AbortSignal) => {
    const [known, files] = await Promise.all([
      readHead(signal),
      storage.list(ACTIVITY_DIR, signal),
    ]);
    head = known;
    const eventFiles = files.filter((f) => f.name.endsWith(".json") && f.name !== HEAD_FILE);
    const stale = eventFiles.filter((f) => cache.get(f.name)?.eTag !== f.eTag);
    for (let i = 0; i < stale.length; i += READ_BATCH) {
      await Promise.all(
        stale.slice(i, i + READ_BATCH).map(async (f) => {
          try {
            // The listing's eTag: if the file changes before the download, the next listing
            // differs from it and the file is read again, so a change is never cached away.
            const raw = parseJsonBytes(await storage.read(`${ACTIVITY_DIR}/${f.name}`, signal));
            const event = parseActivityEvent(raw);
            cache.set(f.name, { name: f.name, eTag: f.eTag, raw, event });
          } catch (error) {
            // Removed between the listing and the read: it is simply no longer in the log.
            if (hasCode(error, "not_found")) return;
            throw error;
          }
        }),
      );
    }
    const present = new Set(eventFiles.map((f) => f.name));
    for (const name of cache.keys()) if (!present.has(name)) cache.delete(name);
    const stored = [...cache.values()];
    // The head's own events count as stored even before their files are written.
    const hashes = new Set<unknown>(
      stored.map((s) => (s.raw as { hash?: unknown } | undefined)?.hash),
    );
    const unfiled = known.events.filter((e) => !hashes.has(e.hash));
    for (const { raw, event } of stored) {
      const hash = (raw as { hash?: unknown } | undefined)?.hash;
      if (typeof hash === "string" && event) {
        filed.add(hash);
        logged.add(event.id.toLowerCase());
      }
    }
    return { stored, unfiled, known };
  };

  const list = async (signal?: AbortSignal): Promise<ActivityEvent[]> => {
    const { stored, unfiled } = await refresh(signal);
    const events = [
      ...stored.flatMap(({ event }) => (event ? [event] : [])),
      ...unfiled.flatMap((e) => {
        const parsed = parseActivityEvent(structuredClone(e));
        return parsed ? [parsed] : [];
      }),
    ].sort(newer);
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
      const [{ stored, unfiled, known }, records] = await Promise.all([
        refresh(signal),
        consentRecords(signal),
      ]);
      const chainHead: ChainHead | null | "unreadable" =
        known.status === "ok" && known.hash !== null
          ? { seq: known.seq, hash: known.hash }
          : known.status === "absent"
            ? null
            : "unreadable";
      const links: Array<ChainLink & Record<string, unknown>> = [];
      const unreadable: LogProblem[] = [];
      for (const { name, raw } of stored) {
        const record = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : null;
        if (record && typeof record.id === "string") links.push({ ...record, id: record.id });
        else unreadable.push({ kind: "edited", eventId: name.replace(/\.json$/, "") });
      }
      for (const event of unfiled) links.push({ ...structuredClone(event) });
      const verdict = await verifyLog({ head: chainHead, events: links, consentRecords: records });
      const problems = [...unreadable, ...verdict.problems];
      return { ...verdict, ok: problems.length === 0, problems };
    },
  };
}
