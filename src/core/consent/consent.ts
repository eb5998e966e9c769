import { SeptError } from "../errors.js";

/** Each purpose is a separate choice; none is pre-selected. Content needs metadata. */
export type Purpose = "email_metadata" | "email_content";
export const PURPOSES: readonly Purpose[] = ["email_metadata", "email_content"];

/** How a consent record was collected (GDPR Art. 7(1): consent must be demonstrable). */
export interface CollectionContext {
  method: "taskpane";
  addinVersion: string;
  host: string;
  platform: string;
  hostVersion: string;
  language: string;
}

/**
 * A record the privacy office made on the user's behalf (policy §7: requests by email), written
 * into the user's ledger by the tenant job: who recorded it, and when the user asked.
 */
export interface PrivacyOfficeCollection {
  method: "privacy_office";
  /** Who at the privacy office recorded the request (a name or an address, never the user's). */
  recordedBy: string;
  /** When the user's request reached the privacy office (ISO 8601). */
  requestedAt: string;
  /** The privacy office's own reference for the request (ticket or message id), if any. */
  reference?: string;
}

export type RecordCollection = CollectionContext | PrivacyOfficeCollection;

export interface ConsentGrant {
  kind: "grant";
  id: string;
  policyVersion: string;
  policyUrl: string;
  purposes: Purpose[];
  grantedAt: string;
  collection: CollectionContext;
  /** The latest record the pane had read when the user acted: see `ConsentWithdrawal.follows`. */
  follows?: string | null;
  /** Filled when read back: see `ConsentWithdrawal.storedAt`. Never written by the pane. */
  storedAt?: string;
}

/** Records are never overwritten: a withdrawal is a record of its own naming the grant it ends. */
export interface ConsentWithdrawal {
  kind: "withdrawal";
  id: string;
  grantId: string | null;
  policyVersion: string;
  withdrawnAt: string;
  collection: RecordCollection;
  /**
   * The latest record the writer had read when the user acted: an explicit link that orders
   * two records the server stamped with the same second.
   */
  follows?: string | null;
  /**
   * When storage created the record's file (Graph's `createdDateTime`): the server's clock, which
   * no device can set. Filled when the record is read back, never taken from the file's content.
   */
  storedAt?: string;
}

export type ConsentRecord = ConsentGrant | ConsentWithdrawal;

export type ConsentState =
  | { status: "none" }
  | { status: "granted"; purposes: Purpose[]; grant: ConsentGrant }
  | { status: "outdated"; grant: ConsentGrant; currentVersion: string }
  | { status: "withdrawn"; withdrawal: ConsentWithdrawal; grant: ConsentGrant | null }
  /**
   * The user withdrew in this pane (or in an earlier one on this device) and saving has stopped,
   * but the ledger does not hold the withdrawal yet: it is being written, or `error` says why not.
   */
  | {
      status: "withdrawing";
      withdrawal: ConsentWithdrawal;
      grant: ConsentGrant | null;
      error: SeptError | null;
    };

/** When the device (or the privacy office) says the act happened: shown, never used to order. */
export function recordTime(record: ConsentRecord): string {
  return record.kind === "grant" ? record.grantedAt : record.withdrawnAt;
}

/**
 * The time that orders records: the server's `storedAt` when known (a device clock 10 minutes
 * fast must not let its grant outrank a later withdrawal), else the record's own time.
 */
export function orderTime(record: ConsentRecord): string {
  return record.storedAt ?? recordTime(record);
}

/**
 * Chronological by the server's clock (Graph stamps whole seconds). Within one second a record
 * that names another as the one it follows comes after it; otherwise a withdrawal sorts last, so
 * it wins.
 */
export function compareRecords(a: ConsentRecord, b: ConsentRecord): number {
  const byTime = Date.parse(orderTime(a)) - Date.parse(orderTime(b));
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  if (a.follows === b.id || (a.kind === "withdrawal" && a.grantId === b.id)) return 1;
  if (b.follows === a.id || (b.kind === "withdrawal" && b.grantId === a.id)) return -1;
  if (a.kind !== b.kind) return a.kind === "withdrawal" ? 1 : -1;
  return a.id.localeCompare(b.id);
}

/** Whether `a` names `b` as the record it follows or the grant it ends. */
const links = (a: ConsentRecord, b: ConsentRecord): boolean =>
  a.follows === b.id || (a.kind === "withdrawal" && a.grantId === b.id);

/**
 * The ledger in order: by the server's clock, and within one second by the links between
 * records (a record after the one it names), then by `compareRecords`.
 */
