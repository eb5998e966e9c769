// What a save is asked, what it answers, and the refusals Office can give without a request.
import type { ActivityEvent } from "../../core/activity/activity.js";
import type { Purpose } from "../../core/consent/consent.js";
import { SeptError } from "../../core/errors.js";
import type { MessageSummary } from "../../core/message.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { MailSourcePort, MessageMetadata } from "../../core/ports/mail-source.js";
import type { StoragePort } from "../../core/ports/storage.js";
import type { IndexEntry, StoredEmailRecord } from "../../core/stored-email.js";
import type { ConsentService } from "../consent/consent-service.js";
import type { EmailIndex } from "../storage/email-index.js";
import { itemClassProtection, protectionRefusal } from "./mime.js";

/** Outlook refuses bigger messages anyway; above this the save stops before downloading the body. */
export const MAX_MESSAGE_BYTES = 150 * 1024 * 1024;
/**
 * Above Graph's simple-upload limit the content goes up in an upload session (many requests,
 * seconds): such a save first writes a reservation so a crash mid-way is found and repaired. A
 * smaller save has one content PUT, and reconcile finds its only possible leftover (an .eml with
 * no record) from the listing it makes anyway, so it skips the two extra requests.
 */
export const RESERVE_ABOVE_BYTES = 4 * 1024 * 1024;

export interface SaveEmailDeps {
  consent: ConsentService;
  mail: MailSourcePort;
  storage: StoragePort;
  activity: ActivityLogPort;
  /** The pane's index (shared with listing); one over `storage` is made when absent. */
  index?: EmailIndex;
  now?: () => Date;
  /** Refuse messages above this many bytes (default 150 MiB). */
  maxMessageBytes?: number;
  /**
   * Re-runs of a step that failed with a retryable error after the Graph client's own retries
   * (a dropped connection, throttling that outlasted them). Default 2 re-runs from 250 ms.
   */
  stepRetry?: { retries?: number; delayMs?: number };
}

/** What Office knows of the item, so some refusals need no request at all. */
export interface OfficeItemHints {
  /** e.g. "IPM.Note", "IPM.Note.SMIME", "IPM.Note.rpmsg.Microsoft.Voicemail.UM.CA". */
  itemClass?: string;
  /** The item is a draft being written (compose mode). */
  isCompose?: boolean;
}

export interface SaveEmailRequest {
  /** The message's REST id (Office's item id after convertToRestId). */
  restId: string;
  projectId: string;
  includeContent: boolean;
  /**
   * Office's `internetMessageId`, when known: "already saved" is then answered from the index
   * without reading the message, and a new save reads metadata and content at once.
   */
  internetMessageId?: string | null;
  /** Office's sender and subject: with the Message-ID, the message's identity (see savedIdFor). */
  from?: { address: string } | null;
  subject?: string;
  /**
   * The message's date as Office gives it (`dateTimeCreated`, its delivery time) or a Graph list
   * (`receivedDateTime`): it names the month shard "already saved" reads, so with the identity
   * it answers without reading the message.
   */
  receivedDateTime?: string | null;
  /** The message's metadata as a Graph list already read it: then it is not read again. */
  metadata?: MessageMetadata;
  /**
   * The open message as Office.js gave it in read mode: its metadata then needs no Graph read
   * (core/message-metadata.ts says which field comes from where; the MIME completes them).
   */
  officeMessage?: MessageSummary;
  officeItem?: OfficeItemHints;
}

export type SavePhase = "checking" | "reading" | "uploading" | "recording" | "done";

export interface SaveProgressEvent {
  phase: SavePhase;
  /** Bytes of content sent so far (uploading), else 0. */
  sent: number;
  /** Bytes of content to send, when known, else 0. */
  total: number;
}

export interface SaveEmailOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SaveProgressEvent) => void;
  /** The MIME read saveEmail started while the consent guard read the ledger (read-steps.ts). */
  readAhead?: ReadAhead;
  /**
   * Logs the `email_saved` event of the record this save commits, resolving once it landed: a
   * bulk save's group (saved-events.ts). Absent: the save appends its event alone.
   */
  logSaved?: (event: ActivityEvent) => Promise<void>;
}

/**
 * A read of the message's MIME started before the consent guard's ledger read ended, so the two
 * round trips overlap. A read writes nothing: the first request that stores email data still
 * waits for the message's admission at the consent gate. `mime` is null when no read was made
 * (the message is saved already) and rejects when the read failed (the save reads again).
 */
export interface ReadAhead {
  mime: Promise<Uint8Array | null>;
  /** Drops the read when the save ends without it (a refusal, "already saved", a failure). */
  abort(): void;
}

export type SaveEmailResult =
  | {
      status: "saved";
      savedId: string;
      record: StoredEmailRecord;
      /**
       * Saved and listed, but its `email_saved` event did not land yet: it waits in the activity
       * log's outbox and is sent first at the log's next append or flush (completion.ts).
       */
      eventPending?: true;
    }
  | { status: "already_saved"; savedId: string; entry?: IndexEntry };

export function purposesFor(includeContent: boolean): Purpose[] {
  return includeContent ? ["email_metadata", "email_content"] : ["email_metadata"];
}

/** Refusals Office can answer without a request: no item, a draft, a rights-protected message. */
export function officeRefusal(request: SaveEmailRequest): SeptError | null {
  if (typeof request.restId !== "string" || request.restId.trim() === "") {
    return new SeptError("no_item");
  }
  if (request.officeItem?.isCompose) return new SeptError("compose_mode");
  if (itemClassProtection(request.officeItem?.itemClass) === "irm") {
    return protectionRefusal("irm", "itemClass");
  }
  return null;
}
