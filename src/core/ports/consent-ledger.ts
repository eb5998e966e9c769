import type { ConsentRecord } from "../consent/consent.js";

/** The consent ledger: grants and withdrawals, each kept for good (demonstrable consent). */
export interface ConsentLedgerPort {
  /** Resolves with the record as stored (its `storedAt` from the server, when storage gives it). */
  append(record: ConsentRecord, signal?: AbortSignal): Promise<ConsentRecord | void>;
  /** Every record, freshly read from storage. */
  list(signal?: AbortSignal): Promise<ConsentRecord[]>;
}

/** A hint kept with the host (Office roamingSettings) to pick the first view fast. Never authorises. */
export interface ConsentHintPort {
  read(): { status: string; policyVersion: string } | null;
  write(hint: { status: string; policyVersion: string } | null): Promise<void>;
}

/**
 * A consent act the pane has started but the ledger may not hold yet, or whose follow-ups (its
 * activity event, clearing the sign-in cache) have not all been done. Kept on the device so a
 * closed pane, a crash or a failed write loses none of it: the next start finishes it first.
 */
export interface PendingConsentAct {
  record: ConsentRecord;
  /** The ledger holds the record. */
  recorded: boolean;
  /** Its activity event landed. */
  logged: boolean;
  /** Withdrawals: the sign-in cache was cleared (grants: always true). */
  signedOut: boolean;
}

export interface PendingConsentPort {
  load(): PendingConsentAct[];
  /** Replaces what is kept; never rejects (a device that cannot keep it still tries now). */
  save(acts: readonly PendingConsentAct[]): Promise<void>;
}
