// The activity log's hash chain: one chain per user, across sessions, panes and the tenant job.
// Each event seals its own content (`hash`), names its place (`seq`) and points at the event
// before it (`prevHash`); a small head file holds the newest `seq` and `hash`, and every append
// moves it under If-Match, so writers that meet take turns and the chain never forks.
//
// What verifyLog() can show: an event changed after it was written (hash), an event or a run of
// events removed from the middle (a link points at nothing), the newest events cut off (the head
// names an event that is not there), and an event added by someone else (on no link from the
// head). What no check over the user's own storage can show: a rewrite of the whole log, head
// included, by someone who can write that storage; the chain is only as strong as the head.
//
// Logs written by older versions chained each pane session on its own (no `seq`; forks and several
// roots were legitimate). Those events are checked the old way, per session (verifyChain), and
// reported as such, not failed.
//
// Just over 300 lines on purpose: the seal (hashEvent, canonicalJson) and both of its checks
// stay in one file so the hashing and the verification cannot drift apart; each function is short.
import { sha256Hex } from "../stored-email.js";

/** What verification needs of an event; extra fields are part of the sealed content. */
export interface ChainLink {
  readonly id: string;
  readonly hash?: unknown;
  readonly prevHash?: unknown;
}

export type ChainProblemKind = "edited" | "missing" | "unchained";

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The event at fault: the edited or unsealed one, or for `missing` the one whose predecessor is gone. */
  eventId: string;
}

export interface ChainVerdict {
  ok: boolean;
  problems: ChainProblem[];
}

/**
 * JSON with object keys sorted (UTF-16 code-unit order) at every level, so the same content always
 * hashes the same whatever order the fields were written or parsed in. Follows JSON.stringify for
 * everything else: undefined and functions vanish from objects and become null in arrays.
 */
export function canonicalJson(value: unknown): string {
  return canonical(value) ?? "null";
}

