// The one public face of consent (state, grant, withdraw, guard, admission): ~350 lines because its
// API is wide; the parts live beside it: gate.ts, withdrawal.ts, ledger-records.ts.
import {
  assertConsent,
  ConsentRequiredError,
  deriveConsentState,
  normalizePurposes,
  type CollectionContext,
  type ConsentGrant,
  type ConsentRecord,
  type ConsentState,
  type ConsentWithdrawal,
  type Purpose,
} from "../../core/consent/consent.js";
import type { PrivacyPolicy } from "../../core/consent/policy.js";
import { SEPT_PARTIES, type ReceiptParties } from "../../core/consent/receipt.js";
import { SeptError } from "../../core/errors.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { AuthPort } from "../../core/ports/auth.js";
import type {
  ConsentHintPort,
  ConsentLedgerPort,
  PendingConsentPort,
} from "../../core/ports/consent-ledger.js";
import { ConsentGate, throwIfWithdrawn, type MessagePass } from "./gate.js";
import type { LoadedOrgPolicy } from "./org-policy.js";
import { LedgerRecords } from "./ledger-records.js";
import { PendingActs } from "./withdrawal.js";

export { MESSAGES_PAST_GATE, type MessagePass } from "./gate.js";
export { consentEventId } from "./withdrawal.js";

export interface ConsentServiceDeps {
  ledger: ConsentLedgerPort;
  activity: ActivityLogPort;
  auth: AuthPort;
  policy: PrivacyPolicy;
  collection: () => CollectionContext;
  hint?: ConsentHintPort;
  /**
   * The organisation's policy as loaded: whether content may be saved at all, and whom receipts
   * name. Absent: content allowed, receipts name SEPT (tests of other parts; the pane always
   * passes it).
   */
  org?: LoadedOrgPolicy;
  /**
   * Where acts not yet in the ledger (or not yet followed up) are kept on the device; without it
   * they live as long as this pane.
   */
  pending?: PendingConsentPort;
  /**
   * Wait before retrying, in the background, a withdrawal or follow-up that failed (attempt 0,
   * 1, …); null: no background retry (tests drive retries themselves). Default 2 s doubling to
   * 5 minutes, for as long as the pane is open.
   */
  retryDelayMs?: (attempt: number) => number | null;
  now?: () => Date;
  newId?: () => string;
}

/** What a save holds on to: the grant it runs under, and a signal aborted by a withdrawal. */
export interface ConsentTicket {
  grant: ConsentGrant;
  signal: AbortSignal;
}

/** What the pane shows of a state: the same signature, nothing to re-render. */
function signatureOf(state: ConsentState, records: number): string {
  const ids =
    state.status === "granted" || state.status === "outdated"
      ? state.grant.id
      : state.status === "withdrawn"
        ? state.withdrawal.id
        : state.status === "withdrawing"
          ? `${state.withdrawal.id}:${state.error?.code ?? ""}`
          : "";
  return `${state.status}|${ids}|${records}`;
}

/**
 * Grants, withdraws and guards consent. The ledger in SEPT storage is the only source of truth
 * for what is allowed: the pane says "granted" or "withdrawn" only for what the ledger holds. A
 * withdrawal stops saving in this pane at once, before it is written; until the ledger holds it
 * the state is "withdrawing", it is kept on the device and written first at the next start.
 *
 * Other windows and the privacy office are seen through the ledger: each message's save passes
 * `admitMessage` before its first request carrying email data, which takes one of the pane's
 * places at the gate (`MESSAGES_PAST_GATE`) and reads the ledger afresh. The message's later
 * requests go on that read, each after a local check (a withdrawal in this pane stops them at
 * once); fragments of a large upload each wait for a fresh read (`recheck`). So once a withdrawal
 * lands, at most the message already admitted completes, and a large upload stops within one
 * fragment.
 */
export class ConsentService {
  private state: ConsentState = { status: "none" };
  private withdrawal = new AbortController();
  private first: Promise<ConsentState> | null = null;
  private readonly listeners = new Set<(state: ConsentState) => void>();
  private readonly own = new Set<string>();
  private signature = "";
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly pending: PendingActs;
  private readonly ledger = new LedgerRecords((known) => this.pending.markRecorded(known));
  private readonly gate = new ConsentGate((signal) => this.refresh(signal));

