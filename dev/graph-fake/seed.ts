// Turns .eml files into the fake's mailbox. Parsing is memoised per process (keyed by file path,
// size and mtime) because every test starts its own fake.
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { buildLargeMessage } from "../sample-mailbox/large-message.js";
import { isoSeconds } from "./errors.js";
import {
  attachmentEwsId,
  changeKeyFor,
  conversationIdFor,
  ewsToRest,
  messageIds,
} from "./mail-ids.js";
import type { MessageProtection, OfficeAddress, OfficeItemView } from "./types.js";

export interface MailAttachment {
  /** REST form, what Graph returns. */
  id: string;
  /** EWS form, what Office.js returns. */
  ewsId: string;
  kind: "file" | "item";
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  contentId: string | null;
  content: Buffer;
}

export interface MailMessage {
  ewsId: string;
  restId: string;
  immutableId: string;
  changeKey: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: OfficeAddress | null;
  to: OfficeAddress[];
  cc: OfficeAddress[];
  bcc: OfficeAddress[];
  replyTo: OfficeAddress[];
  sentDateTime: string;
  receivedDateTime: string;
  importance: "low" | "normal" | "high";
  categories: string[];
  /** Native body; `html` is null for plain-text messages. */
  html: string | null;
  text: string;
  bodyPreview: string;
  attachments: MailAttachment[];
  hasAttachments: boolean;
  protection: MessageProtection;
  raw: Buffer;
}

export const DEFAULT_SEED_DIR = join(import.meta.dirname, "..", "sample-mailbox");
const FALLBACK_DATE = new Date("2026-01-01T00:00:00Z");

function addresses(value: AddressObject | AddressObject[] | undefined): OfficeAddress[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: OfficeAddress[] = [];
  for (const obj of list) {
    for (const a of obj.value) {
      if (a.group) {
        for (const g of a.group)
          out.push({ name: g.name || g.address || "", address: g.address ?? "" });
      } else {
        out.push({ name: a.name || a.address || "", address: a.address ?? "" });
      }
    }
  }
  return out;
}

function receivedDate(parsed: ParsedMail): Date {
  const received = parsed.headers.get("received");
  const first = Array.isArray(received) ? received[0] : received;
  if (typeof first === "string") {
    const when = first.slice(first.lastIndexOf(";") + 1).trim();
    const d = new Date(when);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return parsed.date ?? FALLBACK_DATE;
}

/**
 * The Date header's time, or the arrival time when it has none or an unreadable one (mailparser
 * gives the time of parsing for an unreadable Date, which would make sentDateTime move each time
 * the fake starts; Graph's is fixed).
 */
function sentDate(parsed: ParsedMail, received: Date): Date {
  const line = parsed.headerLines.find((h) => h.key === "date")?.line;
  if (!line) return received;
  const when = new Date(line.slice(line.indexOf(":") + 1).trim());
  return Number.isNaN(when.getTime()) ? received : when;
}

function headerValue(parsed: ParsedMail, name: string): string {
  const v = parsed.headers.get(name);
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null && "value" in v && typeof v.value === "string") {
    return v.value;
  }
  return "";
}

function protectionOf(parsed: ParsedMail): MessageProtection {
  const type = headerValue(parsed, "content-type").toLowerCase();
  const contentClass = headerValue(parsed, "content-class").toLowerCase();
  const rpmsg = parsed.attachments.some(
    (a) =>
      a.contentType.toLowerCase() === "application/x-microsoft-rpmsg-message" ||
      (a.filename ?? "").toLowerCase() === "message.rpmsg",
  );
  if (rpmsg || contentClass.startsWith("rpmsg.message")) return "irm";
  if (/^(application\/(x-)?pkcs7-mime|multipart\/signed)/.test(type)) return "smime";
  return "none";
}