function canonical(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(value) as string | undefined;
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") return canonical(withJson.toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item) ?? "null").join(",")}]`;
  const entries: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const text = canonical((value as Record<string, unknown>)[key]);
    if (text !== undefined) entries.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${entries.join(",")}}`;
}

/** SHA-256 hex of the event's canonical JSON, leaving out `hash` itself (but keeping `prevHash`). */
export function hashEvent(event: object): Promise<string> {
  const { hash: _hash, ...content } = event as Record<string, unknown>;
  return sha256Hex(canonicalJson(content));
}

/** Checks every event's seal and link. Cost: one hash per event, no storage access. */
export async function verifyChain(events: ReadonlyArray<ChainLink>): Promise<ChainVerdict> {
  const known = new Set<string>();
  for (const event of events) if (typeof event.hash === "string") known.add(event.hash);
  const problems: ChainProblem[] = [];
  for (const event of events) {
    if (event.hash === undefined) {
      problems.push({ kind: "unchained", eventId: event.id });
    } else if (event.hash !== (await hashEvent(event))) {
      // An edited event's prevHash is not trustworthy either, so it is reported once, as edited.
      problems.push({ kind: "edited", eventId: event.id });
    } else if (event.prevHash !== undefined && event.prevHash !== null) {
      if (typeof event.prevHash !== "string" || !known.has(event.prevHash)) {
        problems.push({ kind: "missing", eventId: event.id });
      }
    }
  }
  return { ok: problems.length === 0, problems };
}

/** The stored head: the newest event's place and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export type LogProblemKind =
  | ChainProblemKind
  /** The head names an event that is not stored: the newest events were cut off. */
  | "tail_cut"
  /** No event at this place of the chain: removed, alone or with a run of others. */
  | "gap"
  /** A sealed event on no link from the head: added by someone else, or left from a rewrite. */
  | "outside_chain"
  /** Chained events are stored but the head is not: it was removed. */
  | "head_missing"
  /** The head is not readable as a head. */
  | "head_unreadable"
  /** A consent record no consent event of the chain vouches for. */
  | "consent_unlogged"
  /** A consent record whose content differs from the hash its consent event carries. */
  | "consent_edited"
  /** A consent event carries a record's hash, and that record is gone. */
  | "consent_missing";

export interface LogProblem {
  kind: LogProblemKind;
  /** The event at fault (for a gap: the one after it), or "head", or the consent record's id. */
  eventId: string;
  /** The place in the chain concerned, when known. */
  seq?: number;
}

/** A consent record as stored, for coverage: its id, the canonical hash of its content, its time. */
export interface CoveredRecord {
  id: string;
  hash: string;
  /** When the file was last written, by the server (decides "before the chain began"). */
  storedAt: string;
}

export interface LogVerdict {
  ok: boolean;
  problems: LogProblem[];
  /** Events checked as one chain from the head. */
  chained: number;
  /** Events of older versions, checked per session only (a removed session cannot show there). */
  legacy: number;
  /** Consent records checked against the hash their consent event carries. */
  consentCovered: number;
  /** Consent records from before the chain began: no event carries their hash. */
  consentLegacy: number;
  /** The head's place, or 0 when there is no head. */
  headSeq: number;
}

/** The name a consent event gives its record's hash in `refs`. */
export const CONSENT_HASH_REF = "consentRecordHash";
export const CONSENT_ID_REF = "consentRecordId";

/** SHA-256 hex of a consent record's canonical JSON, as its consent event carries it. */
export function recordHash(record: unknown): Promise<string> {
  return sha256Hex(canonicalJson(record));
}

const isSeq = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 1;

/** An event as read from storage: its chain fields are checked, not trusted. */
type StoredEvent = ChainLink & { seq?: unknown; at?: unknown; kind?: unknown; refs?: unknown };
type SealedEvent = StoredEvent & { hash: string; seq: number };

/**
 * Walks from the head down to 1 by prevHash and returns the hashes on the chain. Where a link
 * points at nothing, it reports the gap and picks the walk up again at the next place still
 * stored, so one gap is reported once.
 */
function walkFromHead(
  head: ChainHead | null | "unreadable",
  sealed: readonly SealedEvent[],
  problems: LogProblem[],
): Set<string> {
  const byHash = new Map(sealed.map((e) => [e.hash, e]));
  const bySeq = new Map<number, SealedEvent[]>();
  for (const e of sealed) bySeq.set(e.seq, [...(bySeq.get(e.seq) ?? []), e]);
  const onChain = new Set<string>();
  if (head === "unreadable") {
    problems.push({ kind: "head_unreadable", eventId: "head" });
    return onChain;
  }
  if (head === null) {
    if (sealed.length > 0) problems.push({ kind: "head_missing", eventId: "head" });
    return onChain;
  }
  let expected = head.seq;
  let next: string | null = head.hash;
  let after = "head";
  while (expected >= 1) {
    const found: SealedEvent | undefined = next !== null ? byHash.get(next) : undefined;
    if (found && found.seq === expected) {
      onChain.add(found.hash);
      if (expected === 1 && found.prevHash !== null) {
        problems.push({ kind: "gap", eventId: found.id, seq: 0 });
      }
      next = typeof found.prevHash === "string" ? found.prevHash : null;
      after = found.id;
      expected -= 1;
      continue;
    }
    // Nothing at this place (or a link to the wrong place): a gap down to the next stored one.
    problems.push({ kind: after === "head" ? "tail_cut" : "gap", eventId: after, seq: expected });
    let resume = expected - 1;
    while (resume >= 1 && !bySeq.has(resume)) resume -= 1;
    const candidates = bySeq.get(resume) ?? [];
    const pick = candidates.find((c) => !onChain.has(c.hash));
    expected = pick ? resume : 0;
    next = pick ? pick.hash : null;
    after = pick ? pick.id : after;
  }
  return onChain;
}

/** Consent records: each covered by the hash its consent event (on the chain) carries. */
function checkConsentCoverage(
  chained: readonly SealedEvent[],
  records: ReadonlyArray<CoveredRecord> | undefined,
  began: string | null,
  problems: LogProblem[],
): { covered: number; legacy: number } {
  let covered = 0;
  let legacy = 0;
  const vouched = new Map<string, string>();
  for (const e of chained) {
    const refs = e.refs && typeof e.refs === "object" ? (e.refs as Record<string, unknown>) : {};
    const id = refs[CONSENT_ID_REF];
    const hash = refs[CONSENT_HASH_REF];
    if (typeof id === "string" && typeof hash === "string") vouched.set(id, hash);
  }
  const present = new Set<string>();
  for (const record of records ?? []) {
    present.add(record.id);
    const hash = vouched.get(record.id);
    if (hash === undefined) {
      if (began === null || record.storedAt < began) legacy += 1;
      else problems.push({ kind: "consent_unlogged", eventId: record.id });
    } else if (hash !== record.hash) {
      problems.push({ kind: "consent_edited", eventId: record.id });
    } else {
      covered += 1;
    }
  }
  if (records) {
    for (const id of vouched.keys()) {
      if (!present.has(id)) problems.push({ kind: "consent_missing", eventId: id });
    }
  }
  return { covered, legacy };
}

/**
 * Verifies the whole log: `head` as stored (null when absent, "unreadable" when present but not a
 * head), every stored event (raw, as read; the head's not-yet-filed events included), and the
 * consent records to cover. Pure: one hash per event and record, no storage access.
 */
export async function verifyLog(input: {
  head: ChainHead | null | "unreadable";
  events: ReadonlyArray<StoredEvent>;
  consentRecords?: ReadonlyArray<CoveredRecord>;
}): Promise<LogVerdict> {
  const problems: LogProblem[] = [];
  const sealed: SealedEvent[] = [];
  const legacy: StoredEvent[] = [];
  for (const event of input.events) {
    if (typeof event.hash !== "string" || !isSeq(event.seq)) {
      legacy.push(event);
      continue;
    }
    if (event.hash !== (await hashEvent(event))) {
      problems.push({ kind: "edited", eventId: event.id, seq: event.seq });
    } else {
      sealed.push(event as SealedEvent);
    }
  }

  const onChain = walkFromHead(input.head, sealed, problems);
  for (const e of sealed) {
    if (!onChain.has(e.hash)) problems.push({ kind: "outside_chain", eventId: e.id, seq: e.seq });
  }

  // Older events: checked per session, and only if they come before the chain began. An event of
  // the old shape dated after the chain's first event was not written by a current version.
  const genesis = [...sealed].find((e) => e.seq === 1 && onChain.has(e.hash));
  const began = typeof genesis?.at === "string" ? genesis.at : null;
  const before: ChainLink[] = [];
  for (const event of legacy) {
    const at = typeof event.at === "string" ? event.at : "";
    if (began !== null && at > began) problems.push({ kind: "outside_chain", eventId: event.id });
    else before.push(event);
  }
  const old = await verifyChain(before);
  problems.push(...old.problems);

  const chained = sealed.filter((e) => onChain.has(e.hash));
  const consent = checkConsentCoverage(chained, input.consentRecords, began, problems);
  const { head } = input;

  return {
    ok: problems.length === 0,
    problems,
    chained: onChain.size,
    legacy: before.length,
    consentCovered: consent.covered,
    consentLegacy: consent.legacy,
    headSeq: head && head !== "unreadable" ? head.seq : 0,
  };
}
