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

export interface ConsentGrant {
  kind: "grant";
  id: string;
  policyVersion: string;
  policyUrl: string;
  purposes: Purpose[];
  grantedAt: string;
  collection: CollectionContext;
}

/** Records are never overwritten: a withdrawal is a record of its own naming the grant it ends. */
export interface ConsentWithdrawal {
  kind: "withdrawal";
  id: string;
  grantId: string | null;
  policyVersion: string;
  withdrawnAt: string;
  collection: CollectionContext;
}

export type ConsentRecord = ConsentGrant | ConsentWithdrawal;

export type ConsentState =
  | { status: "none" }
  | { status: "granted"; purposes: Purpose[]; grant: ConsentGrant }
  | { status: "outdated"; grant: ConsentGrant; currentVersion: string }
  | { status: "withdrawn"; withdrawal: ConsentWithdrawal; grant: ConsentGrant | null };

export function recordTime(record: ConsentRecord): string {
  return record.kind === "grant" ? record.grantedAt : record.withdrawnAt;
}

/** Chronological order; at the same instant a withdrawal sorts last, so it wins. */
export function compareRecords(a: ConsentRecord, b: ConsentRecord): number {
  const byTime = recordTime(a).localeCompare(recordTime(b));
  if (byTime !== 0) return byTime;
  if (a.kind !== b.kind) return a.kind === "withdrawal" ? 1 : -1;
  return a.id.localeCompare(b.id);
}

/** Valid purpose sets: metadata alone, or metadata with content. */
export function normalizePurposes(purposes: readonly Purpose[]): Purpose[] {
  const set = new Set(purposes.filter((p) => PURPOSES.includes(p)));
  if (set.has("email_content") && !set.has("email_metadata")) {
    throw new SeptError("bad_request", { message: "email content needs email metadata" });
  }
  return PURPOSES.filter((p) => set.has(p));
}

/** The state is derived from the whole ledger, never stored: the latest record decides. */
export function deriveConsentState(
  records: readonly ConsentRecord[],
  currentPolicyVersion: string,
): ConsentState {
  const ordered = [...records].sort(compareRecords);
  const latest = ordered[ordered.length - 1];
  if (!latest) return { status: "none" };
  if (latest.kind === "withdrawal") {
    const grant =
      ordered.find((r): r is ConsentGrant => r.kind === "grant" && r.id === latest.grantId) ?? null;
    return { status: "withdrawn", withdrawal: latest, grant };
  }
  if (latest.policyVersion !== currentPolicyVersion) {
    return { status: "outdated", grant: latest, currentVersion: currentPolicyVersion };
  }
  return { status: "granted", purposes: [...latest.purposes], grant: latest };
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
      throw new ConsentRequiredError(required, "withdrawn");
    case "granted": {
      const missing = required.filter((p) => !state.purposes.includes(p));
      if (missing.length) throw new ConsentRequiredError(missing, "not_granted");
    }
  }
}
