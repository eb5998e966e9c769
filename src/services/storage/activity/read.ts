// Reading the log back: every event from wherever it is kept (head, archive shards, earlier
// versions' files), as the pane lists it, and as verification checks it against the chain and
// the consent records it covers.
import type { ActivityEvent } from "../../../core/activity/activity.js";
import {
  canonicalJson,
  recordHash,
  verifyLog,
  type ChainHead,
  type ChainLink,
  type CoveredRecord,
  type LogProblem,
  type LogVerdict,
} from "../../../core/activity/chain.js";
import type { StoragePort } from "../../../core/ports/storage.js";
import { CONSENT_DIR } from "../layout.js";
import { READ_BATCH, refresh, type LogState, type StoredLog } from "./archive.js";
import { hasCode, newer, parseActivityEvent, parseJsonBytes } from "./event.js";
import { parseShard } from "./head.js";

/** Every event as stored (raw), from wherever it is kept; unreadable files as problems. */
function storedEvents(state: LogState, log: StoredLog) {
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
    if (typeof e.hash === "string") state.logged.add(e.id.toLowerCase());
  }
  return { events, unreadable };
}

/** Every event, newest first, one per id. */
export async function listEvents(state: LogState, signal?: AbortSignal): Promise<ActivityEvent[]> {
  const { events: raws } = storedEvents(state, await refresh(state, signal));
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
}

/** The consent records the chain covers: their ids, hashes and when they were stored. */
async function consentRecords(storage: StoragePort, signal?: AbortSignal) {
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
}

/** Verifies the whole stored log: the chain from its head, and the consent records it covers. */
export async function verifyStored(state: LogState, signal?: AbortSignal): Promise<LogVerdict> {
  const [log, records] = await Promise.all([
    refresh(state, signal),
    consentRecords(state.storage, signal),
  ]);
  const known = log.known;
  const chainHead: ChainHead | null | "unreadable" =
    known.status === "ok" && known.hash !== null
      ? { seq: known.seq, hash: known.hash }
      : known.status === "absent"
        ? null
        : "unreadable";
  const { events, unreadable } = storedEvents(state, log);
  const verdict = await verifyLog({ head: chainHead, events, consentRecords: records });
  const problems = [...unreadable, ...verdict.problems];
  return { ...verdict, ok: problems.length === 0, problems };
}
