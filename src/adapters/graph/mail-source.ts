import { ResponseType, type Client } from "@microsoft/microsoft-graph-client";
import { SeptError } from "../../core/errors.js";
import type { EmailAddress } from "../../core/message.js";
import type {
  MailSearchPort,
  MailSourcePort,
  MessageListing,
  MessageMetadata,
  MimeReadOptions,
} from "../../core/ports/mail-source.js";
import { graphCall, graphErrorFromResponse } from "./graph-call.js";
import { createRequestLimiter, type RequestLimiter } from "./request-limiter.js";

const METADATA_FIELDS = [
  "internetMessageId",
  "conversationId",
  "subject",
  "from",
  "toRecipients",
  "ccRecipients",
  "receivedDateTime",
  "sentDateTime",
  "hasAttachments",
  "isDraft",
].join(",");

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** Graph's `{emailAddress:{name,address}}`; an entry with neither is dropped. */
function parseRecipient(value: unknown): EmailAddress | null {
  if (!isRecord(value) || !isRecord(value.emailAddress)) return null;
  const name = text(value.emailAddress.name) ?? "";
  const address = text(value.emailAddress.address) ?? "";
  return name === "" && address === "" ? null : { name, address };
}

function parseRecipients(value: unknown): EmailAddress[] {
  if (!Array.isArray(value)) return [];
  return value.map(parseRecipient).filter((a): a is EmailAddress => a !== null);
}

export function parseMessageMetadata(value: unknown): MessageMetadata {
  const id = isRecord(value) ? text(value.id) : null;
  if (!isRecord(value) || id === null) {
    throw new SeptError("unknown", { message: "Graph returned a message without an id." });
  }
  return {
    immutableId: id,
    internetMessageId: text(value.internetMessageId),
    conversationId: text(value.conversationId),
    subject: typeof value.subject === "string" ? value.subject : "",
    from: parseRecipient(value.from),
    to: parseRecipients(value.toRecipients),
    cc: parseRecipients(value.ccRecipients),
    receivedDateTime: text(value.receivedDateTime),
    sentDateTime: text(value.sentDateTime),
    hasAttachments: value.hasAttachments === true,
    isDraft: value.isDraft === true,
  };
}

function messageUrl(restId: string): string {
  if (typeof restId !== "string" || restId.trim() === "") {
    throw new SeptError("bad_request", { message: "A message id is required." });
  }
  // Encoded whole: an EWS id that slipped through unconverted still reaches Graph as one
  // segment, which answers ErrorInvalidIdMalformed (bad_request) rather than a wrong route.
  return `/me/messages/${encodeURIComponent(restId)}`;
}

function tooLarge(maxBytes: number, size?: number): SeptError {
  return new SeptError("too_large", {
    message: `The message is larger than ${maxBytes} bytes${size === undefined ? "" : ` (${size})`}.`,
    params: { limitMb: Math.floor(maxBytes / (1024 * 1024)) },
  });
}

/**
 * The body of a raw MIME response, refused as soon as it is known to pass `maxBytes`: from
 * Content-Length before reading when the server sends one, else while streaming, so a huge
 * message is never held in memory just to be rejected.
 */