  constructor(private readonly deps: ConsentServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    this.pending = new PendingActs(deps, {
      written: (id, record) => this.ledger.written(id, record),
      inLedger: (id) => this.ledger.has(id),
      listedOnce: () => this.ledger.listedOnce,
      publish: () => {
        this.publish();
      },
    });
    for (const id of this.pending.ids()) this.own.add(id);
    this.publish(false);
  }

  get policy(): PrivacyPolicy {
    return this.deps.policy;
  }

  /** The organisation's policy in force (null when the pane was built without one). */
  get org(): LoadedOrgPolicy | null {
    return this.deps.org ?? null;
  }

  /** Whether the organisation allows saving email content at all. */
  contentAllowed(): boolean {
    return this.deps.org?.policy.allowContent ?? true;
  }

  /** What the consent form may offer: never what the organisation forbids. */
  offeredPurposes(): Purpose[] {
    return this.contentAllowed() ? ["email_metadata", "email_content"] : ["email_metadata"];
  }

  /** Whom consent receipts name: the organisation's setting, else SEPT's privacy policy. */
  receiptParties(): ReceiptParties {
    return this.deps.org?.policy.receipt ?? SEPT_PARTIES;
  }

  /** Refuses content the organisation forbids, before anything else (a typed error, no request). */
  private assertOrgAllows(needed: readonly Purpose[]): void {
    if (needed.includes("email_content") && !this.contentAllowed()) {
      throw new SeptError("content_not_allowed");
    }
  }

  current(): ConsentState {
    return this.state;
  }

  /** The ledger's records, oldest first by the server's clock. */
  history(): readonly ConsentRecord[] {
    return this.ledger.history();
  }

  /** Whether this pane (or an earlier one on this device) made the record. */
  isOwnRecord(id: string): boolean {
    return this.own.has(id);
  }

