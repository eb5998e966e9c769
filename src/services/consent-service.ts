import {
  assertConsent,
  ConsentRequiredError,
  deriveConsentState,
  normalizePurposes,
  type CollectionContext,
  type ConsentGrant,
  type ConsentRecord,
  type ConsentState,
  type Purpose,
} from "../core/consent/consent.js";
import type { PrivacyPolicy } from "../core/consent/policy.js";
import type { ActivityLogPort } from "../core/ports/activity-log.js";
import type { AuthPort } from "../core/ports/auth.js";
import type { ConsentHintPort, ConsentLedgerPort } from "../core/ports/consent-ledger.js";

export interface ConsentServiceDeps {
  ledger: ConsentLedgerPort;
  activity: ActivityLogPort;
  auth: AuthPort;
  policy: PrivacyPolicy;
  collection: () => CollectionContext;
  hint?: ConsentHintPort;
  now?: () => Date;
  newId?: () => string;
}

/** What a save holds on to: the grant it runs under, and a signal aborted by a withdrawal. */
export interface ConsentTicket {
  grant: ConsentGrant;
  signal: AbortSignal;
}

/**
 * Grants, withdraws and guards consent. The ledger in SEPT storage is the only source of truth:
 * every guard re-reads it, so a withdrawal from another Outlook window counts at once, and the
 * host-side hint can change the first view shown but never allows anything.
 */
export class ConsentService {
  private records: ConsentRecord[] = [];
  private state: ConsentState = { status: "none" };
  private withdrawal = new AbortController();
  private first: Promise<ConsentState> | null = null;
  private readonly listeners = new Set<(state: ConsentState) => void>();
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: ConsentServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => crypto.randomUUID());
  }

  get policy(): PrivacyPolicy {
    return this.deps.policy;
  }

  current(): ConsentState {
    return this.state;
  }

  history(): readonly ConsentRecord[] {
    return this.records;
  }

  subscribe(listener: (state: ConsentState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(records: ConsentRecord[]): ConsentState {
    this.records = records;
    this.state = deriveConsentState(records, this.deps.policy.version);
    for (const listener of this.listeners) listener(this.state);
    void this.deps.hint
      ?.write({ status: this.state.status, policyVersion: this.deps.policy.version })
      .catch(() => undefined);
    return this.state;
  }

  /** The first read of the ledger, started as early as possible and shared by whoever asks. */
  start(): Promise<ConsentState> {
    this.first ??= this.refresh();
    return this.first;
  }

  async refresh(signal?: AbortSignal): Promise<ConsentState> {
    const records = await this.deps.ledger.list(signal);
    if (!this.withdrawal.signal.aborted) return this.update(records);
    // A local withdrawal is in progress: its record may not be listed yet, but it stands.
    return this.state;
  }

  async grant(purposes: readonly Purpose[]): Promise<ConsentState> {
    const chosen = normalizePurposes(purposes);
    if (!chosen.includes("email_metadata")) {
      throw new ConsentRequiredError(["email_metadata"], "not_granted");
    }
    const record: ConsentGrant = {
      kind: "grant",
      id: this.newId(),
      policyVersion: this.deps.policy.version,
      policyUrl: this.deps.policy.url,
      purposes: chosen,
      grantedAt: this.now().toISOString(),
      collection: this.deps.collection(),
    };
    await this.deps.ledger.append(record);
    this.withdrawal = new AbortController();
    const state = this.update([...this.records, record]);
    await this.deps.activity.append({
      id: this.newId(),
      at: record.grantedAt,
      kind: "consent_granted",
      outcome: "success",
      refs: { consentRecordId: record.id },
      details: { purposes: chosen, policyVersion: record.policyVersion },
    });
    return state;
  }

  /**
   * Withdraws at once: every save holding a ticket is aborted before the ledger is even written,
   * then the withdrawal is recorded and logged, and the sign-in cache is cleared.
   */
  async withdraw(): Promise<ConsentState> {
    const at = this.now().toISOString();
    const grant =
      this.state.status === "granted" || this.state.status === "outdated" ? this.state.grant : null;
    const record: ConsentRecord = {
      kind: "withdrawal",
      id: this.newId(),
      grantId: grant?.id ?? null,
      policyVersion: this.deps.policy.version,
      withdrawnAt: at,
      collection: this.deps.collection(),
    };
    this.withdrawal.abort(new ConsentRequiredError(["email_metadata"], "withdrawn"));
    this.state = { status: "withdrawn", withdrawal: record, grant };
    for (const listener of this.listeners) listener(this.state);
    await this.deps.ledger.append(record);
    this.update([...this.records, record]);
    await this.deps.activity.append({
      id: this.newId(),
      at,
      kind: "consent_withdrawn",
      outcome: "success",
      refs: { consentRecordId: record.id, ...(grant ? { grantId: grant.id } : {}) },
    });
    await this.deps.auth.clearCache();
    return this.state;
  }

  /** Re-reads the ledger and resolves only if consent covers `needed` now. No email data moves before. */
  async guard(needed: readonly Purpose[], signal?: AbortSignal): Promise<ConsentTicket> {
    const ticketSignal = this.withdrawal.signal;
    this.throwIfWithdrawn(ticketSignal);
    const state = await this.refresh(signal);
    this.throwIfWithdrawn(ticketSignal);
    assertConsent(state, needed);
    if (state.status !== "granted") throw new ConsentRequiredError([...needed], "none");
    return { grant: state.grant, signal: ticketSignal };
  }

  /** A local check, without a request, right before each step that moves email data. */
  check(ticket: ConsentTicket, needed: readonly Purpose[]): void {
    this.throwIfWithdrawn(ticket.signal);
    assertConsent(this.state, needed);
  }

  private throwIfWithdrawn(signal: AbortSignal): void {
    if (signal.aborted) {
      throw signal.reason instanceof ConsentRequiredError
        ? signal.reason
        : new ConsentRequiredError(["email_metadata"], "withdrawn");
    }
  }
}