async function mimeBytes(response: Response, maxBytes: number | undefined): Promise<Uint8Array> {
  if (!response.ok) throw await graphErrorFromResponse(response);
  const declared = Number(response.headers.get("Content-Length") ?? Number.NaN);
  if (maxBytes !== undefined && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes, declared);
  }
  if (maxBytes === undefined || !response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (maxBytes !== undefined && bytes.byteLength > maxBytes) {
      throw tooLarge(maxBytes, bytes.byteLength);
    }
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function mimeOptions(options: AbortSignal | MimeReadOptions | undefined): MimeReadOptions {
  if (options === undefined) return {};
  return options instanceof AbortSignal ? { signal: options } : options;
}

/**
 * Reads messages through Graph. Pass the storage adapter's limiter so both stay within
 * Outlook's four concurrent requests per mailbox.
 */
export function createGraphMailSource(
  client: Client,
  limiter: RequestLimiter = createRequestLimiter(),
): MailSourcePort {
  return {
    async getMetadata(restId, signal) {
      const url = messageUrl(restId);
      const body: unknown = await graphCall(limiter, signal, () => {
        const request = client
          .api(url)
          .select(METADATA_FIELDS)
          // Per request only: the returned id is then the immutable one we store.
          .header("Prefer", 'IdType="ImmutableId"');
        return (signal ? request.option("signal", signal) : request).get();
      });
      return parseMessageMetadata(body);
    },

    async getMime(restId, options) {
      const { signal, maxBytes } = mimeOptions(options);
      const url = `${messageUrl(restId)}/$value`;
      // RAW: Graph labels the MIME text/plain, and the SDK would decode it as text; the EML
      // must stay byte for byte (8-bit parts, CRLF).
      return graphCall(limiter, signal, async () => {
        const request = client.api(url).responseType(ResponseType.RAW);
        const response: Response = await (
          signal ? request.option("signal", signal) : request
        ).get();
        return mimeBytes(response, maxBytes);
      });
    },
  };
}

const LISTING_FIELDS = METADATA_FIELDS;
/** A list in the pane: enough to pick from, small enough for one page. */
const LIST_PAGE = 50;
/** "Recent" mail from a sender. */
const RECENT_DAYS = 90;

function parseListing(value: unknown): MessageListing | null {
  if (!isRecord(value) || text(value.id) === null) return null;
  const metadata = parseMessageMetadata(value);
  return { ...metadata, restId: metadata.immutableId };
}

/** An OData string literal: single quotes doubled. */
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Lists messages through Graph (Mail.Read). Shapes kept to what Graph documents:
 * - a conversation: `$filter=conversationId eq '…'` alone, sorted here (with $orderby, the
 *   ordered property must come first in $filter, else 400 InefficientFilter:
 *   user-list-messages.md, "Using filter and orderby in the same query");
 * - a sender: `receivedDateTime ge … and from/emailAddress/address eq '…'` with
 *   `$orderby=receivedDateTime desc`, which follows that rule;
 * - words: `$search="…"`, which takes no $filter or $orderby and comes newest first
 *   (concepts/search-query-parameter.md).
 * Ids are the regular REST ids the mail source reads by.
 */
export function createGraphMailSearch(
  client: Client,
  limiter: RequestLimiter = createRequestLimiter(),
  now: () => Date = () => new Date(),
): MailSearchPort {
  const list = async (
    query: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<MessageListing[]> => {
    const body: unknown = await graphCall(limiter, signal, () => {
      const request = client
        .api("/me/messages")
        .query({ ...query, $select: LISTING_FIELDS, $top: String(LIST_PAGE) });
      return (signal ? request.option("signal", signal) : request).get();
    });
    const value = isRecord(body) && Array.isArray(body.value) ? body.value : [];
    return value.map(parseListing).filter((m): m is MessageListing => m !== null && !m.isDraft);
  };
  return {
    async conversation(conversationId, signal) {
      const found = await list({ $filter: `conversationId eq ${literal(conversationId)}` }, signal);
      return found.sort((a, b) =>
        (a.receivedDateTime ?? "").localeCompare(b.receivedDateTime ?? ""),
      );
    },
    fromSender(address, signal) {
      const since = new Date(now().getTime() - RECENT_DAYS * 86_400_000);
      const sinceIso = `${since.toISOString().slice(0, 19)}Z`;
      return list(
        {
          $filter: `receivedDateTime ge ${sinceIso} and from/emailAddress/address eq ${literal(address)}`,
          $orderby: "receivedDateTime desc",
        },
        signal,
      );
    },
    search(words, signal) {
      // KQL inside double quotes: a quote or backslash in the words would end or escape it.
      const cleaned = words.replace(/["\\]/g, " ").trim();
      if (cleaned === "") return Promise.resolve([]);
      return list({ $search: `"${cleaned}"` }, signal);
    },
  };
}
