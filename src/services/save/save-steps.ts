// A save's sequence in one place: the transition table SaveRun.run walks (the steps themselves
// are in read-steps.ts and store-steps.ts).
import type { MessageMetadata } from "../../core/ports/mail-source.js";
import type { MessageIdentity, StoredEmailRecord } from "../../core/stored-email.js";
import { lookUp, lookUpFromOffice, readContent, readMetadata } from "./read-steps.js";
import type { SaveRun } from "./save-run.js";
import type { SaveEmailResult } from "./save-request.js";
import { commit, complete, reserve, upload } from "./store-steps.js";

/** What the steps learn on the way, each step filling in what the next ones read. */
export interface SaveState {
  /** The identity Office gave (Message-ID, sender, subject), else null. */
  officeIdentity: MessageIdentity | null;
  /** The saved id computed from Office's identity, when it was complete. */
  hinted: string | null;
  /** A Graph read (not Office.js): it waits for the message's admission at the consent gate. */
  viaGraph: boolean;
  /** The MIME is read: content asked for, or an S/MIME message to classify. */
  needMime: boolean;
  /** The MIME read started together with the metadata (Office said the message is new). */
  early: Promise<Uint8Array> | null;
  metadata: MessageMetadata | null;
  /** The metadata came from Office.js: the MIME, when read, completes it (sent time). */
  officeMetadata: boolean;
  savedId: string | null;
  /** The content to store (null: details only). */
  mime: Uint8Array | null;
  savedAt: string;
  content:
    { stored: false } | { stored: true; path: string; sizeBytes: number; sha256: Promise<string> };
  /** The record this run writes. */
  record: StoredEmailRecord | null;
  /** The record in storage after the commit: this run's (`mine`) or another pane's. */
  committed: { record: StoredEmailRecord; mine: boolean } | null;
  /** A reservation was written for this save. */
  reserved: boolean;
}

export function newSaveState(): SaveState {
  return {
    officeIdentity: null,
    hinted: null,
    viaGraph: true,
    needMime: false,
    early: null,
    metadata: null,
    officeMetadata: false,
    savedId: null,
    mime: null,
    savedAt: "",
    content: { stored: false },
    record: null,
    committed: null,
    reserved: false,
  };
}

export type SaveStepName =
  | "lookUpFromOffice"
  | "readMetadata"
  | "lookUp"
  | "readContent"
  | "reserve"
  | "upload"
  | "commit"
  | "complete";

export interface SaveStep {
  /** Does the step; a result ends the save there (the message is saved already, or done). */
  does: (run: SaveRun, state: SaveState) => Promise<SaveEmailResult | null>;
  /** The step after a success that gave no result. */
  next: SaveStepName | "done";
  /**
   * After a failure, the save reports it: "undo" first removes what this save wrote before its
   * record (steps before the commit point); "report" reports it as it is (nothing written yet, or
   * the save committed and reconcile finishes what the failure left).
   */
  onFailure: "report" | "undo";
}

export const FIRST_STEP: SaveStepName = "lookUpFromOffice";

/**
 * The save's steps in order. Before every request, consent is checked locally (no request) and
 * the message's first request carrying email data waits for its admission at the consent gate (a
 * fresh ledger read); every request is retried after a retryable failure (SaveRun.retrying).
 */
export const SAVE_STEPS: Readonly<Record<SaveStepName, SaveStep>> = {
  // Office gave the Message-ID: "already saved" is answered from the index, no read of the message.
  lookUpFromOffice: { does: lookUpFromOffice, next: "readMetadata", onFailure: "report" },
  // The metadata (immutable id; drafts refused), and the MIME at once when Office said "new".
  readMetadata: { does: readMetadata, next: "lookUp", onFailure: "report" },
  // "already saved" under the saved id the metadata gives, unless Office's lookup asked already.
  lookUp: { does: lookUp, next: "readContent", onFailure: "report" },
  // The MIME, when content is asked for or S/MIME must be classified; protected content refused.
  readContent: { does: readContent, next: "reserve", onFailure: "report" },
  // `pending/{savedId}.json`, only for content above 4 MB (a crash mid-upload is then repaired).
  reserve: { does: reserve, next: "upload", onFailure: "undo" },
  // `emails/{savedId}.eml`: conflict "fail", then "replace" when no record owns the name.
  upload: { does: upload, next: "commit", onFailure: "undo" },
  // `emails/{savedId}.json`, conflict "fail": the commit point; the gate lets the next message in.
  commit: { does: commit, next: "complete", onFailure: "undo" },
  // The `email_saved` event, the index entry, the reservation dropped (completion.ts).
  complete: { does: complete, next: "done", onFailure: "report" },
};
