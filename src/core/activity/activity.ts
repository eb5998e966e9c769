/** Plugin activity (privacy policy §2 "email plugin activity logs"): metadata and ids only. */
export type ActivityKind =
  | "consent_granted"
  | "consent_withdrawn"
  | "email_saved"
  | "email_deleted"
  | "email_purged"
  | "email_corrected"
  | "data_exported"
  | "settings_changed"
  /** "Delete all my data": the one record kept, saying that the deletion happened. */
  | "all_data_deleted";

export type ActivityOutcome = "success" | "failure" | "cancelled";

export interface ActivityEvent {
  id: string;
  at: string;
  kind: ActivityKind;
  outcome: ActivityOutcome;
  /** Ids only (saved email id, consent record id, internet message id hash...), never content. */
  refs: Record<string, string>;
  projectId?: string;
  sizeBytes?: number;
  /** An error code when the outcome is a failure; never a message text from Graph or Office. */
  errorCode?: string;
  /** Purposes or settings involved, as codes. */
  details?: Record<string, string | number | boolean | string[]>;
  /** SHA-256 (hex) of the event's canonical JSON without `hash`; set by the log, never by callers. */
  hash?: string;
  /**
   * `hash` of the event before this one in the user's chain, or null for the first (see chain.ts).
   * Events of older versions point at the newest event their own session knew of.
   */
  prevHash?: string | null;
  /**
   * Position in the user's one chain (1 for the first event), set by the log from the stored head.
   * Absent on events written by versions that chained each pane session on its own (legacy).
   */
  seq?: number;
}

/** Sortable, path-safe stamp used in file names: 20261125T101500123Z. */
export function compactTimestamp(iso: string): string {
  return iso.replace(/[-:.]/g, "");
}
