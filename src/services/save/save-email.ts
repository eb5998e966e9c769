import { compactTimestamp, type ActivityEvent } from "../../core/activity/activity.js";
import type { Purpose } from "../../core/consent/consent.js";
import { SeptError, toSeptError } from "../../core/errors.js";
import type { ActivityLogPort } from "../../core/ports/activity-log.js";
import type { MailSourcePort, MessageMetadata } from "../../core/ports/mail-source.js";
import type { StoragePort } from "../../core/ports/storage.js";
import {
  indexEntryFor,
  isSameMessage,
  legacySavedIdFor,
  parseStoredEmailRecord,
  savedIdFor,
  sha256Hex,
  type MessageIdentity,
  type IndexEntry,
  type SaveReservation,
  type StoredEmailRecord,
} from "../../core/stored-email.js";
import type { ConsentService, ConsentTicket, MessagePass } from "../consent/consent-service.js";
import { createEmailIndexes, type EmailIndex, type EmailIndexes } from "../storage/email-index.js";
import { contentPath, recordPath, reservationPath } from "../storage/layout.js";
import { delay as sleep } from "../../core/delay.js";
import { itemClassProtection, mimeProtection, protectionRefusal } from "./mime.js";
import { retryStep, stepRetryPolicy } from "./step-retry.js";

/** Outlook refuses bigger messages anyway; above this the save stops before downloading the body. */
export const MAX_MESSAGE_BYTES = 150 * 1024 * 1024;
/**
 * Above Graph's simple-upload limit the content goes up in an upload session (many requests,
 * seconds): such a save first writes a reservation so a crash mid-way is found and repaired. A
 * smaller save has one content PUT, and reconcile finds its only possible leftover (an .eml with
 * no record) from the listing it makes anyway, so it skips the two extra requests.
 */
export const RESERVE_ABOVE_BYTES = 4 * 1024 * 1024;

/**
 * One `email_saved` event per save act: the saved id names the email, the record's `savedAt` the
 * act, so a retried or reconciled step of one save logs it once, while the same message saved
 * again after a delete or purge (a new record, a new `savedAt`) logs a save of its own.
 */
export const savedEventId = (savedId: string, savedAt: string): string =>
  `saved-${savedId}-${compactTimestamp(savedAt).replace(/[^A-Za-z0-9]/g, "")}`;

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
  /** The message's metadata as a Graph list already read it: then it is not read again. */
  metadata?: MessageMetadata;
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
}

export type SaveEmailResult =
  | { status: "saved"; savedId: string; record: StoredEmailRecord }
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

/**
 * Saves one email as an explicit sequence of steps:
 *
 * 1. guard: the message takes its place at the consent gate and consent is re-read from the
 *    ledger before anything moves (then re-checked locally, no request, before every later step,
 *    so a withdrawal in this pane stops the save at the next step);
 * 2. check: already in the index → "already_saved" (from Office's internetMessageId without
 *    reading the message when given);
 * 3. read metadata (immutable id), and the MIME only when content is consented and asked for;
 * 4. reserve (`pending/{savedId}.json`, only for content above 4 MB);
 * 5. upload `emails/{savedId}.eml` (conflict "fail", then "replace" when no record owns the
 *    name: content of a committed save is never overwritten, a leftover is);
 * 6. write the record `emails/{savedId}.json` (conflict "fail"): the commit point;
 * 7. log one `email_saved` event, id `saved-{savedId}` (idempotent): sealed before 6 and written
 *    in the same $batch, after the record landed (dependsOn), else written on its own;
 * 8. update the index (If-Match), 9. drop the reservation.
 *
 * Before 6 a failure removes what this save wrote; after 6 the save is complete and steps 7-9
 * are retried, and if they still fail, reconcile finishes them on the next start (the save
 * still reports the failure: it is visible only once the index lists it).
 */
export async function saveEmail(
  deps: SaveEmailDeps,
  request: SaveEmailRequest,
  options?: AbortSignal | SaveEmailOptions,
): Promise<SaveEmailResult> {
  const opts = options instanceof AbortSignal ? { signal: options } : (options ?? {});
  const refusal = officeRefusal(request);
  if (refusal) throw refusal;
  const needed = purposesFor(request.includeContent);
  // What needs no request is refused before waiting for a place at the gate.
  deps.consent.refuseAtOnce(needed);
  // The place first: the guard's ledger read then admits the message too (one read, not two).
  const pass = await deps.consent.awaitTurn(opts.signal);
  let ticket: ConsentTicket;
  try {
    ticket = await guardConsent(deps, needed, opts.signal);
  } catch (error) {
    pass.release();
    throw error;
  }
  return saveWithTicket(deps, request, ticket, opts, pass);
}