  subscribe(listener: (state: ConsentState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops background retries (a closed pane; tests). What is pending stays kept. */
  dispose(): void {
    this.pending.dispose();
  }

  private compute(): ConsentState {
    const ledger = deriveConsentState(this.ledger.all(), this.deps.policy.version);
    const pending = this.pending.pendingWithdrawal();
    if (pending && pending.record.kind === "withdrawal") {
      const grant =
        ledger.status === "granted" || ledger.status === "outdated" ? ledger.grant : null;
      const error = this.pending.writeError;
      return { status: "withdrawing", withdrawal: pending.record, grant, error };
    }
    return ledger;
  }

  private publish(writeHint = true): ConsentState {
    const before = this.signature;
    this.state = this.compute();
    this.signature = signatureOf(this.state, this.ledger.all().length);
    if (this.state.status === "granted") {
      if (this.withdrawal.signal.aborted) this.withdrawal = new AbortController();
    } else if (!this.withdrawal.signal.aborted) {
      // Every save holding a ticket stops at its next step, whoever withdrew and wherever.
      const status = this.state.status;
      const reason = status === "withdrawing" ? "withdrawn" : status;
      this.withdrawal.abort(new ConsentRequiredError(["email_metadata"], reason));
    }
    // The gate re-reads the ledger for every message it admits: tell the pane only when something
    // changed.
    if (this.signature !== before) for (const listener of this.listeners) listener(this.state);
    // The hint follows what was read; the constructor has read nothing yet.
    if (writeHint) {
      void this.deps.hint
        ?.write({ status: this.state.status, policyVersion: this.deps.policy.version })
        .catch(() => undefined);
    }
    return this.state;
  }

  /**
   * The first read of the ledger, started as early as possible and shared by whoever asks. A
   * withdrawal kept from an earlier pane is written first.
   */
  start(): Promise<ConsentState> {
    this.first ??= (async () => {
      const pending = this.pending;
      if (pending.any()) await pending.flush().catch(() => pending.scheduleRetry());
      const state = await this.refresh();
      if (pending.anyRecorded()) void pending.followUpOrRetry();
      return state;
    })();
    return this.first;
  }

  async refresh(signal?: AbortSignal): Promise<ConsentState> {
    const { listed, fresh } = await this.gate.listing(() => this.deps.ledger.list(signal));
    this.ledger.listedOnce = true;
    // A listing that started before the one already applied says nothing newer.
    if (!fresh) return this.state;
    this.ledger.replace(listed);
    return this.publish();
  }

  async grant(purposes: readonly Purpose[]): Promise<ConsentState> {
    const chosen = normalizePurposes(purposes);
    this.assertOrgAllows(chosen);
    if (!chosen.includes("email_metadata")) {
      throw new ConsentRequiredError(["email_metadata"], "not_granted");
    }
    // A withdrawal not yet written goes first: the ledger must hold the acts in their order.
    await this.pending.flush();
    const record: ConsentGrant = {
      kind: "grant",
      id: this.newId(),
      policyVersion: this.deps.policy.version,
      policyUrl: this.deps.policy.url,
      purposes: chosen,
      grantedAt: this.now().toISOString(),
      collection: this.deps.collection(),
      follows: this.ledger.latestId(),
    };
    this.own.add(record.id);
    // No state the ledger does not hold: "granted" only once the record is written.
    const stored = await this.deps.ledger.append(record);
    this.ledger.written(record.id, stored ?? record);
    await this.pending.addGrant(record);
    const state = this.publish();
    await this.pending.followUpOrRetry();
    return state;
  }

  /**
   * Withdraws: saving stops in this pane at once (every ticket is aborted), the withdrawal is kept
   * on the device, then written to the ledger; its event and the clearing of the sign-in cache
   * follow. Rejects when the record could not be written: the state is then "withdrawing" with
   * the error, saving stays stopped, and the write is retried (`retryPending`, the background,
   * the next start).
   */
  async withdraw(): Promise<ConsentState> {
    if (this.pending.pendingWithdrawal()) {
      await this.pending.flush();
      return this.state;
    }
    const grant =
      this.state.status === "granted" || this.state.status === "outdated" ? this.state.grant : null;
    const record: ConsentWithdrawal = {
      kind: "withdrawal",
      id: this.newId(),
      grantId: grant?.id ?? null,
      policyVersion: this.deps.policy.version,
      withdrawnAt: this.now().toISOString(),
      collection: this.deps.collection(),
      follows: this.ledger.latestId(),
    };
    this.own.add(record.id);
    await this.pending.withdraw(record);
    return this.state;
  }

  /** Writes what is pending now (the pane's "Try again"). */
  async retryPending(): Promise<ConsentState> {
    await this.pending.flush();
    return this.state;
  }

  /** Re-reads the ledger and resolves only if consent covers `needed` now. No email data moves before. */
  async guard(needed: readonly Purpose[], signal?: AbortSignal): Promise<ConsentTicket> {
    this.refuseAtOnce(needed);
    const state = await this.refresh(signal);
    assertConsent(state, needed);
    if (state.status !== "granted") throw new ConsentRequiredError([...needed], "none");
    const ticket = { grant: state.grant, signal: this.withdrawal.signal };
    throwIfWithdrawn(ticket.signal);
    return ticket;
  }

  /** The refusals that need no request: content the organisation forbids, a withdrawal made here. */
  refuseAtOnce(needed: readonly Purpose[]): void {
    this.assertOrgAllows(needed);
    // A withdrawal made here stands before the ledger holds it: no request at all.
    if (this.pending.pendingWithdrawal()) throw new ConsentRequiredError([...needed], "withdrawn");
  }

  /** A local check, without a request, right before each step that moves email data. */
  check(ticket: ConsentTicket, needed: readonly Purpose[]): void {
    this.assertOrgAllows(needed);
    throwIfWithdrawn(ticket.signal);
    assertConsent(this.state, needed);
  }

  /**
   * Takes one of the pane's places at the gate (waiting for one), before the guard of a single
   * save: the guard's ledger read then admits the message too (see `admitMessage`).
   */
  async awaitTurn(signal?: AbortSignal): Promise<MessagePass> {
    return this.gate.takePlace(signal);
  }

  /**
   * Before the first request that carries a message's email data: a place at the gate (unless
   * `pass` is one, from `awaitTurn`) and a ledger read started after it, then consent must still
   * cover `needed` (see ConsentGate, gate.ts). The place is held until `release`.
   */
  async admitMessage(
    ticket: ConsentTicket,
    needed: readonly Purpose[],
    signal?: AbortSignal,
    pass?: MessagePass,
  ): Promise<MessagePass> {
    this.check(ticket, needed);
    return this.gate.admit(ticket.signal, () => this.check(ticket, needed), signal, pass);
  }

  /**
   * Between two fragments of a large upload: the previous one completed, so the ledger is read
   * again (joining a listing that started since, if one is under way) before the next goes.
   */
  async recheck(
    ticket: ConsentTicket,
    needed: readonly Purpose[],
    signal?: AbortSignal,
  ): Promise<void> {
    await this.gate.recheck(ticket.signal, () => this.check(ticket, needed), signal);
  }
}
