import type { ActivityEvent, ActivityKind, ActivityOutcome } from "../core/activity/activity.js";
import {
  hashEvent,
  verifyChain,
  type ChainLink,
  type ChainProblem,
} from "../core/activity/chain.js";
import { SeptError } from "../core/errors.js";
import type {
  ActivityLogPort,
  AppendManyResult,
  AppendOutcome,
  SealedEvent,
} from "../core/ports/activity-log.js";
import type { StoragePort, StoredFile } from "../core/ports/storage.js";
import { ACTIVITY_DIR } from "./storage-layout.js";

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
 * `activity/{id}.json`: the name follows from the id alone, so an idempotent append finds an
 * earlier event by its name (one write-once PUT, no listing), and list() orders by `at`, not by
 * name. Files named `{time}-{id}.json` by earlier versions still list and verify (as unchained).
 * OneDrive names are case-insensitive: ids differing only in case are the same file.
 */
export function activityEventFile(id: string): string {
  if (!EVENT_ID.test(id)) {
    throw new SeptError("bad_request", {
      message: `Activity event id '${id}' is not path-safe.`,
      params: { eventId: id },
    });
  }
  return `${ACTIVITY_DIR}/${id}.json`;
}

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
  };
}

/** One stored file as last read: verification hashes `raw` (exactly what is stored), not `event`. */
interface StoredEvent {
  name: string;
  eTag: string;
  raw: unknown;
  event: ActivityEvent | null;
}

interface Head {
  hash: string;
  at: string;
  id: string;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first: ISO times compare as plain strings; the id breaks ties so the order is stable. */
const newer = (a: { at: string; id: string }, b: { at: string; id: string }): number =>
  byCodeUnits(b.at, a.at) || byCodeUnits(b.id, a.id);

function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    // Not JSON any more: kept as unreadable, which verify() reports as an edited event.
    return undefined;
  }
}

const isConflict = (error: unknown): boolean =>
  error instanceof SeptError && (error.code === "conflict" || error.code === "precondition_failed");

/**
 * One write-once file per event, so concurrent panes never lose each other's events, chained by
 * hash so an edited or removed event shows in verify().
 *
 * Appending costs one PUT: the pane keeps the newest hash it knows in memory (its own last append,
 * or the newest event its last list() saw) instead of re-reading the log. A pane that has not
 * listed yet starts a new root (prevHash null). Reading costs one listing plus a download of each
 * file not seen before or whose eTag changed since, so a rewritten event is read again and caught.
 */
