// A message's metadata as the record keeps it, taken from what Office.js already answered in read
// mode (and refined from the MIME the save downloads anyway), so no Graph metadata read is needed.
import type { EmailAddress, MessageSummary } from "./message.js";
import type { MessageMetadata } from "./ports/mail-source.js";

/**
 * The fewest recipients any Outlook client returns for `to` or `cc` in read mode (Office.js
 * reference, office.messageread `to`/`cc`: 20 on the web and new Outlook on Windows in the
 * collapsed view; 100 on mobile and the classic Mac UI; 500 or 1,000 on classic Windows). A list
 * this long may have been cut, so it is not taken as the message's recipients.
 */
export const OFFICE_RECIPIENTS_SHOWN_AT_LEAST = 20;

/** Graph's date format: ISO-8601 UTC to the second, ending in `Z`. */
function graphDate(iso: string): string | null {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : `${new Date(time).toISOString().slice(0, 19)}Z`;
}

/**
 * The metadata of the open message from Office.js alone, or null when Office's answer may be
 * incomplete (a recipient list that may have been cut, no creation time) and Graph must say.
 * Each field and where Office.js gives it (read mode, `ReadItem`, office.messageread):
 * - internetMessageId, conversationId, subject, from, to, cc, dateTimeCreated, attachments,
 *   itemId: Mailbox 1.0/1.1, on every read host;
 * - receivedDateTime: `dateTimeCreated`, when the item was created in the mailbox, which for a
 *   delivered message is its delivery;
 * - sentDateTime: not in Office.js; null here, the MIME's Date header gives it (withMimeFacts);
 * - hasAttachments: an attachment that is not inline (Graph: false when all are inline);
 * - isDraft: false: Outlook does not activate read add-ins on items in the Drafts folder
 *   (outlook/read-scenario.md), and a draft being written is compose mode, refused before;
 * - immutableId: Office.js has none; the REST id stands in, as for a message listed by Graph
 *   (an immutable id would cost a translateExchangeIds request on every save).
 */
export function officeMetadata(message: MessageSummary, restId: string): MessageMetadata | null {
  const metadata = metadataFromOffice(message, restId);
  if (
    metadata.receivedDateTime === null ||
    message.to.length >= OFFICE_RECIPIENTS_SHOWN_AT_LEAST ||
    message.cc.length >= OFFICE_RECIPIENTS_SHOWN_AT_LEAST
  ) {
    return null;
  }
  return metadata;
}

/**
 * What Office.js says, whole or not: where nothing else may be asked (a Mailbox 1.14 host saves
 * without Mail.Read), the MIME then completes it (withMimeFacts).
 */
export function metadataFromOffice(message: MessageSummary, restId: string): MessageMetadata {
  const receivedDateTime = graphDate(message.date);
  return {
    immutableId: restId,
    internetMessageId: message.internetMessageId,
    conversationId: message.conversationId,
    subject: message.subject,
    from: message.from,
    to: message.to,
    cc: message.cc,
    receivedDateTime,
    sentDateTime: null,
    hasAttachments: message.attachments.some((a) => !a.isInline),
    isDraft: false,
  };
}

/** What the downloaded MIME adds to Office's metadata. */
export interface MimeMetadataFacts {
  /** The Date header in Graph's format, or null when absent or unreadable. */
  date: string | null;
  /** A part is declared `Content-Disposition: attachment`. */
  declaresAttachment: boolean;
  /** The To and Cc headers' recipients (names decoded; a missing name is the address). */
  to?: EmailAddress[];
  cc?: EmailAddress[];
}

/** Office's list where it cannot have been cut; else the MIME's, when it names more. */
function wholeList(office: EmailAddress[], mime: EmailAddress[] | undefined): EmailAddress[] {
  if (office.length < OFFICE_RECIPIENTS_SHOWN_AT_LEAST || !mime) return office;
  return mime.length > office.length ? mime : office;
}

/**
 * Office's metadata completed from the MIME: sentDateTime is the Date header, which Exchange
 * maps to the message's submit time (MS-OXCMAIL: Date → PidTagClientSubmitTime, Graph's
 * sentDateTime). Microsoft documents nothing for a message without a usable Date: it gets its
 * arrival time, as the Graph fake answers (a null would say less than Graph does).
 * An attachment Office.js leaves out (a blocked file type) still counts, as it does in Graph. A
 * recipient list Office.js may have cut (a Mailbox 1.14 host, which has no Mail.Read to ask
 * Graph) is taken from the To or Cc header when that names more.
 */
export function withMimeFacts(
  metadata: MessageMetadata,
  facts: MimeMetadataFacts,
): MessageMetadata {
  return {
    ...metadata,
    to: wholeList(metadata.to, facts.to),
    cc: wholeList(metadata.cc, facts.cc),
    sentDateTime: facts.date ?? metadata.receivedDateTime,
    hasAttachments: metadata.hasAttachments || facts.declaresAttachment,
  };
}
