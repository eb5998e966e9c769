import type { Purpose } from "./consent/consent.js";
import type { EmailAddress } from "./message.js";
import type { MessageMetadata } from "./ports/mail-source.js";

/** The JSON record kept for each saved email (with a .eml beside it when content was saved). */
export interface StoredEmailRecord {
  schema: 1;
  savedId: string;
  projectId: string;
  savedAt: string;
  consentGrantId: string;
  purposes: Purpose[];
  /** Graph's metadata of the message as it was saved (whether it was a draft is not kept). */
  message: Omit<MessageMetadata, "isDraft">;
  content: { stored: false } | { stored: true; path: string; sizeBytes: number; sha256: string };
  note?: string;
}

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** What identifies a message for saving; both Office.js item properties and Graph give these. */
export interface MessageIdentity {
  internetMessageId: string | null;
  /** Where no Message-ID exists: the item's id (REST or immutable) stands in for it. */
  immutableId: string;
  from?: { address: string } | null;
  subject?: string;
}

/*
 * A save's identity is the message, not its Message-ID header alone: anyone can send a message
 * reusing another's Message-ID, and the second must not be refused as "already saved" and lost.
 * Weighed options:
 * - the Exchange item id: Office's itemId (convertToRestId) changes when the message moves to
 *   another folder, and the immutable id costs a translateExchangeIds request on every save read
 *   through Office.js (a save must stay within 4 Graph requests);
 * - a hash of the EML bytes: Exchange writes the MIME when asked, and nothing promises that
 *   getAsFileAsync and Graph's $value give the same bytes, so the same message read on two hosts
 *   would be two saves; and a metadata-only save would have to read the content.
 * Chosen: Message-ID + sender address + subject. Office.js and Graph give all three, the same,
 * with no request; they survive moves between folders; the messages that only share a reused
 * Message-ID differ in them. Two messages alike in all three are treated as one (documented in
 * docs/admin). Only a hash goes into the saved id: file names carry no email data.
 */
function identityKey(message: MessageIdentity): string {
  if (!message.internetMessageId) return `immutable:${message.immutableId}`;
  const from = (message.from?.address ?? "").trim().toLowerCase();
  return `v2\n${message.internetMessageId}\n${from}\n${message.subject ?? ""}`;
}

/**
 * The saved id is derived from the message and the project, so saving the same message to the same
 * project again lands on the same name and is recognised, never stored twice.
 */
export async function savedIdFor(message: MessageIdentity, projectId: string): Promise<string> {
  return (await sha256Hex(`${identityKey(message)}\n${projectId}`)).slice(0, 32);
}

/**
 * The saved id of the first scheme (Message-ID and project only). Records saved under it are kept
 * as they are; "already saved" finds them through this id and `isSameMessage`.
 */
export async function legacySavedIdFor(
  message: Pick<MessageIdentity, "internetMessageId">,
  projectId: string,
): Promise<string | null> {
  if (!message.internetMessageId) return null;
  return (await sha256Hex(`${message.internetMessageId}\n${projectId}`)).slice(0, 32);
}

/** Whether a stored entry is this very message (by the identity above), not only its Message-ID. */
export function isSameMessage(
  entry: Pick<IndexEntry, "internetMessageId" | "from" | "subject">,
  message: Pick<MessageIdentity, "internetMessageId" | "from" | "subject">,
): boolean {
  if (!message.internetMessageId || entry.internetMessageId !== message.internetMessageId) {
    return false;
  }
  const address = (a: { address: string } | null | undefined) =>
    (a?.address ?? "").trim().toLowerCase();
  return address(entry.from) === address(message.from) && entry.subject === (message.subject ?? "");
}

/** One line of `index/emails.json`: what listing and "already saved" need, without the record. */
export interface IndexEntry {
  savedId: string;
  projectId: string;
  savedAt: string;
  internetMessageId: string | null;
  conversationId: string | null;
  subject: string;
  from: EmailAddress | null;
  /** Recipient addresses only. */
  to: string[];
  receivedDateTime: string | null;
  contentStored: boolean;
  /** Bytes of the stored .eml; 0 for a metadata-only save. */
  sizeBytes: number;
  note?: string;
}

/** The index file: derived from the records, so it can always be rebuilt from them. */
export interface EmailIndexFile {
  schema: 1;
  entries: IndexEntry[];
}

export function indexEntryFor(record: StoredEmailRecord): IndexEntry {
  return {
    savedId: record.savedId,
    projectId: record.projectId,
    savedAt: record.savedAt,
    internetMessageId: record.message.internetMessageId,
    conversationId: record.message.conversationId,
    subject: record.message.subject,
    from: record.message.from,
    to: record.message.to.map((a) => a.address),
    receivedDateTime: record.message.receivedDateTime,
    contentStored: record.content.stored,
    sizeBytes: record.content.stored ? record.content.sizeBytes : 0,
    ...(record.note !== undefined ? { note: record.note } : {}),
  };
}

/**
 * A save in progress (`pending/{savedId}.json`), written before content goes up so that a crash
 * mid-upload can be repaired: reconcile completes the save if the record landed, else removes
 * what the reservation names.
 */
export interface SaveReservation {
  schema: 1;
  savedId: string;
  projectId: string;
  startedAt: string;
  /** The files this save may write; ids only, no email data. */
  recordPath: string;
  contentPath: string | null;
  sizeBytes: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function textOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function addressOf(value: unknown): EmailAddress | null {
  if (!isObject(value)) return null;
  const name = typeof value.name === "string" ? value.name : "";
  const address = typeof value.address === "string" ? value.address : "";
  return name === "" && address === "" ? null : { name, address };
}

function addressesOf(value: unknown): EmailAddress[] {
  return Array.isArray(value)
    ? value.map(addressOf).filter((a): a is EmailAddress => a !== null)
    : [];
}

/** A record read back from storage (the user controls that folder): null when it is not one. */
export function parseStoredEmailRecord(value: unknown): StoredEmailRecord | null {
  if (!isObject(value) || value.schema !== 1 || !isObject(value.message)) return null;
  const { savedId, projectId, savedAt, consentGrantId } = value;
  if (
    typeof savedId !== "string" ||
    typeof projectId !== "string" ||
    typeof savedAt !== "string" ||
    typeof consentGrantId !== "string"
  ) {
    return null;
  }
  const m = value.message;
  const c = isObject(value.content) ? value.content : {};
  const content: StoredEmailRecord["content"] =
    c.stored === true &&
    typeof c.path === "string" &&
    typeof c.sizeBytes === "number" &&
    typeof c.sha256 === "string"
      ? { stored: true, path: c.path, sizeBytes: c.sizeBytes, sha256: c.sha256 }
      : { stored: false };
  return {
    schema: 1,
    savedId,
    projectId,
    savedAt,
    consentGrantId,
    purposes: Array.isArray(value.purposes)
      ? (value.purposes.filter((p) => typeof p === "string") as Purpose[])
      : [],
    message: {
      immutableId: typeof m.immutableId === "string" ? m.immutableId : "",
      internetMessageId: textOrNull(m.internetMessageId),
      conversationId: textOrNull(m.conversationId),
      subject: typeof m.subject === "string" ? m.subject : "",
      from: addressOf(m.from),
      to: addressesOf(m.to),
      cc: addressesOf(m.cc),
      receivedDateTime: textOrNull(m.receivedDateTime),
      sentDateTime: textOrNull(m.sentDateTime),
      hasAttachments: m.hasAttachments === true,
    },
    content,
    ...(typeof value.note === "string" ? { note: value.note } : {}),
  };
}