export function createStorageActivityLog(storage: StoragePort): ActivityLogPort {
  const cache = new Map<string, StoredEvent>();
  let head: Head | null = null;

  const learn = (candidate: Head) => {
    if (!head || newer(candidate, head) < 0) head = candidate;
  };

  const refresh = async (signal?: AbortSignal): Promise<StoredEvent[]> => {
    const files = (await storage.list(ACTIVITY_DIR, signal)).filter((f) =>
      f.name.endsWith(".json"),
    );
    const stale = files.filter((f) => cache.get(f.name)?.eTag !== f.eTag);
    for (let i = 0; i < stale.length; i += READ_BATCH) {
      await Promise.all(
        stale.slice(i, i + READ_BATCH).map(async (f) => {
          try {
            // The listing's eTag: if the file changes before the download, the next listing
            // differs from it and the file is read again, so a change is never cached away.
            const raw = parseJsonBytes(await storage.read(`${ACTIVITY_DIR}/${f.name}`, signal));
            cache.set(f.name, { name: f.name, eTag: f.eTag, raw, event: parseActivityEvent(raw) });
          } catch (error) {
            // Removed between the listing and the read: it is simply no longer in the log.
            if (error instanceof SeptError && error.code === "not_found") return;
            throw error;
          }
        }),
      );
    }
    const present = new Set(files.map((f) => f.name));
    for (const name of cache.keys()) if (!present.has(name)) cache.delete(name);
    const stored = [...cache.values()];
    for (const { event } of stored) {
      if (event?.hash) learn({ hash: event.hash, at: event.at, id: event.id });
    }
    return stored;
  };

  /** Sealed as it will read back from JSON (undefined fields gone), so later reads hash the same. */
  const sealOnto = async (input: ActivityEvent, prevHash: string | null): Promise<SealedEvent> => {
    const path = activityEventFile(input.id);
    const { hash: _hash, prevHash: _prevHash, ...content } = input;
    const chained = JSON.parse(JSON.stringify({ ...content, prevHash })) as ActivityEvent;
    return { id: chained.id, path, value: { ...chained, hash: await hashEvent(chained) } };
  };

  /** Remembered as read, so list() never downloads this pane's own events. */
  const remember = (file: StoredFile, sealed: ActivityEvent) => {
    // The event is a copy, so a caller changing a listed event cannot change what verify() hashes.
    cache.set(file.name, {
      name: file.name,
      eTag: file.eTag,
      raw: sealed,
      event: parseActivityEvent(structuredClone(sealed)),
    });
  };

  /**
   * What a refused write-once PUT means: with a deterministic id, "already logged" (the earlier
   * event stays as it is and the head does not move: our copy was never stored, so nothing may
   * point at it); with a random id, taken only by this very event when a retried PUT had landed
   * the first time. Null: not logged.
   */
  const takenBy = async (
    sealed: SealedEvent,
    idempotent: boolean,
  ): Promise<{ outcome: AppendOutcome; file?: StoredFile } | null> => {
    if (idempotent) return { outcome: "already_logged" };
    const existing = await storage.readJson<unknown>(sealed.path).catch(() => null);
    if ((existing?.value as { hash?: unknown } | undefined)?.hash !== sealed.value.hash)
      return null;
    return { outcome: "appended", file: existing?.file };
  };

  const settle = async (
    sealed: SealedEvent,
    written: { file?: StoredFile; error?: SeptError },
    idempotent: boolean,
  ): Promise<AppendOutcome> => {
    const { value } = sealed;
    if (written.file) {
      remember(written.file, value);
    } else {
      const error = written.error ?? new SeptError("unknown");
      if (!isConflict(error)) throw error;
      const taken = await takenBy(sealed, idempotent);
      if (!taken) throw error;
      if (taken.outcome === "already_logged") return "already_logged";
    }
    learn({ hash: value.hash!, at: value.at, id: value.id });
    return "appended";
  };

  const write = async (input: ActivityEvent, idempotent: boolean): Promise<AppendOutcome> => {
    const sealed = await sealOnto(input, head?.hash ?? null);
    let written: { file?: StoredFile; error?: SeptError };
    try {
      written = { file: await storage.writeJson(sealed.path, sealed.value, { conflict: "fail" }) };
    } catch (error) {
      if (!(error instanceof SeptError)) throw error;
      written = { error };
    }
    return settle(sealed, written, idempotent);
  };

  const appendMany = async (
    events: readonly ActivityEvent[],
    idempotent: boolean,
    signal: AbortSignal | undefined,
  ): Promise<AppendManyResult[]> => {
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
    const start = head?.hash ?? null;
    const sealed: SealedEvent[] = [];
    for (const event of events) {
      sealed.push(await sealOnto(event, sealed[sealed.length - 1]?.value.hash ?? start));
    }
    const written = await storage.writeMany(
      sealed.map((s) => ({ path: s.path, value: s.value, conflict: "fail" as const })),
      { signal },
    );
    // What is stored of each event: its file, and the version written.
    const stored: Array<{ file: StoredFile; value: ActivityEvent } | null> = [];
    const results: AppendManyResult[] = [];
    for (const [i, one] of sealed.entries()) {
      const result = written[i];
      if (result?.file) {
        stored.push({ file: result.file, value: one.value });
        results.push({ id: one.id, outcome: "appended" });
        continue;
      }
      stored.push(null);
      const error = result?.error ?? new SeptError("unknown");
      const taken = isConflict(error) ? await takenBy(one, idempotent) : null;
      if (taken?.file) stored[i] = { file: taken.file, value: one.value };
      results.push(taken ? { id: one.id, outcome: taken.outcome } : { id: one.id, error });
    }
    // An event not stored leaves a gap: re-seal what follows it onto the last stored event (write
    // under If-Match, replacing only our own version), so every link points at a stored event.
    const repairs: Array<{ index: number; value: ActivityEvent; eTag: string }> = [];
    let prev = start;
    for (const [i, entry] of stored.entries()) {
      if (!entry) continue;
      if ((entry.value.prevHash ?? null) !== prev) {
        const resealed = await sealOnto(entry.value, prev);
        repairs.push({ index: i, value: resealed.value, eTag: entry.file.eTag });
        entry.value = resealed.value;
      }
      prev = entry.value.hash ?? prev;
    }
    if (repairs.length > 0) {
      const rewritten = await storage.writeMany(
        repairs.map((r) => ({ path: sealed[r.index]!.path, value: r.value, ifMatch: r.eTag })),
        { signal },
      );
      for (const [j, repair] of repairs.entries()) {
        const result = rewritten[j];
        if (result?.file) {
          stored[repair.index]!.file = result.file;
        } else {
          // Stored, but its link points at an event that is not: verify() will say so.
          stored[repair.index] = null;
          results[repair.index] = {
            id: sealed[repair.index]!.id,
            error: result?.error ?? new SeptError("unknown"),
          };
        }
      }
    }
    for (const entry of stored) {
      if (!entry) continue;
      remember(entry.file, entry.value);
      learn({ hash: entry.value.hash!, at: entry.value.at, id: entry.value.id });
    }
    return results;
  };

  return {
    async append(event) {
      await write(event, false);
    },
    appendIdempotent(event) {
      return write(event, true);
    },
    appendMany(events, options = {}) {
      return appendMany(events, options.idempotent ?? false, options.signal);
    },
    seal(event) {
      return sealOnto(event, head?.hash ?? null);
    },
    settle(sealed, written, options = {}) {
      return settle(sealed, written, options.idempotent ?? false);
    },
    async list(signal) {
      const stored = await refresh(signal);
      return stored.flatMap(({ event }) => (event ? [event] : [])).sort(newer);
    },
    async verify(signal) {
      const stored = await refresh(signal);
      const links: ChainLink[] = [];
      const unreadable: ChainProblem[] = [];
      for (const { name, raw } of stored) {
        const record = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : null;
        if (record && typeof record.id === "string") links.push({ ...record, id: record.id });
        else unreadable.push({ kind: "edited", eventId: name.replace(/\.json$/, "") });
      }
      const verdict = await verifyChain(links);
      const problems = [...unreadable, ...verdict.problems];
      return { ok: problems.length === 0, problems };
    },
  };
}
