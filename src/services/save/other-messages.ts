// Other messages the user may tick to save with the open one, found through Graph. What a list
// read of each is kept, so saving it reads its metadata no more.
import type { MessageSummary } from "../../core/message.js";
import type { MailSearchPort, MessageListing } from "../../core/ports/mail-source.js";

/** Another message as the save panel lists it. */
export interface OtherMessage {
  /** REST id. */
  key: string;
  subject: string;
  from: { name: string; address: string } | null;
  receivedDateTime: string | null;
  internetMessageId: string | null;
}

/**
 * Finding other messages: each call reads the mailbox through Graph, so the first one asks for
 * Mail.Read. Nothing here runs unless the user asks.
 */
export interface OtherMessageFinder {
  /** The other messages of the open message's conversation (the open one left out). */
  conversation(message: MessageSummary): Promise<OtherMessage[]>;
  /** Recent messages from the open message's sender (the open one left out). */
  fromSender(message: MessageSummary): Promise<OtherMessage[]>;
  search(words: string, message: MessageSummary): Promise<OtherMessage[]>;
  /** What a list read of the message with this REST id, if one did. */
  listed(restId: string): MessageListing | undefined;
}

export function createOtherMessageFinder(deps: {
  search: MailSearchPort;
  /** The REST id of an item Office.js names. */
  restId: (itemId: string) => string;
}): OtherMessageFinder {
  const listed = new Map<string, MessageListing>();
  const toOther = (m: MessageListing): OtherMessage => {
    listed.set(m.restId, m);
    return {
      key: m.restId,
      subject: m.subject,
      from: m.from,
      receivedDateTime: m.receivedDateTime,
      internetMessageId: m.internetMessageId,
    };
  };
  /** The open message is never offered as "another" one (Graph lists it with its REST id). */
  const withoutOpen = (message: MessageSummary, found: MessageListing[]) => {
    const openId = deps.restId(message.itemId);
    return found.filter((m) => m.restId !== openId).map(toOther);
  };
  const { search } = deps;
  return {
    conversation: async (message) =>
      message.conversationId
        ? withoutOpen(message, await search.conversation(message.conversationId))
        : [],
    fromSender: async (message) =>
      message.from?.address
        ? withoutOpen(message, await search.fromSender(message.from.address))
        : [],
    search: async (words, message) => withoutOpen(message, await search.search(words)),
    listed: (restId) => listed.get(restId),
  };
}
