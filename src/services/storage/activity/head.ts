// The head and the archive shards as stored: their formats, names and parsing, reading the head,
// sealing an event onto the chain, and what the head's size and first event tell without a read
// of any event.
import type { ActivityEvent } from "../../../core/activity/activity.js";
import { hashEvent } from "../../../core/activity/chain.js";
import type { StoragePort } from "../../../core/ports/storage.js";
import { ACTIVITY_DIR, ACTIVITY_HEAD_PATH, ACTIVITY_SHARDS_DIR } from "../layout.js";
import { activityEventFile, hasCode } from "./event.js";

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
/**
 * Bytes of sealed events one move of the head takes at most when a run does not fit in one head
 * (a purge, a "delete all stored emails"): the run goes into the head at once, and straight on
 * into one archive shard of that size (1,000 purge events: about 450 KB), instead of filling and
 * archiving SHARD_BYTES heads one after another. Well under the 4 MB of a simple upload (the head
 * is written under If-Match, which an upload session does not honour everywhere), and one
 * download for a look-up that reaches it.
 */
export const BULK_SHARD_BYTES = 1024 * 1024;
/** Links to the newest shards the head keeps, so a look-up reads them without a listing. */
export const RECENT_SHARDS = 8;
/** The head's file name in `activity/`: every other `.json` there is an earlier version's event. */
export const HEAD_FILE = ACTIVITY_HEAD_PATH.slice(ACTIVITY_DIR.length + 1);
const SHA256_HEX = /^[0-9a-f]{64}$/;

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

export const shardPath = (name: string) => `${ACTIVITY_SHARDS_DIR}/${name}`;

/**
 * The head as stored: the newest place and hash, and every event of the current shard (sealed,
 * oldest first). A head written by an earlier version has no `shards`: its events are those of
 * its last append, and every event before them is a file of its own.
 */
export interface StoredHead {
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
export interface StoredShard {
  format: typeof SHARD_FORMAT;
  events: ActivityEvent[];
  /** The shard before it, or null when it is the first (before it: legacy files, or nothing). */
  prior: ShardLink | null;
  legacySeq: number;
}

/** The head as this log last knew it; eTag null when there was none (the next write creates it). */
export interface KnownHead {
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

export function parseShard(value: unknown): StoredShard | null {
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
export async function readStoredHead(
  storage: StoragePort,
  signal?: AbortSignal,
): Promise<KnownHead> {
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

/** Sealed as it will read back from JSON (undefined fields gone), so later reads hash the same. */
export async function sealOnto(
  input: ActivityEvent,
  seq: number,
  prevHash: string | null,
): Promise<ActivityEvent> {
  const { hash: _hash, prevHash: _prev, seq: _seq, ...content } = input;
  const chained = JSON.parse(JSON.stringify({ ...content, seq, prevHash })) as ActivityEvent;
  return { ...chained, hash: await hashEvent(chained) };
}

/** The head's events as an archive shard, and the link the next head keeps to it. */
export function archiveOf(known: KnownHead): { link: ShardLink; shard: StoredShard } | null {
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
