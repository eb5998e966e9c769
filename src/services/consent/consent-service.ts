import {
  assertConsent,
  orderRecords,
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
import { cancelledError } from "../../core/delay.js";
import { SeptError, toSeptError } from "../../core/errors.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { AuthPort } from "../../core/ports/auth.js";
import type {
  ConsentHintPort,
  ConsentLedgerPort,
  PendingConsentAct,
  PendingConsentPort,
} from "../../core/ports/consent-ledger.js";
import type { LoadedOrgPolicy } from "./org-policy.js";

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

/**
 * Messages of one pane past the consent gate at once: one. A withdrawal recorded elsewhere then
 * lets through at most the one message already admitted (DESIGN: "within one message"), whatever
 * the number of saves running in the pane; the steps of a save that carry no email data (the
 * "already saved" look-up, its event, its index entry) still overlap.
 */
export const MESSAGES_PAST_GATE = 1;

/** A message's place at the consent gate, held until its last request carrying email data. */
export interface MessagePass {
  /** Lets the next message in. Idempotent. */
  release(): void;
}

interface GatePlace extends MessagePass {
  /** The gate's clock when the place was taken: a ledger read started since admits it. */
  readonly tick: number;
}

/** One listing of the ledger: when it started, as the gate counts time. */
interface ListingMark {
  seq: number;
  tick: number;
  /** No message held a place when it started. */
  quiet: boolean;
  /** Messages admitted before it started. */
  admitted: number;
}

/** Event ids follow from the record, so a retried follow-up logs at most once. */
export const consentEventId = (record: ConsentRecord): string =>
  `consent-${record.kind === "grant" ? "granted" : "withdrawn"}-${record.id}`;

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

const defaultRetryDelay = (attempt: number): number => Math.min(2000 * 2 ** attempt, 300_000);

function memoryPending(): PendingConsentPort {
  let acts: PendingConsentAct[] = [];
  return {
    load: () => acts.map((a) => ({ ...a })),
    save: async (next) => {
      acts = next.map((a) => ({ ...a }));
    },
  };
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
  private records: ConsentRecord[] = [];
  private acts: PendingConsentAct[];
  private writeError: SeptError | null = null;
  private state: ConsentState = { status: "none" };
  private withdrawal = new AbortController();
  private first: Promise<ConsentState> | null = null;
  private readonly listeners = new Set<(state: ConsentState) => void>();
  private readonly own = new Set<string>();
  private readonly unlisted = new Set<string>();
  private listedOnce = false;
  private signature = "";
  private readonly pendingStore: PendingConsentPort;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private flushing: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryAttempt = 0;
  // The email-data gate (see admitMessage): places held and waited for, the gate's clock (a
  // tick per place taken and per upload fragment), messages admitted, and the ledger listings
  // (the newest applied, the newest started).
  private placesHeld = 0;
  private readonly waitingForPlace: Array<() => void> = [];
  private tick = 0;
  private admitted = 0;
  private listings = 0;
  private applied: ListingMark | null = null;
  private running: { mark: ListingMark; done: Promise<unknown> } | null = null;

  constructor(private readonly deps: ConsentServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    this.pendingStore = deps.pending ?? memoryPending();
    // A grant is never kept to be written later: only what the ledger already holds is granted.
    this.acts = this.pendingStore
      .load()
      .filter((a) => a.record.kind === "withdrawal" || a.recorded);
    for (const act of this.acts) this.own.add(act.record.id);
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
    return orderRecords(this.records);
  }

  private latestId(): string | null {
    const ordered = this.history();
    return ordered[ordered.length - 1]?.id ?? null;
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
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private pendingWithdrawal(): PendingConsentAct | undefined {
    return this.acts.find((a) => !a.recorded && a.record.kind === "withdrawal");
  }

  private compute(): ConsentState {
    const ledger = deriveConsentState(this.records, this.deps.policy.version);
    const pending = this.pendingWithdrawal();
    if (pending && pending.record.kind === "withdrawal") {
      const grant =
        ledger.status === "granted" || ledger.status === "outdated" ? ledger.grant : null;
      return { status: "withdrawing", withdrawal: pending.record, grant, error: this.writeError };
    }
    return ledger;
  }

  private publish(writeHint = true): ConsentState {
    const before = this.signature;
    this.state = this.compute();
    this.signature = signatureOf(this.state, this.records.length);
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

  private merge(records: readonly ConsentRecord[]): void {
    const byId = new Map(this.records.map((r) => [r.id, r]));
    for (const record of records) {
      // The listing's copy carries the server's creation time; keep it over a local one.
      const known = byId.get(record.id);
      if (!known || (record.storedAt && !known.storedAt)) byId.set(record.id, record);
    }
    this.records = [...byId.values()];
    let changed = false;
    for (const act of this.acts) {
      if (!act.recorded && byId.has(act.record.id)) {
        act.recorded = true;
        changed = true;
      }
    }
    if (changed) void this.persist();
  }

  private async persist(): Promise<void> {
    this.acts = this.acts.filter((a) => !(a.recorded && a.logged && a.signedOut));
    await this.pendingStore.save(this.acts).catch(() => undefined);
  }

  /**
   * The first read of the ledger, started as early as possible and shared by whoever asks. A
   * withdrawal kept from an earlier pane is written first.
   */
  start(): Promise<ConsentState> {
    this.first ??= (async () => {
      if (this.acts.length) await this.flush().catch(() => this.scheduleRetry());
      const state = await this.refresh();
      if (this.acts.some((a) => a.recorded)) {
        void this.followUp().catch(() => this.scheduleRetry());
      }
      return state;
    })();
    return this.first;
  }

  async refresh(signal?: AbortSignal): Promise<ConsentState> {
    const mark: ListingMark = {
      seq: ++this.listings,
      tick: this.tick,
      quiet: this.placesHeld === 0,
      admitted: this.admitted,
    };
    const done = this.deps.ledger.list(signal);
    this.running = { mark, done };
    let listed: ConsentRecord[];
    try {
      listed = await done;
    } finally {
      if (this.running?.mark === mark) this.running = null;
    }
    this.listedOnce = true;
    // A listing that started before the one already applied says nothing newer.
    if (this.applied && this.applied.seq > mark.seq) return this.state;
    this.applied = mark;
    // The listing replaces what we had (a record deleted from storage is gone), except records
    // this pane wrote that no listing has shown yet.
    for (const record of listed) this.unlisted.delete(record.id);
    const notYetListed = this.records.filter((r) => this.unlisted.has(r.id));
    this.records = [];
    this.merge([...listed, ...notYetListed]);
    return this.publish();
  }

  async grant(purposes: readonly Purpose[]): Promise<ConsentState> {
    const chosen = normalizePurposes(purposes);
    this.assertOrgAllows(chosen);
    if (!chosen.includes("email_metadata")) {
      throw new ConsentRequiredError(["email_metadata"], "not_granted");
    }
    // A withdrawal not yet written goes first: the ledger must hold the acts in their order.
    await this.flush();
    const record: ConsentGrant = {
      kind: "grant",
      id: this.newId(),
      policyVersion: this.deps.policy.version,
      policyUrl: this.deps.policy.url,
      purposes: chosen,
      grantedAt: this.now().toISOString(),
      collection: this.deps.collection(),
      follows: this.latestId(),
    };
    this.own.add(record.id);
    // No state the ledger does not hold: "granted" only once the record is written.
    const stored = await this.deps.ledger.append(record);
    this.unlisted.add(record.id);
    this.merge([stored ?? record]);
    this.acts.push({ record, recorded: true, logged: false, signedOut: true });
    await this.persist();
    const state = this.publish();
    await this.followUp().catch(() => this.scheduleRetry());
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
    const pending = this.pendingWithdrawal();
    if (pending) {
      await this.flush();
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
      follows: this.latestId(),
    };
    this.own.add(record.id);
    this.acts.push({ record, recorded: false, logged: false, signedOut: false });
    this.writeError = null;
    this.publish();
    await this.persist();
    try {
      await this.flush();
    } catch (error) {
      this.scheduleRetry();
      throw error;
    }
    return this.state;
  }

  /** Writes what is pending now (the pane's "Try again"). */
  async retryPending(): Promise<ConsentState> {
    await this.flush();
    return this.state;
  }

  /** Writes pending records in order, then their follow-ups. Concurrent callers share one run. */
  private flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    for (const act of this.acts) {
      if (act.recorded) continue;
      try {
        const stored = await this.deps.ledger.append(act.record);
        this.unlisted.add(act.record.id);
        this.merge([stored ?? act.record]);
      } catch (error) {
        // The file exists already: an earlier attempt landed though its answer was lost.
        if (!(error instanceof SeptError && error.code === "conflict")) {
          this.writeError = toSeptError(error);
          this.publish();
          throw this.writeError;
        }
        this.unlisted.add(act.record.id);
        this.merge([act.record]);
      }
      act.recorded = true;
      this.writeError = null;
      await this.persist();
      this.publish();
    }
    await this.followUp().catch(() => this.scheduleRetry());
  }

  /** Each recorded act's event, then (withdrawals) the sign-in cache; each retried until done. */
  private async followUp(): Promise<void> {
    let failure: unknown = null;
    for (const act of this.acts) {
      if (!act.recorded) continue;
      const record = act.record;
      // A grant's event only for a grant the ledger shows, not one a device merely claims.
      if (record.kind === "grant" && !this.records.some((r) => r.id === record.id)) {
        if (this.listedOnce) act.logged = true;
        continue;
      }
      if (!act.logged) {
        try {
          await this.deps.activity.appendIdempotent({
            id: consentEventId(record),
            at: record.kind === "grant" ? record.grantedAt : record.withdrawnAt,
            kind: record.kind === "grant" ? "consent_granted" : "consent_withdrawn",
            outcome: "success",
            refs:
              record.kind === "grant"
                ? { consentRecordId: record.id }
                : {
                    consentRecordId: record.id,
                    ...(record.grantId ? { grantId: record.grantId } : {}),
                  },
            ...(record.kind === "grant"
              ? { details: { purposes: record.purposes, policyVersion: record.policyVersion } }
              : {}),
          });
          act.logged = true;
        } catch (error) {
          failure ??= error;
        }
      }
      if (!act.signedOut) {
        try {
          await this.deps.auth.clearCache();
          act.signedOut = true;
        } catch (error) {
          failure ??= error;
        }
      }
    }
    await this.persist();
    if (failure) throw toSeptError(failure);
    this.retryAttempt = 0;
  }

  private scheduleRetry(): void {
    if (this.retryTimer || !this.acts.length) return;
    const wait = (this.deps.retryDelayMs ?? defaultRetryDelay)(this.retryAttempt);
    if (wait === null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retryAttempt += 1;
      this.flush().then(
        () => {
          if (this.acts.length) this.scheduleRetry();
        },
        () => this.scheduleRetry(),
      );
    }, wait);
  }

  /** Re-reads the ledger and resolves only if consent covers `needed` now. No email data moves before. */
  async guard(needed: readonly Purpose[], signal?: AbortSignal): Promise<ConsentTicket> {
    this.refuseAtOnce(needed);
    const state = await this.refresh(signal);
    assertConsent(state, needed);
    if (state.status !== "granted") throw new ConsentRequiredError([...needed], "none");
    const ticket = { grant: state.grant, signal: this.withdrawal.signal };
    this.throwIfWithdrawn(ticket.signal);
    return ticket;
  }

  /** The refusals that need no request: content the organisation forbids, a withdrawal made here. */
  refuseAtOnce(needed: readonly Purpose[]): void {
    this.assertOrgAllows(needed);
    // A withdrawal made here stands before the ledger holds it: no request at all.
    if (this.pendingWithdrawal()) throw new ConsentRequiredError([...needed], "withdrawn");
  }

  /** A local check, without a request, right before each step that moves email data. */
  check(ticket: ConsentTicket, needed: readonly Purpose[]): void {
    this.assertOrgAllows(needed);
    this.throwIfWithdrawn(ticket.signal);
    assertConsent(this.state, needed);
  }

  /**
   * Takes one of the pane's places at the gate (waiting for one), before the guard of a single
   * save: the guard's ledger read then admits the message too (see `admitMessage`).
   */
  async awaitTurn(signal?: AbortSignal): Promise<MessagePass> {
    return this.takePlace(signal);
  }

  /**
   * Before the first request that carries a message's email data: takes one of the pane's places
   * at the gate (unless `pass` is one, from `awaitTurn`), makes sure the ledger was read after the
   * place was taken, and that consent still covers `needed`. The message's later requests need
   * only `check` (no request); its place is held until `release`, after its last request carrying
   * email data.
   *
   * The read is one listing, none when one that started after the place was taken has already
   * been applied (the single save's guard, another message's admission), or when the newest one
   * started with no place held and no message admitted since (the bulk save's guard, for its
   * first message: such a read admits one message only). Either way, the messages that still send
   * email data once a withdrawal has landed all held a place together at one moment: at most
   * `MESSAGES_PAST_GATE` of them.
   *
   * Why a listing of the consent folder, not a cheaper tag: OneDrive's driveItem resource says a
   * folder's eTag changes only with the folder's own properties, not when a child is added, and
   * that a folder's cTag is not returned in OneDrive for Business or SharePoint (resources/
   * driveItem.md); delta works only on the root there. A "head" file rewritten on each change
   * would be missed by any writer that does not rewrite it (the privacy office, the tenant job,
   * an older build). The listing is one small request (a few entries, `$select`ed) that sees
   * every record whoever wrote it; only a new record is downloaded.
   */
  async admitMessage(
    ticket: ConsentTicket,
    needed: readonly Purpose[],
    signal?: AbortSignal,
    pass?: MessagePass,
  ): Promise<MessagePass> {
    this.check(ticket, needed);
    const place = (pass && this.isPlace(pass) ? pass : null) ?? (await this.takePlace(signal));
    try {
      this.throwIfWithdrawn(ticket.signal);
      await this.listedSince(place.tick, true, signal);
      this.check(ticket, needed);
    } catch (error) {
      // A place the caller brought stays the caller's to release.
      if (place !== pass) place.release();
      throw error;
    }
    this.admitted += 1;
    return place;
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
    this.throwIfWithdrawn(ticket.signal);
    this.tick += 1;
    await this.listedSince(this.tick, false, signal);
    this.check(ticket, needed);
  }

  private isPlace(pass: MessagePass): pass is GatePlace {
    return typeof (pass as Partial<GatePlace>).tick === "number";
  }

  private async takePlace(signal?: AbortSignal): Promise<GatePlace> {
    if (signal?.aborted) throw cancelledError(signal.reason);
    if (this.placesHeld < MESSAGES_PAST_GATE) {
      this.placesHeld += 1;
    } else {
      // A released place is handed over as it is: nobody can take it in between.
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const at = this.waitingForPlace.indexOf(wake);
          if (at >= 0) this.waitingForPlace.splice(at, 1);
          reject(cancelledError(signal?.reason));
        };
        this.waitingForPlace.push(wake);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    this.tick += 1;
    let released = false;
    return {
      tick: this.tick,
      release: () => {
        if (released) return;
        released = true;
        const next = this.waitingForPlace.shift();
        if (next) next();
        else this.placesHeld -= 1;
      },
    };
  }

  /**
   * Resolves once a ledger listing that started at `tick` or later has been applied: the newest
   * applied, else the one under way, else a new one. `quietOk`: the newest listing also serves if
   * it started with no place held and no message has been admitted since.
   */
  private async listedSince(tick: number, quietOk: boolean, signal?: AbortSignal): Promise<void> {
    const served = () => {
      const applied = this.applied;
      if (!applied) return false;
      if (applied.tick >= tick) return true;
      return quietOk && applied.quiet && applied.admitted === this.admitted;
    };
    if (served()) return;
    const running = this.running;
    if (running && running.mark.tick >= tick) {
      // Another caller's listing: its failure (or its caller's cancel) is not ours.
      await running.done.catch(() => undefined);
      if (served()) return;
    }
    await this.refresh(signal);
  }

  private throwIfWithdrawn(signal: AbortSignal): void {
    if (signal.aborted) {
      throw signal.reason instanceof ConsentRequiredError
        ? signal.reason
        : new ConsentRequiredError(["email_metadata"], "withdrawn");
    }
  }
}
