// Mail endpoints (contract §1): messages, MIME, attachments, id translation, and /me.
import { GraphError, mailErrors } from "./errors.js";
import {
  INVALID_JSON,
  bytesResponse,
  isRecord,
  jsonResponse,
  parseJsonBody,
  type FakeRequest,
  type FakeResponse,
} from "./exchange.js";
import { ewsToRest, looksLikeEwsId } from "./mail-ids.js";
import { parseNonNegativeInt, parseOrderBy, parseSelect, pick } from "./odata.js";
import type { Route } from "./router.js";
import type { MailAttachment, MailMessage } from "./seed.js";
import type { FaultConfig, OfficeAddress } from "./types.js";

export interface MailEnv {
  /** https://localhost:PORT */
  origin(): string;
  faults(): Readonly<FaultConfig>;
}

const INBOX_ID =
  "AQMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgAuAAADiW-aX2AjgkqV2EwbW2xp0AEAAAAAAQ-AAAA=";

const MESSAGE_FIELDS = [
  "id",
  "createdDateTime",
  "lastModifiedDateTime",
  "changeKey",
  "categories",
  "receivedDateTime",
  "sentDateTime",
  "hasAttachments",
  "internetMessageId",
  "subject",
  "bodyPreview",
  "importance",
  "parentFolderId",
  "conversationId",
  "isDeliveryReceiptRequested",
  "isReadReceiptRequested",
  "isRead",
  "isDraft",
  "webLink",
  "inferenceClassification",
  "body",
  "sender",
  "from",
  "toRecipients",
  "ccRecipients",
  "bccRecipients",
  "replyTo",
  "flag",
] as const;

// contentBytes lives on the derived fileAttachment type, so Graph refuses it in $select.
const ATTACHMENT_FIELDS = [
  "id",
  "lastModifiedDateTime",
  "name",
  "contentType",
  "size",
  "isInline",
  "contentId",
  "contentLocation",
] as const;

interface Preferences {
  bodyType: "text" | "html" | null;
  immutableIds: boolean;
  applied: string[];
}

function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = { bodyType: null, immutableIds: false, applied: [] };
  for (const part of (header ?? "").split(",")) {
    const p = part.trim();
    const body = /^outlook\.body-content-type\s*=\s*"?(text|html)"?$/i.exec(p);
    if (body?.[1]) {
      prefs.bodyType = body[1].toLowerCase() as "text" | "html";
      prefs.applied.push(`outlook.body-content-type="${prefs.bodyType}"`);
    } else if (/^IdType\s*=\s*"?ImmutableId"?$/i.test(p)) {
      prefs.immutableIds = true;
      prefs.applied.push('IdType="ImmutableId"');
    }
  }
  return prefs;
}

function preferenceHeaders(prefs: Preferences): Record<string, string> {
  return prefs.applied.length > 0 ? { "Preference-Applied": prefs.applied.join(", ") } : {};
}

function checkSelect(select: string[] | null, allowed: readonly string[], type: string): void {
  for (const field of select ?? []) {
    if (!allowed.includes(field)) {
      throw new GraphError(
        400,
        "RequestBroker--ParseUri",
        `Could not find a property named '${field}' on type 'microsoft.graph.${type}'.`,
      );
    }
  }
}

function recipient(a: OfficeAddress) {
  return { emailAddress: { name: a.name, address: a.address } };
}