/**
 * The consent guard (one ledger read), read again after a dropped connection or throttling
 * that outlasted the client's retries: a refusal is final, a failed read is not.
 */
export async function guardConsent(
  deps: Pick<SaveEmailDeps, "consent" | "stepRetry">,
  needed: Purpose[],
  signal?: AbortSignal,
): Promise<ConsentTicket> {
  return retryStep(
    () => deps.consent.guard(needed, signal),
    stepRetryPolicy(deps.stepRetry),
    signal,
  );
}

/**
 * The save under a consent ticket already obtained (bulk save guards once per batch): the message
 * is admitted at the consent gate (a fresh ledger read) before its first request carrying email
 * data, and consent is still checked locally before every step. `pass`: the message's place at
 * the gate, taken before the ticket's guard (a single save); released here in every case.
 */
export async function saveWithTicket(
  deps: SaveEmailDeps,
  request: SaveEmailRequest,
  ticket: ConsentTicket,
  options: SaveEmailOptions = {},
  pass?: MessagePass,
): Promise<SaveEmailResult> {
  const refusal = officeRefusal(request);
  if (refusal) {
    pass?.release();
    throw refusal;
  }
  const run = new SaveRun(deps, request, ticket, options, pass);
  try {
    return await run.run();
  } catch (error) {
    // A request cut short by a withdrawal reports the withdrawal, not a bare cancellation.
    if (ticket.signal.aborted) throw ticket.signal.reason;
    throw toSeptError(error);
  } finally {
    run.release();
  }
}

/**
 * The indexes of storages whose callers hold none (a save or a reconcile given only a storage):
 * one per storage, so that they share its copy, its eTag and its queue of writes.
 */
export const sharedIndexes: EmailIndexes = createEmailIndexes();

/** The caller's index, else the shared one of its storage. */
export function indexFor(deps: { storage: StoragePort; index?: EmailIndex }): EmailIndex {
  return deps.index ?? sharedIndexes.of(deps.storage);
}

const isCode = (error: unknown, ...codes: string[]): boolean =>
  error instanceof SeptError && codes.includes(error.code);

/** The `email_saved` event of a record: everything in it follows from the record, never content. */
export function savedEvent(record: StoredEmailRecord): ActivityEvent {
  return {
    id: savedEventId(record.savedId, record.savedAt),
    at: record.savedAt,
    kind: "email_saved",
    outcome: "success",
    refs: { savedId: record.savedId, consentRecordId: record.consentGrantId },
    projectId: record.projectId,
    ...(record.content.stored ? { sizeBytes: record.content.sizeBytes } : {}),
    details: { purposes: record.purposes },
  };
}

/** One save in progress: its signals, its retry policy, and what it has written so far. */
class SaveRun {
  private readonly needed: Purpose[];
  private readonly index: EmailIndex;
  private readonly stop: AbortSignal;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly now: () => Date;
  /**
   * What this run wrote before its record, removed again if it fails before the record: the
   * content by the eTag it was written at (so content another pane wrote since is never removed;
   * an upload whose outcome is unknown is left to reconcile).
   */
  private uploadedETag: string | null = null;
  private wroteReservation = false;
  /** This message's admission at the consent gate, asked for by its first email-data step. */
  private admission: Promise<MessagePass> | null = null;

  constructor(
    private readonly deps: SaveEmailDeps,
    private readonly request: SaveEmailRequest,
    private readonly ticket: ConsentTicket,
    private readonly options: SaveEmailOptions,
    /** A place at the gate taken before the guard; else the first email-data step takes one. */
    private readonly pass?: MessagePass,
  ) {
    this.needed = purposesFor(request.includeContent);
    this.index = indexFor(deps);
    this.now = deps.now ?? (() => new Date());
    this.retries = deps.stepRetry?.retries ?? 2;
    this.retryDelayMs = deps.stepRetry?.delayMs ?? 250;
    // Requests get a plain abort: the reason (a withdrawal or the caller) is reported by the save.
    const transport = new AbortController();
    const sources = options.signal ? [options.signal, ticket.signal] : [ticket.signal];
    const abort = () => transport.abort();
    for (const source of sources) source.addEventListener("abort", abort, { once: true });
    if (sources.some((s) => s.aborted)) transport.abort();
    this.stop = transport.signal;
    // The withdrawal signal lives as long as the grant: a finished save must let go of it.
    this.release = () => {
      for (const source of sources) source.removeEventListener("abort", abort);
      this.leaveGate();
    };
  }

