// The activity log's hash chain. Each event seals its own content (`hash`) and points at the newest
// event its pane had seen (`prevHash`). Panes append without coordinating, so the chain is a tree:
// two events sharing a prevHash are a legitimate fork, not tampering. What the chain shows is an
// event changed after it was written (its hash no longer matches) or an event removed from the
// middle (someone's prevHash points at nothing).
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
