import type { ActivityEvent } from "../core/activity/activity.js";
import type { Purpose } from "../core/consent/consent.js";
import { SeptError, toSeptError } from "../core/errors.js";
import type { ActivityLogPort } from "../core/ports/activity-log.js";
import type { MailSourcePort } from "../core/ports/mail-source.js";
import type { StoragePort } from "../core/ports/storage.js";
import { savedIdFor, sha256Hex, type StoredEmailRecord } from "../core/stored-email.js";
import type { ConsentService, ConsentTicket } from "./consent-service.js";
import { EMAILS_DIR } from "./storage-layout.js";

export interface SaveEmailDeps {
  consent: ConsentService;
  mail: MailSourcePort;
  storage: StoragePort;
  activity: ActivityLogPort;
  now?: () => Date;
  newId?: () => string;
}

export interface SaveEmailRequest {
  /** The message's REST id (Office's item id after convertToRestId). */
  restId: string;
  projectId: string;
  includeContent: boolean;
}

export type SaveEmailResult =
  | { status: "saved"; savedId: string; record: StoredEmailRecord }
  | { status: "already_saved"; savedId: string };

/**
 * Saves one email. Consent is checked against the ledger before the first request that carries
 * email data, and again (locally, no request) before every later step, so a withdrawal stops the
 * save before it writes anything more.
 */
export async function saveEmail(
  deps: SaveEmailDeps,
  request: SaveEmailRequest,
  signal?: AbortSignal,
): Promise<SaveEmailResult> {
  const ticket = await deps.consent.guard(
    request.includeContent ? ["email_metadata", "email_content"] : ["email_metadata"],
    signal,
  );
  try {
    return await saveUnderConsent(deps, request, ticket, signal);
  } catch (error) {
    // A request cut short by a withdrawal reports the withdrawal, not a bare cancellation.
    if (ticket.signal.aborted) throw ticket.signal.reason;
    throw error;
  }
}

async function saveUnderConsent(
  deps: SaveEmailDeps,
  request: SaveEmailRequest,
  ticket: ConsentTicket,
  signal?: AbortSignal,
): Promise<SaveEmailResult> {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const needed: Purpose[] = request.includeContent
    ? ["email_metadata", "email_content"]
    : ["email_metadata"];
  // Requests get a plain abort: the reason (a withdrawal or the caller) is reported by this use case.
  const transport = new AbortController();
  const sources = signal ? [signal, ticket.signal] : [ticket.signal];
  const stopTransport = () => transport.abort();
  for (const source of sources) source.addEventListener("abort", stopTransport, { once: true });
  if (sources.some((s) => s.aborted)) transport.abort();
  const stop = transport.signal;
  const step = () => {
    deps.consent.check(ticket, needed);
    if (stop.aborted) throw toSeptError(signal?.reason ?? new SeptError("cancelled"));
  };

  step();
  const metadata = await deps.mail.getMetadata(request.restId, stop);
  if (metadata.isDraft) throw new SeptError("compose_mode");
  const savedId = await savedIdFor(metadata, request.projectId);
  const recordPath = `${EMAILS_DIR}/${savedId}.json`;
  if (await deps.storage.stat(recordPath, stop)) return { status: "already_saved", savedId };

  let content: StoredEmailRecord["content"] = { stored: false };
  if (request.includeContent) {
    step();
    const mime = await deps.mail.getMime(request.restId, stop);
    step();
    const path = `${EMAILS_DIR}/${savedId}.eml`;
    await deps.storage.write(path, mime, { conflict: "replace", signal: stop });
    content = { stored: true, path, sizeBytes: mime.byteLength, sha256: await sha256Hex(mime) };
  }

  const record: StoredEmailRecord = {
    schema: 1,
    savedId,
    projectId: request.projectId,
    savedAt: now().toISOString(),
    consentGrantId: ticket.grant.id,
    purposes: needed,
    message: {
      immutableId: metadata.immutableId,
      internetMessageId: metadata.internetMessageId,
      conversationId: metadata.conversationId,
      subject: metadata.subject,
      from: metadata.from,
      to: metadata.to,
      cc: metadata.cc,
      receivedDateTime: metadata.receivedDateTime,
      sentDateTime: metadata.sentDateTime,
      hasAttachments: metadata.hasAttachments,
    },
    content,
  };
  step();
  await deps.storage.writeJson(recordPath, record, { conflict: "fail", signal: stop });
  const event: ActivityEvent = {
    id: newId(),
    at: record.savedAt,
    kind: "email_saved",
    outcome: "success",
    refs: { savedId, consentRecordId: ticket.grant.id },
    projectId: request.projectId,
    ...(content.stored ? { sizeBytes: content.sizeBytes } : {}),
    details: { purposes: needed },
  };
  await deps.activity.append(event);
  return { status: "saved", savedId, record };
}