  readonly release: () => void;

  /**
   * Once per message: its place at the consent gate and a ledger read that admits it. Concurrent
   * steps (metadata and MIME read at once) share it; a failed admission is asked for again.
   */
  private admitted(): Promise<MessagePass> {
    if (this.admission) return this.admission;
    const admission = this.deps.consent.admitMessage(
      this.ticket,
      this.needed,
      this.stop,
      this.pass,
    );
    this.admission = admission;
    admission.catch(() => {
      if (this.admission === admission) this.admission = null;
    });
    return admission;
  }

  /** After the message's last request carrying email data: the next message may be admitted. */
  private leaveGate(): void {
    this.pass?.release();
    void this.admission?.then(
      (pass) => pass.release(),
      () => undefined,
    );
  }

  private progress(phase: SavePhase, sent = 0, total = 0): void {
    this.options.onProgress?.({ phase, sent, total });
  }

  /** Before every step: consent still covers the save (no request) and nobody cancelled. */
  private step(): void {
    this.deps.consent.check(this.ticket, this.needed);
    if (this.stop.aborted) {
      const reason: unknown = this.options.signal?.reason;
      throw reason instanceof SeptError ? reason : new SeptError("cancelled", { cause: reason });
    }
  }

  /**
   * Runs a step, again after a retryable failure (the Graph client has retried first). The
   * message's first step that carries email data waits for its admission at the consent gate (a
   * fresh read of the ledger), so a withdrawal from another window stops the message before it
   * moves anything; its later steps (and retries) go on that admission after the local check.
   */
  private async retrying<T>(task: () => Promise<T>, emailData = false): Promise<T> {
    for (let failures = 0; ; failures++) {
      this.step();
      try {
        if (emailData) {
          await this.admitted();
          this.step();
        }
        return await task();
      } catch (error) {
        const septError = toSeptError(error);
        if (!septError.retryable || failures >= this.retries || this.stop.aborted) throw septError;
        const delay = this.retryDelayMs * 2 ** failures * (0.5 + Math.random());
        await sleep(delay, this.stop);
      }
    }
  }

  async run(): Promise<SaveEmailResult> {
    const { deps, request } = this;
    this.progress("checking");
    this.step();
    const officeIdentity: MessageIdentity | null = request.internetMessageId
      ? {
          internetMessageId: request.internetMessageId,
          immutableId: "",
          from: request.from ?? null,
          subject: request.subject ?? "",
        }
      : null;
    // Office gave the identity (Message-ID, sender, subject): "already saved" needs no read.
    const hinted =
      officeIdentity && request.subject !== undefined
        ? await savedIdFor(officeIdentity, request.projectId)
        : null;
    if (officeIdentity) {
      const known = await this.indexed(hinted, officeIdentity);
      if (known) return known;
    }

    this.progress("reading");
    const maxBytes = deps.maxMessageBytes ?? MAX_MESSAGE_BYTES;
    // A read through Office.js sends nothing: only a Graph read waits at the consent gate.
    const viaGraph = !(deps.mail.readsLocally?.(request.restId) ?? false);
    const readMime = () =>
      this.retrying(
        () => deps.mail.getMime(request.restId, { signal: this.stop, maxBytes }),
        viaGraph,
      );
    // IPM.Note.SMIME is encrypted or opaque-signed: only the MIME tells, so it is read (and, for
    // a details-only save, dropped once classified: never stored).
    const classify = itemClassProtection(request.officeItem?.itemClass) === "smime_unknown";
    const needMime = request.includeContent || classify;
    // Told by Office that the message is not saved yet: read metadata and content at once.
    const early = officeIdentity && needMime ? readMime() : null;
    early?.catch(() => undefined);
    let metadata: MessageMetadata;
    try {
      metadata =
        request.metadata ??
        (await this.retrying(() => deps.mail.getMetadata(request.restId, this.stop), viaGraph));
    } catch (error) {
      if (early) await early.catch(() => undefined);
      throw error;
    }
    if (metadata.isDraft) throw new SeptError("compose_mode");
    const savedId = await savedIdFor(metadata, request.projectId);
    if (savedId !== hinted) {
      const known = await this.indexed(savedId, metadata);
      if (known) {
        await early?.catch(() => undefined);
        return known;
      }
    }

    let mime: Uint8Array | null = null;
    if (needMime) {
      mime = await (early ?? readMime());
      this.step();
      if (mime.byteLength === 0) {
        throw new SeptError("bad_request", { message: "The message has no MIME content." });
      }
      const protection = mimeProtection(mime);
      if (protection === "encrypted" || protection === "irm") {
        throw protectionRefusal(protection, "mime");
      }
      if (!request.includeContent) mime = null;
    }

    try {
      return await this.store(savedId, metadata, mime);
    } catch (error) {
      await this.undo(savedId);
      throw error;
    }
  }

