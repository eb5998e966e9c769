import type { ConsentRecord } from "../consent/consent.js";

/** The consent ledger: grants and withdrawals, each kept for good (demonstrable consent). */
export interface ConsentLedgerPort {
  append(record: ConsentRecord, signal?: AbortSignal): Promise<void>;
  /** Every record, freshly read from storage. */
  list(signal?: AbortSignal): Promise<ConsentRecord[]>;
}

/** A hint kept with the host (Office roamingSettings) to pick the first view fast. Never authorises. */
export interface ConsentHintPort {
  read(): { status: string; policyVersion: string } | null;
  write(hint: { status: string; policyVersion: string } | null): Promise<void>;
}
