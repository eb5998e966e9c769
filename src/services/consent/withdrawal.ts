// Consent acts kept on the device until the ledger holds them and their follow-ups are done: a
// withdrawal is "withdrawing" until written, written first at the next start, retried meanwhile.
import type { ConsentRecord, ConsentWithdrawal } from "../../core/consent/consent.js";
import { backgroundRetryDelay } from "../../core/delay.js";
import { SeptError, toSeptError } from "../../core/errors.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { AuthPort } from "../../core/ports/auth.js";
import type {
  ConsentLedgerPort,
  PendingConsentAct,
  PendingConsentPort,
} from "../../core/ports/consent-ledger.js";

/** Event ids follow from the record, so a retried follow-up logs at most once. */
export const consentEventId = (record: ConsentRecord): string =>
  `consent-${record.kind === "grant" ? "granted" : "withdrawn"}-${record.id}`;

function memoryPending(): PendingConsentPort {
  let acts: PendingConsentAct[] = [];
  return {
    load: () => acts.map((a) => ({ ...a })),
    save: async (next) => {
      acts = next.map((a) => ({ ...a }));
    },
  };
}

export interface PendingActsDeps {
  ledger: ConsentLedgerPort;
  activity: ActivityLogPort;
  auth: AuthPort;
  pending?: PendingConsentPort;
  retryDelayMs?: (attempt: number) => number | null;
}

/** What the consent service does for the acts: its records, its published state. */
export interface PendingActsHost {
  /** The ledger now holds act `id` (this pane wrote it, `record` as stored): merged in. */
  written(id: string, record: ConsentRecord): void;
  /** Whether the ledger's records, as last read, include `id`. */
  inLedger(id: string): boolean;
  /** Whether the ledger has been listed at least once. */
  listedOnce(): boolean;
  publish(): void;
}

/** The acts kept on the device, their writes to the ledger, their follow-ups, and their retries. */
export class PendingActs {
  /** Why the last write of a pending act failed (shown while "withdrawing"). */
  writeError: SeptError | null = null;
  private acts: PendingConsentAct[];
  private readonly store: PendingConsentPort;
  private flushing: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryAttempt = 0;

  constructor(
    private readonly deps: PendingActsDeps,
    private readonly host: PendingActsHost,
  ) {
    this.store = deps.pending ?? memoryPending();
    // A grant is never kept to be written later: only what the ledger already holds is granted.
    this.acts = this.store.load().filter((a) => a.record.kind === "withdrawal" || a.recorded);
  }

  /** Ids of the acts kept (made by this pane or an earlier one on this device). */
  ids(): string[] {
    return this.acts.map((a) => a.record.id);
  }

  any(): boolean {
    return this.acts.length > 0;
  }

  anyRecorded(): boolean {
    return this.acts.some((a) => a.recorded);
  }

  pendingWithdrawal(): PendingConsentAct | undefined {
    return this.acts.find((a) => !a.recorded && a.record.kind === "withdrawal");
  }

  /** Acts a listing shows are in the ledger: kept as recorded. */
  markRecorded(listed: { has(id: string): boolean }): void {
    let changed = false;
    for (const act of this.acts) {
      if (!act.recorded && listed.has(act.record.id)) {
        act.recorded = true;
        changed = true;
      }
    }
    if (changed) void this.persist();
  }

  /** A grant the ledger holds: kept until its event and the sign-in cache's clearing are done. */
  async addGrant(record: ConsentRecord): Promise<void> {
    this.acts.push({ record, recorded: true, logged: false, signedOut: true });
    await this.persist();
  }

  /**
   * Keeps the withdrawal on the device (the state is "withdrawing" at once), then writes it.
   * Rejects when it could not be written; it is then retried in the background.
   */
  async withdraw(record: ConsentWithdrawal): Promise<void> {
    this.acts.push({ record, recorded: false, logged: false, signedOut: false });
    this.writeError = null;
    this.host.publish();
    await this.persist();
    try {
      await this.flush();
    } catch (error) {
      this.scheduleRetry();
      throw error;
    }
  }

  /** Stops background retries (a closed pane; tests). What is pending stays kept. */
  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async persist(): Promise<void> {
    this.acts = this.acts.filter((a) => !(a.recorded && a.logged && a.signedOut));
    await this.store.save(this.acts).catch(() => undefined);
  }

  /** Writes pending records in order, then their follow-ups. Concurrent callers share one run. */
  flush(): Promise<void> {
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
        this.host.written(act.record.id, stored ?? act.record);
      } catch (error) {
        // The file exists already: an earlier attempt landed though its answer was lost.
        if (!(error instanceof SeptError && error.code === "conflict")) {
          this.writeError = toSeptError(error);
          this.host.publish();
          throw this.writeError;
        }
        this.host.written(act.record.id, act.record);
      }
      act.recorded = true;
      this.writeError = null;
      await this.persist();
      this.host.publish();
    }
    await this.followUpOrRetry();
  }

  /** The follow-ups, retried in the background when they fail. */
  followUpOrRetry(): Promise<void> {
    return this.followUp().catch(() => this.scheduleRetry());
  }

  /** Each recorded act's event, then (withdrawals) the sign-in cache; each retried until done. */
  private async followUp(): Promise<void> {
    let failure: unknown = null;
    for (const act of this.acts) {
      if (!act.recorded) continue;
      const record = act.record;
      // A grant's event only for a grant the ledger shows, not one a device merely claims.
      if (record.kind === "grant" && !this.host.inLedger(record.id)) {
        if (this.host.listedOnce()) act.logged = true;
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

  scheduleRetry(): void {
    if (this.retryTimer || !this.acts.length) return;
    const wait = (this.deps.retryDelayMs ?? backgroundRetryDelay)(this.retryAttempt);
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
}