  /**
   * "already_saved" when the index (this pane's copy, read once) holds the message: under its
   * saved id, or under the first scheme's id (Message-ID and project only) when that entry is
   * this very message and not another one sharing its Message-ID.
   */
  private async indexed(
    savedId: string | null,
    identity: MessageIdentity,
  ): Promise<SaveEmailResult | null> {
    const legacyId = await legacySavedIdFor(identity, this.request.projectId);
    const entries = await this.retrying(() => this.index.entries(this.stop));
    const entry =
      (savedId !== null ? entries.find((e) => e.savedId === savedId) : undefined) ??
      entries.find((e) => e.savedId === legacyId && isSameMessage(e, identity));
    return entry ? { status: "already_saved", savedId: entry.savedId, entry } : null;
  }

  /** Steps 4-9. Throws only before the record is written (then `undo` removes the rest). */
  private async store(
    savedId: string,
    metadata: MessageMetadata,
    mime: Uint8Array | null,
  ): Promise<SaveEmailResult> {
    const { deps, request } = this;
    const storage = deps.storage;
    const savedAt = this.now().toISOString();
    let content: StoredEmailRecord["content"] = { stored: false };
    if (mime) {
      const path = contentPath(savedId);
      content = { stored: true, path, sizeBytes: mime.byteLength, sha256: await sha256Hex(mime) };
      if (mime.byteLength > RESERVE_ABOVE_BYTES) {
        const reservation: SaveReservation = {
          schema: 1,
          savedId,
          projectId: request.projectId,
          startedAt: savedAt,
          recordPath: recordPath(savedId),
          contentPath: path,
          sizeBytes: mime.byteLength,
        };
        await this.retrying(() => {
          this.wroteReservation = true;
          return storage.writeJson(reservationPath(savedId), reservation, {
            conflict: "replace",
            signal: this.stop,
          });
        });
      }
      await this.upload(savedId, mime);
    }

    const record: StoredEmailRecord = {
      schema: 1,
      savedId,
      projectId: request.projectId,
      savedAt,
      consentGrantId: this.ticket.grant.id,
      purposes: this.needed,
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
    this.progress(
      "recording",
      content.stored ? content.sizeBytes : 0,
      content.stored ? content.sizeBytes : 0,
    );
    const committed = await this.commitRecord(record);
    // Its last request carrying email data is done: the next message may pass the gate.
    this.leaveGate();
    // From here on the save is complete: nothing below undoes it.
    const reserved = this.wroteReservation;
    this.uploadedETag = null;
    this.wroteReservation = false;
    await completeSave(deps, this.index, committed.record, {
      reserved,
      fresh: committed.mine,
      retry: (task) => this.retryCommitted(task),
    });
    this.progress(
      "done",
      record.content.stored ? record.content.sizeBytes : 0,
      record.content.stored ? record.content.sizeBytes : 0,
    );
    return committed.mine
      ? { status: "saved", savedId, record: committed.record }
      : { status: "already_saved", savedId, entry: indexEntryFor(committed.record) };
  }

  /**
   * Uploads the content. First with conflict "fail": content of a save that committed (its
   * record exists) is never overwritten; then the record decides. A record means the message is
   * saved already, and the record write that follows says so; no record means a leftover of a
   * save that failed (or this run's own retried upload), which is replaced.
   */
  private async upload(savedId: string, mime: Uint8Array): Promise<void> {
    const storage = this.deps.storage;
    const total = mime.byteLength;
    const write = (conflict: "fail" | "replace") =>
      storage.write(contentPath(savedId), mime, {
        conflict,
        signal: this.stop,
        onProgress: (sent) => this.progress("uploading", sent, total),
        // Each fragment of a large upload waits for a fresh read of the ledger.
        beforeChunk: () => this.deps.consent.recheck(this.ticket, this.needed, this.stop),
      });
    this.progress("uploading", 0, total);
    try {
      this.uploadedETag = (await this.retrying(() => write("fail"), true)).eTag;
      return;
    } catch (error) {
      if (!isCode(error, "conflict")) throw error;
    }
    if (await this.retrying(() => storage.stat(recordPath(savedId), this.stop))) return;
    this.uploadedETag = (await this.retrying(() => write("replace"), true)).eTag;
  }

  /**
   * Writes the record, append-only. A name already taken means the record is there: ours (a
   * retried PUT that had landed) or another pane's save of the same message to the same project.
   */
  private async commitRecord(
    record: StoredEmailRecord,
  ): Promise<{ record: StoredEmailRecord; mine: boolean }> {
    const { storage } = this.deps;
    const path = recordPath(record.savedId);
    try {
      // The record alone: its `email_saved` event follows in completeSave, so an event never
      // exists without its record (the log's head decides the event's place in the chain).
      // Once admitted past the consent gate, the commit is the one request on the wire: a
      // withdrawal must not cut it off half-known (the record may land with no save result).
      const signal = this.options.signal;
      await this.retrying(
        () => storage.writeJson(path, record, { conflict: "fail", ...(signal ? { signal } : {}) }),
        true,
      );
      return { record, mine: true };
    } catch (error) {
      if (!isCode(error, "conflict")) throw error;
    }
    const { value } = await this.retrying(() => storage.readJson<unknown>(path, this.stop));
    const existing = parseStoredEmailRecord(value);
    if (!existing) {
      throw new SeptError("conflict", { message: `'${path}' is taken by something unreadable.` });
    }
    const mine =
      existing.savedAt === record.savedAt && existing.consentGrantId === record.consentGrantId;
    // Another pane's metadata-only save won: the content this run uploaded belongs to nobody.
    if (!mine && !existing.content.stored && this.uploadedETag) {
      await storage
        .remove(contentPath(record.savedId), { ifMatch: this.uploadedETag })
        .catch(() => undefined);
    }
    return { record: existing, mine };
  }

  /**
   * Retries after the commit, without consent checks: steps 7-9 move no email data (the event
   * holds ids only), and a withdrawal now must not leave a stored email without its event.
   */
  private retryCommitted<T>(task: () => Promise<T>): Promise<T> {
    return retryStep(task, { retries: this.retries, delayMs: this.retryDelayMs });
  }

  /** Removes what a failed save wrote before its record; whatever stays, reconcile removes. */
  private async undo(savedId: string): Promise<void> {
    const storage = this.deps.storage;
    try {
      if (this.uploadedETag) {
        // Only while it is still what this run wrote (If-Match), and not part of a committed save.
        const record = await storage.stat(recordPath(savedId));
        if (!record) await storage.remove(contentPath(savedId), { ifMatch: this.uploadedETag });
      }
      if (this.wroteReservation) await storage.remove(reservationPath(savedId));
    } catch {
      // Best effort: the failure being reported matters more, and reconcile finishes the job.
    }
  }
}

/**
 * Completes a committed save: the one `email_saved` event (deterministic id), the index entry,
 * and the reservation removed. Every step is idempotent, so reconcile runs the same code.
 */
export async function completeSave(
  deps: { storage: StoragePort; activity: ActivityLogPort },
  index: EmailIndex,
  record: StoredEmailRecord,
  options: {
    retry?: <T>(task: () => Promise<T>) => Promise<T>;
    signal?: AbortSignal;
    /** A reservation was written for this save (else only content above 4 MB has one). */
    reserved?: boolean;
    /**
     * This run has just written the record, so its event cannot be logged yet: appended without
     * the look-up (a reconcile logging it at the same moment is met when its file is written).
     */
    fresh?: boolean;
  } = {},
): Promise<void> {
  const retry = options.retry ?? (<T>(task: () => Promise<T>) => task());
  const event = savedEvent(record);
  // A failed append keeps the event in the log's outbox; a retry of it is looked up, not doubled.
  await retry<unknown>(() =>
    options.fresh ? deps.activity.append(event) : deps.activity.appendIdempotent(event),
  );
  await retry(() => index.apply({ upsert: [indexEntryFor(record)] }, options.signal));
  const large = record.content.stored && record.content.sizeBytes > RESERVE_ABOVE_BYTES;
  if (options.reserved || large) {
    await retry(() =>
      deps.storage.remove(reservationPath(record.savedId), { signal: options.signal }),
    );
  }
}
