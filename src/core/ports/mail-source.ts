import type { MessageHeaders } from "../message.js";

/** What Graph knows of a message, parsed once at the adapter; missing fields are null or []. */
export interface MessageMetadata extends MessageHeaders {
  /** Survives moves between folders (not a move to an archive mailbox); store it with the next. */
  immutableId: string;
  /** ISO-8601 UTC. */
  receivedDateTime: string | null;
  sentDateTime: string | null;
  /** False when the only attachments are inline (Graph's definition). */
  hasAttachments: boolean;
  isDraft: boolean;
}

/** Options of a MIME read; a bare AbortSignal is accepted too. */
export interface MimeReadOptions {
  signal?: AbortSignal;
  /**
   * Refuse (SeptError `too_large`) a message bigger than this, from its declared length before
   * its body is read when the server gives one, else as soon as the bytes read pass it.
   */
  maxBytes?: number;
}

/**
 * The mail port: reads one message from the user's mailbox. Ids are REST ids (Office's EWS
 * `itemId` converted with `convertToRestId`) or immutable ids. Failures reject with SeptError:
 * bad_request for an unconverted or malformed id, not_found, throttled, cancelled, network...
 */
export interface MailSourcePort {
  getMetadata(restId: string, signal?: AbortSignal): Promise<MessageMetadata>;
  /** The raw MIME message (EML), byte for byte. */
  getMime(restId: string, options?: AbortSignal | MimeReadOptions): Promise<Uint8Array>;
  /**
   * True when this message is read on the device itself (Office.js), so reading it sends no
   * request that carries its data; such a read does not wait at the consent gate (the request
   * that stores it does).
   */
  readsLocally?(restId: string): boolean;
}

/**
 * A message as a list shows it (the other messages of a conversation, a search): the list reads
 * the same fields as getMetadata, so saving a listed message needs no second metadata read.
 */
export interface MessageListing extends MessageMetadata {
  /** REST id, usable with MailSourcePort (also `immutableId` here: the list's own id). */
  restId: string;
}

/**
 * Finding other messages to save with the open one. Reads the mailbox, so it needs Graph
 * Mail.Read: the pane asks for it only when the user opens this list.
 */
export interface MailSearchPort {
  /** The messages of a conversation, oldest first. */
  conversation(conversationId: string, signal?: AbortSignal): Promise<MessageListing[]>;
  /** Recent messages from a sender, newest first. */
  fromSender(address: string, signal?: AbortSignal): Promise<MessageListing[]>;
  /** Messages matching words (sender, subject, body), newest first. */
  search(text: string, signal?: AbortSignal): Promise<MessageListing[]>;
}