export function orderRecords(records: readonly ConsentRecord[]): ConsentRecord[] {
  const sorted = [...records].sort(compareRecords);
  const out: ConsentRecord[] = [];
  for (let start = 0; start < sorted.length;) {
    const time = Date.parse(orderTime(sorted[start]!));
    let end = start + 1;
    while (end < sorted.length && Date.parse(orderTime(sorted[end]!)) === time) end++;
    const group = sorted.slice(start, end);
    // Kahn's algorithm: a record goes once every record of its second that it names has gone.
    while (group.length) {
      const next =
        group.find((r) => !group.some((other) => other !== r && links(r, other))) ?? group[0]!;
      out.push(next);
      group.splice(group.indexOf(next), 1);
    }
    start = end;
  }
  return out;
}

/** Valid purpose sets: metadata alone, or metadata with content. */
export function normalizePurposes(purposes: readonly Purpose[]): Purpose[] {
  const set = new Set(purposes.filter((p) => PURPOSES.includes(p)));
  if (set.has("email_content") && !set.has("email_metadata")) {
    throw new SeptError("bad_request", { message: "email content needs email metadata" });
  }
  return PURPOSES.filter((p) => set.has(p));
}

/**
 * The state is derived from the whole ledger, never stored: the latest record (by the server's
 * clock) decides, and a withdrawal ends the grant it names whatever its place in the order (a
 * grant file restored or copied gets a new creation time, but stays ended).
 */
export function deriveConsentState(
  records: readonly ConsentRecord[],
  currentPolicyVersion: string,
): ConsentState {
  const ordered = orderRecords(records);
  const latest = ordered[ordered.length - 1];
  if (!latest) return { status: "none" };
  if (latest.kind === "withdrawal") {
    const named = ordered.find(
      (r): r is ConsentGrant => r.kind === "grant" && r.id === latest.grantId,
    );
    const before = ordered
      .slice(0, -1)
      .reverse()
      .find((r): r is ConsentGrant => r.kind === "grant");
    return { status: "withdrawn", withdrawal: latest, grant: named ?? before ?? null };
  }
  const endedBy = ordered.find(
    (r): r is ConsentWithdrawal => r.kind === "withdrawal" && r.grantId === latest.id,
  );
  if (endedBy) return { status: "withdrawn", withdrawal: endedBy, grant: latest };
  if (latest.policyVersion !== currentPolicyVersion) {
    return { status: "outdated", grant: latest, currentVersion: currentPolicyVersion };
  }
  return { status: "granted", purposes: [...latest.purposes], grant: latest };
}

/**
 * A withdrawal the privacy office received (by email, letter or phone), as the tenant job writes
 * it into the user's ledger. `grantId` null ends whatever grant came before it.
 */
export function privacyOfficeWithdrawal(input: {
  id: string;
  /** When it is written (the record's own time; order still comes from the server). */
  at: string;
  requestedAt: string;
  recordedBy: string;
  policyVersion: string;
  grantId?: string | null;
  reference?: string;
}): ConsentWithdrawal {
  if (!input.recordedBy.trim() || Number.isNaN(Date.parse(input.requestedAt))) {
    throw new SeptError("bad_request", {
      message: "A privacy-office withdrawal needs who recorded it and when it was asked for.",
    });
  }
  return {
    kind: "withdrawal",
    id: input.id,
    grantId: input.grantId ?? null,
    policyVersion: input.policyVersion,
    withdrawnAt: input.at,
    collection: {
      method: "privacy_office",
      recordedBy: input.recordedBy.trim(),
      requestedAt: input.requestedAt,
      ...(input.reference ? { reference: input.reference } : {}),
    },
  };
}

export type ConsentMissingReason = "none" | "outdated" | "withdrawn" | "not_granted";

/** Raised before any request carrying email data when consent does not cover what it needs. */
export class ConsentRequiredError extends SeptError {
  readonly missing: Purpose[];
  readonly reason: ConsentMissingReason;

  constructor(missing: Purpose[], reason: ConsentMissingReason) {
    super("consent_required", {
      message: `consent required for ${missing.join(", ")} (${reason})`,
      params: { reason },
    });
    this.name = "ConsentRequiredError";
    this.missing = missing;
    this.reason = reason;
  }
}

/** The guard every use case that moves email data passes first. */
export function assertConsent(state: ConsentState, needed: readonly Purpose[]): void {
  const required = normalizePurposes(
    needed.includes("email_content") ? [...needed, "email_metadata"] : needed,
  );
  switch (state.status) {
    case "none":
      throw new ConsentRequiredError(required, "none");
    case "outdated":
      throw new ConsentRequiredError(required, "outdated");
    case "withdrawn":
    case "withdrawing":
      throw new ConsentRequiredError(required, "withdrawn");
    case "granted": {
      const missing = required.filter((p) => !state.purposes.includes(p));
      if (missing.length) throw new ConsentRequiredError(missing, "not_granted");
    }
  }
}