// Graph's default HTML is "safe": active content removed. Good enough for a fake; production
// sanitises again regardless.
function safeHtml(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, "")
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "")
    .replace(/(href|src)\s*=\s*(["'])\s*javascript:[^"']*\2/gi, "$1=$2#$2");
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`,
  );
}

function bodyOf(m: MailMessage, wanted: "text" | "html" | null) {
  const type = wanted ?? (m.html === null ? "text" : "html");
  if (type === "text") return { contentType: "text", content: m.text };
  const html =
    m.html ??
    `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div>${escapeHtml(m.text).replace(/\r?\n/g, "<br>")}</div></body></html>`;
  return { contentType: "html", content: safeHtml(html) };
}

export class MailService {
  private readonly byRestId = new Map<string, MailMessage>();
  private readonly byImmutableId = new Map<string, MailMessage>();
  private readonly byEwsId = new Map<string, MailMessage>();

  constructor(
    readonly messages: MailMessage[],
    readonly env: MailEnv,
  ) {
    for (const m of messages) {
      this.byRestId.set(m.restId, m);
      this.byImmutableId.set(m.immutableId, m);
      this.byEwsId.set(m.ewsId, m);
    }
  }

  /** Adds a message at run time (the admin endpoint `POST /_fake/messages`). */
  add(m: MailMessage): void {
    if (this.byRestId.has(m.restId)) return;
    this.messages.push(m);
    this.byRestId.set(m.restId, m);
    this.byImmutableId.set(m.immutableId, m);
    this.byEwsId.set(m.ewsId, m);
  }

  /** Removes a message added at run time. */
  remove(restId: string): void {
    const m = this.byRestId.get(restId);
    if (!m) return;
    this.messages.splice(this.messages.indexOf(m), 1);
    this.byRestId.delete(m.restId);
    this.byImmutableId.delete(m.immutableId);
    this.byEwsId.delete(m.ewsId);
  }

  /** The mail routes; `mailOf` picks the mailbox of the request's subject (`/me`, `/users/{id}`). */
  static routes(mailOf: (req: FakeRequest) => MailService): Route[] {
    const mailbox = String.raw`^/v1\.0/me/(?:mailFolders/(?:inbox|Inbox)/)?messages`;
    return [
      { methods: ["GET"], pattern: /^\/v1\.0\/me\/?$/, scope: "user", handler: (r) => me(r) },
      {
        methods: ["GET"],
        pattern: new RegExp(`${mailbox}/?$`),
        scope: "mail",
        handler: (r) => mailOf(r).list(r),
      },
      {
        methods: ["GET", "PATCH"],
        pattern: new RegExp(`${mailbox}/(.+)$`),
        scope: "mail",
        handler: (r, [rest]) => mailOf(r).item(r, rest ?? ""),
      },
      {
        methods: ["POST"],
        pattern: /^\/v1\.0\/me\/translateExchangeIds$/,
        scope: "user",
        handler: (r) => mailOf(r).translate(r),
      },
    ];

    function me(req: FakeRequest): FakeResponse {
      const u = req.subject!;
      const origin = mailOf(req).env.origin();
      return jsonResponse(200, {
        "@odata.context": `${origin}/v1.0/$metadata#users/$entity`,
        businessPhones: [],
        displayName: u.name,
        givenName: u.name.split(" ")[0] ?? u.name,
        jobTitle: null,
        mail: u.upn,
        mobilePhone: null,
        officeLocation: null,
        preferredLanguage: "en-US",
        surname: u.name.split(" ").slice(1).join(" ") || null,
        userPrincipalName: u.upn,
        id: u.id,
      });
    }
  }

  private context(req: FakeRequest, tail: string): string {
    return `${this.env.origin()}/v1.0/$metadata#users('${encodeURIComponent(req.subject!.id)}')/${tail}`;
  }

  private messageJson(m: MailMessage, prefs: Preferences): Record<string, unknown> {
    const id = prefs.immutableIds ? m.immutableId : m.restId;
    const from = m.from ? recipient(m.from) : null;
    return {
      "@odata.etag": `W/"${m.changeKey}"`,
      id,
      createdDateTime: m.receivedDateTime,
      lastModifiedDateTime: m.receivedDateTime,
      changeKey: m.changeKey,
      categories: m.categories,
      receivedDateTime: m.receivedDateTime,
      sentDateTime: m.sentDateTime,
      hasAttachments: m.hasAttachments,
      internetMessageId: m.internetMessageId,
      subject: m.subject,
      bodyPreview: m.bodyPreview,
      importance: m.importance,
      parentFolderId: INBOX_ID,
      conversationId: m.conversationId,
      isDeliveryReceiptRequested: false,
      isReadReceiptRequested: false,
      isRead: true,
      isDraft: false,
      webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`,
      inferenceClassification: "focused",
      body: bodyOf(m, prefs.bodyType),
      sender: from,
      from,
      toRecipients: m.to.map(recipient),
      ccRecipients: m.cc.map(recipient),
      bccRecipients: m.bcc.map(recipient),
      replyTo: m.replyTo.map(recipient),
      flag: { flagStatus: "notFlagged" },
    };
  }

  list(req: FakeRequest): FakeResponse {
    const select = parseSelect(req.query);
    checkSelect(select, MESSAGE_FIELDS, "message");
    const prefs = parsePrefer(req.headers.prefer);
    const top = Math.min(parseNonNegativeInt(req.query, "$top", 10), 1000);
    const skip = parseNonNegativeInt(req.query, "$skip", 0);
    const order = parseOrderBy(
      req.query,
      ["receivedDateTime", "sentDateTime", "subject"],
      "BadRequest",
    );
    let items = [...this.messages];
    const filter = req.query.get("$filter");
    if (filter !== null) {
      const m = /^\s*internetMessageId\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter);
      if (!m) {
        throw new GraphError(
          400,
          "BadRequest",
          "The fake only supports $filter=internetMessageId eq '…'.",
        );
      }
      const wanted = (m[1] ?? "").replace(/''/g, "'");
      items = items.filter((x) => x.internetMessageId === wanted);
    }
    if (order) {
      const key = order.field as "receivedDateTime" | "sentDateTime" | "subject";
      items.sort((a, b) => (order.desc ? -1 : 1) * a[key].localeCompare(b[key]));
    }
    const page = items.slice(skip, skip + top);
    const body: Record<string, unknown> = {
      "@odata.context": this.context(req, select ? `messages(${select.join(",")})` : "messages"),
      value: page.map((m) => pick(this.messageJson(m, prefs), select, ["@odata.etag", "id"])),
    };
    if (top > 0 && skip + top < items.length) {
      const next = new URLSearchParams(req.query);
      next.set("$top", String(top));
      next.set("$skip", String(skip + top));
      body["@odata.nextLink"] = `${this.env.origin()}${req.path}?${next.toString()}`;
    }
    return jsonResponse(200, body, preferenceHeaders(prefs));
  }

  /** A message by REST or immutable id; an unconverted EWS id is malformed. */
  lookup(rawId: string): MailMessage {
    let id: string;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      throw mailErrors.malformedId();
    }
    if (looksLikeEwsId(id) || id.length < 8) throw mailErrors.malformedId();
    const m = this.byRestId.get(id) ?? this.byImmutableId.get(id);
    if (!m) throw mailErrors.notFound();
    return m;
  }

  item(req: FakeRequest, rest: string): FakeResponse {
    const parts =
      /^(.+?)(?:\/(?:\$|%24)(value)|\/(attachments|extensions)(?:\/([^/]+?)(\/(?:\$|%24)value)?)?)?\/?$/.exec(
        rest,
      );
    if (!parts?.[1]) throw mailErrors.malformedId();
    const [, rawId, value, collection, attachmentId, attachmentValue] = parts;
    const m = this.lookup(rawId);
    if (req.method !== "GET" || collection === "extensions") return this.write(req, m, collection);
    if (value) return this.mime(m);
    if (collection === "attachments") {
      if (attachmentId === undefined) return this.attachments(req, m);
      const att = this.attachment(m, attachmentId);
      if (attachmentValue) {
        return bytesResponse(
          200,
          att.content,
          att.kind === "item" ? "message/rfc822" : att.contentType,
        );
      }
      return jsonResponse(200, {
        "@odata.context": this.context(req, `messages('${m.restId}')/attachments/$entity`),
        ...this.attachmentJson(m, att, null),
      });
    }
    const select = parseSelect(req.query);
    checkSelect(select, MESSAGE_FIELDS, "message");
    const prefs = parsePrefer(req.headers.prefer);
    const body = {
      "@odata.context": this.context(
        req,
        select ? `messages(${select.join(",")})/$entity` : "messages/$entity",
      ),
      ...pick(this.messageJson(m, prefs), select, ["@odata.etag", "id"]),
    };
    return jsonResponse(200, body, preferenceHeaders(prefs));
  }

  // Marking a message needs Mail.ReadWrite; the app must not ask for it, so this mostly says 403.
  private write(req: FakeRequest, m: MailMessage, collection: string | undefined): FakeResponse {
    if (!req.user!.scopes.has("Mail.ReadWrite")) {
      throw new GraphError(
        403,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
      );
    }
    const body = parseJsonBody(req);
    if (body === INVALID_JSON || !isRecord(body)) {
      throw new GraphError(400, "RequestBodyRead", "Invalid JSON body.");
    }
    if (collection === "extensions") {
      return jsonResponse(201, {
        ...body,
        id: `microsoft.graph.openTypeExtension.${String(body.extensionName)}`,
      });
    }
    if (Array.isArray(body.categories)) m.categories = body.categories.map(String);
    return jsonResponse(200, this.messageJson(m, parsePrefer(req.headers.prefer)));
  }

  private mime(m: MailMessage): FakeResponse {
    const limit = this.env.faults().mimeSizeLimitBytes;
    if (limit !== undefined && m.raw.length > limit) {
      throw new GraphError(504, "gatewayTimeout", "The operation has timed out.");
    }
    return bytesResponse(200, m.raw, "text/plain");
  }

  private attachment(m: MailMessage, rawId: string): MailAttachment {
    let id: string;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      throw mailErrors.malformedId();
    }
    if (looksLikeEwsId(id)) throw mailErrors.malformedId();
    const att = m.attachments.find((a) => a.id === id);
    if (!att) throw mailErrors.notFound();
    return att;
  }

  private attachmentJson(
    m: MailMessage,
    a: MailAttachment,
    select: string[] | null,
  ): Record<string, unknown> {
    const type =
      a.kind === "item" ? "#microsoft.graph.itemAttachment" : "#microsoft.graph.fileAttachment";
    const full: Record<string, unknown> = {
      "@odata.type": type,
      ...(a.kind === "file" ? { "@odata.mediaContentType": a.contentType } : {}),
      id: a.id,
      lastModifiedDateTime: m.receivedDateTime,
      name: a.name,
      contentType: a.contentType,
      size: a.size,
      isInline: a.isInline,
      ...(a.kind === "file"
        ? {
            contentId: a.contentId,
            contentLocation: null,
            contentBytes: a.content.toString("base64"),
          }
        : {}),
    };
    return pick(full, select, ["@odata.type", "id"]);
  }

  private attachments(req: FakeRequest, m: MailMessage): FakeResponse {
    const select = parseSelect(req.query);
    checkSelect(select, ATTACHMENT_FIELDS, "attachment");
    return jsonResponse(200, {
      "@odata.context": this.context(req, `messages('${m.restId}')/attachments`),
      value: m.attachments.map((a) => this.attachmentJson(m, a, select)),
    });
  }

  translate(req: FakeRequest): FakeResponse {
    const body = parseJsonBody(req);
    if (body === INVALID_JSON || !isRecord(body) || !Array.isArray(body.inputIds)) {
      throw new GraphError(400, "ErrorInvalidRequest", "inputIds is required.");
    }
    const kinds = ["ewsId", "restId", "restImmutableEntryId"];
    const source = body.sourceIdType;
    const target = body.targetIdType;
    if (
      typeof source !== "string" ||
      !kinds.includes(source) ||
      typeof target !== "string" ||
      !kinds.includes(target)
    ) {
      throw new GraphError(
        400,
        "ErrorInvalidRequest",
        "sourceIdType/targetIdType must be ewsId, restId or restImmutableEntryId.",
      );
    }
    if (body.inputIds.length > 1000) {
      throw new GraphError(400, "ErrorInvalidRequest", "At most 1000 inputIds are allowed.");
    }
    const value = body.inputIds.map((input: unknown) => {
      const sourceId = String(input);
      const m =
        source === "ewsId"
          ? this.byEwsId.get(sourceId)
          : source === "restId"
            ? this.byRestId.get(sourceId)
            : this.byImmutableId.get(sourceId);
      if (!m) {
        return {
          sourceId,
          errorDetails: {
            code: "ErrorItemNotFound",
            message: "The specified object was not found in the store.",
          },
        };
      }
      const targetId =
        target === "ewsId" ? m.ewsId : target === "restId" ? ewsToRest(m.ewsId) : m.immutableId;
      return { sourceId, targetId };
    });
    return jsonResponse(200, {
      "@odata.context": `${this.env.origin()}/v1.0/$metadata#Collection(microsoft.graph.convertIdResult)`,
      value,
    });
  }
}