function importanceOf(parsed: ParsedMail): "low" | "normal" | "high" {
  const importance = headerValue(parsed, "importance").toLowerCase();
  const priority = headerValue(parsed, "x-priority");
  if (importance === "high" || /^[12]\b/.test(priority)) return "high";
  if (importance === "low" || /^[45]\b/.test(priority)) return "low";
  return "normal";
}

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Builds the mailbox record for one raw message; `key` makes its ids unique and stable. */
export async function parseMessage(raw: Buffer, key: string): Promise<MailMessage> {
  const parsed = await simpleParser(raw, { keepCidLinks: true });
  const ids = messageIds(key);
  const internetMessageId = parsed.messageId ?? `<${ids.restId.slice(0, 24)}@fake.local>`;
  const refs = parsed.references === undefined ? [] : [parsed.references].flat();
  const root = refs[0] ?? parsed.inReplyTo ?? internetMessageId;
  const received = receivedDate(parsed);
  const text = parsed.text ?? "";
  const attachments: MailAttachment[] = parsed.attachments.map((a, index) => {
    const ewsId = attachmentEwsId(ids.ewsBytes, index);
    const isItem = a.contentType.toLowerCase() === "message/rfc822";
    // Inline means shown in the body (part of multipart/related or disposition inline with a cid).
    const isInline = Boolean(a.related) || (a.contentDisposition === "inline" && Boolean(a.cid));
    return {
      id: ewsToRest(ewsId),
      ewsId,
      kind: isItem ? "item" : "file",
      name: a.filename ?? (isItem ? "Attached message" : `attachment-${index + 1}`),
      contentType: a.contentType,
      size: a.size,
      isInline,
      contentId: a.cid ?? null,
      content: a.content,
    };
  });
  const keywords = headerValue(parsed, "keywords");
  return {
    ewsId: ids.ewsId,
    restId: ids.restId,
    immutableId: ids.immutableId,
    changeKey: changeKeyFor(key),
    internetMessageId,
    conversationId: conversationIdFor(root),
    subject: parsed.subject ?? "",
    from: addresses(parsed.from)[0] ?? null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    bcc: addresses(parsed.bcc),
    replyTo: addresses(parsed.replyTo),
    sentDateTime: isoSeconds(sentDate(parsed, received)),
    receivedDateTime: isoSeconds(received),
    importance: importanceOf(parsed),
    categories: keywords
      ? keywords
          .split(",")
          .map((k) => k.trim())
          .filter(Boolean)
      : [],
    html: typeof parsed.html === "string" ? parsed.html : null,
    text,
    bodyPreview: collapseWhitespace(text).slice(0, 255),
    attachments,
    hasAttachments: attachments.some((a) => !a.isInline),
    protection: protectionOf(parsed),
    raw,
  };
}

const parseCache = new Map<string, Promise<MailMessage>>();

function cachedParse(cacheKey: string, load: () => Promise<Buffer>, idKey: string) {
  let hit = parseCache.get(cacheKey);
  if (!hit) {
    hit = load().then((raw) => parseMessage(raw, idKey));
    hit.catch(() => parseCache.delete(cacheKey));
    parseCache.set(cacheKey, hit);
  }
  return hit;
}

/** The mailbox: every parsable .eml in `seedDir` (sorted by name), plus the large message. */
export async function loadMailbox(seedDir: string, seedLarge: boolean): Promise<MailMessage[]> {
  let names: string[] = [];
  try {
    names = (await readdir(seedDir)).filter((n) => n.toLowerCase().endsWith(".eml")).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const jobs = names.map(async (name) => {
    const file = join(seedDir, name);
    const info = await stat(file);
    try {
      return await cachedParse(
        `${file}:${info.size}:${info.mtimeMs}`,
        () => readFile(file),
        basename(name),
      );
    } catch (err) {
      // One broken sample must not take the demo down.
      console.warn(`graph-fake: skipping ${file}: ${(err as Error).message}`);
      return null;
    }
  });
  if (seedLarge) {
    jobs.push(cachedParse("large-message", async () => buildLargeMessage(), "large-message"));
  }
  const messages = (await Promise.all(jobs)).filter((m): m is MailMessage => m !== null);
  return messages.sort((a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime));
}

/**
 * The message class Exchange gives the item [MS-OXOSMIME 2.1.3.1]: clear-signed S/MIME
 * (multipart/signed) is IPM.Note.SMIME.MultipartSigned; opaque-signed and encrypted S/MIME
 * (application/pkcs7-mime) are both IPM.Note.SMIME; rights-managed mail IPM.Note.rpmsg.
 */
function itemClassOf(m: MailMessage): string {
  if (m.protection === "irm") return "IPM.Note.rpmsg.Microsoft";
  if (m.protection !== "smime") return "IPM.Note";
  const head = m.raw.subarray(0, 64 * 1024).toString("latin1");
  const end = head.search(/\r?\n\r?\n/);
  const headers = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  return /^content-type:\s*multipart\/signed/im.test(headers)
    ? "IPM.Note.SMIME.MultipartSigned"
    : "IPM.Note.SMIME";
}

export function officeView(m: MailMessage): OfficeItemView {
  return {
    itemId: m.ewsId,
    restId: m.restId,
    immutableId: m.immutableId,
    internetMessageId: m.internetMessageId,
    conversationId: m.conversationId,
    subject: m.subject,
    from: m.from ?? { name: "", address: "" },
    to: m.to,
    cc: m.cc,
    dateTimeCreated: m.receivedDateTime,
    dateTimeModified: m.receivedDateTime,
    receivedDateTime: m.receivedDateTime,
    attachments: m.attachments.map((a) => ({
      id: a.ewsId,
      name: a.name,
      contentType: a.contentType,
      size: a.size,
      isInline: a.isInline,
    })),
    bodyPreview: m.bodyPreview,
    size: m.raw.length,
    hasAttachments: m.hasAttachments,
    protection: m.protection,
    itemClass: itemClassOf(m),
  };
}
