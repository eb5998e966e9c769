// The save's steps before anything is written: "already saved?" and the reads of the message.
import { assertConsent } from "../../core/consent/consent.js";
import { SeptError, toSeptError } from "../../core/errors.js";
import { officeMetadata, withMimeFacts } from "../../core/message-metadata.js";
import {
  indexEntryFor,
  isSameMessage,
  legacySavedIdFor,
  savedIdFor,
  type IndexEntry,
  type MessageIdentity,
} from "../../core/stored-email.js";
import { indexFor } from "./completion.js";
import { itemClassProtection, protectionRefusal, scanMime } from "./mime.js";
import { mimeFacts } from "./mime-headers.js";
import type { SaveRun } from "./save-run.js";
import {
  MAX_MESSAGE_BYTES,
  purposesFor,
  type ReadAhead,
  type SaveEmailDeps,
  type SaveEmailRequest,
  type SaveEmailResult,
} from "./save-request.js";
import type { SaveState } from "./save-steps.js";

/** The identity Office gave (Message-ID, sender, subject), else null. */
function officeIdentityOf(request: SaveEmailRequest): MessageIdentity | null {
  return request.internetMessageId
    ? {
        internetMessageId: request.internetMessageId,
        immutableId: "",
        from: request.from ?? null,
        subject: request.subject ?? "",
      }
    : null;
}

/** Step: Office gave the identity (Message-ID, sender, subject): "already saved" needs no read. */
export async function lookUpFromOffice(
  run: SaveRun,
  state: SaveState,
): Promise<SaveEmailResult | null> {
  const { request } = run;
  run.progress("checking");
  run.step();
  // The date names the shard to look in; without it the look-up waits for the metadata.
  state.officeIdentity = request.receivedDateTime === undefined ? null : officeIdentityOf(request);
  state.hinted =
    state.officeIdentity && request.subject !== undefined
      ? await savedIdFor(state.officeIdentity, request.projectId)
      : null;
  if (!state.officeIdentity) return null;
  return indexed(run, state.hinted, state.officeIdentity, request.receivedDateTime ?? null);
}

/**
 * Starts reading the open message's MIME while the consent guard reads the ledger (saveEmail),
 * when it will be needed: content asked for, consent granted as far as this pane knows, Office's
 * identity says the message is not saved yet (this pane's index, read once and shared with the
 * save). Nothing is written before the guard's read admits the message; a refusal drops the read.
 */
export function startReadAhead(
  deps: SaveEmailDeps,
  request: SaveEmailRequest,
  signal?: AbortSignal,
): ReadAhead | null {
  const identity = officeIdentityOf(request);
  if (!identity || !mayReadAhead(deps, request)) return null;
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal?.addEventListener("abort", stop, { once: true });
  if (signal?.aborted) stop();
  const mime = (async () => {
    const savedId = await savedIdFor(identity, request.projectId);
    const legacyId = await legacySavedIdFor(identity, request.projectId);
    // The month's shard, as the save's own look-up reads it (this pane's copy when it holds one).
    const ids = [savedId, legacyId].filter((id): id is string => id !== null);
    const records = await indexFor(deps).find(request.receivedDateTime ?? null, ids);
    if (entryFor(records.map(indexEntryFor), savedId, legacyId, identity)) return null;
    if (controller.signal.aborted) return null;
    const maxBytes = deps.maxMessageBytes ?? MAX_MESSAGE_BYTES;
    return deps.mail.getMime(request.restId, { signal: controller.signal, maxBytes });
  })();
  mime.catch(() => undefined);
  return {
    mime,
    abort: () => {
      signal?.removeEventListener("abort", stop);
      controller.abort();
    },
  };
}

/**
 * Whether a save may read the MIME beside its consent check: content is asked for, Office or a
 * Graph list gave the identity (so "already saved" is known first), and this pane holds a grant.
 */
export function mayReadAhead(deps: SaveEmailDeps, request: SaveEmailRequest): boolean {
  if (
    !request.includeContent ||
    !request.internetMessageId ||
    request.subject === undefined ||
    // Without the date, "already saved" can't name the shard before the metadata is read.
    request.receivedDateTime === undefined
  ) {
    return false;
  }
  try {
    assertConsent(deps.consent.current(), purposesFor(true));
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the MIME through the mail source, waiting at the consent gate when Graph reads it; or
 * takes what the read started by saveEmail brought (that read writes nothing: the upload waits
 * for the admission). A read-ahead that failed for a reason worth retrying is read again here.
 */
async function readMime(run: SaveRun, state: SaveState): Promise<Uint8Array> {
  const ahead = run.options.readAhead;
  if (ahead) {
    // The message's admission (a ledger read, unless the guard's served) beside the read; a
    // refusal drops the read.
    const admission = run.retrying(async () => undefined, state.viaGraph);
    admission.catch(() => ahead.abort());
    let mime: Uint8Array | null = null;
    let failure: SeptError | null = null;
    try {
      mime = await ahead.mime;
    } catch (error) {
      failure = toSeptError(error);
    }
    await admission;
    run.step();
    if (mime) return mime;
    if (failure && !failure.retryable) throw failure;
  }
  const maxBytes = run.deps.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  return run.retrying(
    () => run.deps.mail.getMime(run.request.restId, { signal: run.stop, maxBytes }),
    state.viaGraph,
  );
}

/** Step: the message's metadata and saved id; told by Office it is new, its MIME read at once. */
export async function readMetadata(run: SaveRun, state: SaveState): Promise<null> {
  const { deps, request } = run;
  run.progress("reading");
  // A read through Office.js sends nothing: only a Graph read waits at the consent gate.
  state.viaGraph = !(deps.mail.readsLocally?.(request.restId) ?? false);
  // IPM.Note.SMIME is encrypted or opaque-signed: only the MIME tells, so it is read (and, for
  // a details-only save, dropped once classified: never stored).
  const classify = itemClassProtection(request.officeItem?.itemClass) === "smime_unknown";
  state.needMime = request.includeContent || classify;
  // Told by Office that the message is not saved yet: read metadata and content at once.
  const early = state.officeIdentity && state.needMime ? readMime(run, state) : null;
  early?.catch(() => undefined);
  state.early = early;
  // Office.js answered the open message's metadata already: no Graph read (message-metadata.ts).
  const fromOffice =
    !request.metadata && request.officeMessage
      ? officeMetadata(request.officeMessage, request.restId)
      : null;
  // Metadata from Office.js (here, or the Mailbox 1.14 host's mail source): the MIME completes it.
  state.officeMetadata = fromOffice !== null || (!request.metadata && !state.viaGraph);
  try {
    state.metadata =
      request.metadata ??
      fromOffice ??
      (await run.retrying(() => deps.mail.getMetadata(request.restId, run.stop), state.viaGraph));
  } catch (error) {
    if (early) await early.catch(() => undefined);
    throw error;
  }
  if (state.metadata.isDraft) throw new SeptError("compose_mode");
  state.savedId = await savedIdFor(state.metadata, request.projectId);
  return null;
}

/** Step: "already saved" under the metadata's saved id, when Office's look-up did not ask it. */
export async function lookUp(run: SaveRun, state: SaveState): Promise<SaveEmailResult | null> {
  const { savedId, metadata } = identified(state);
  if (savedId === state.hinted && run.request.receivedDateTime === metadata.receivedDateTime) {
    return null;
  }
  const known = await indexed(run, savedId, metadata, metadata.receivedDateTime);
  if (known) await state.early?.catch(() => undefined);
  return known;
}

/** Step: the MIME when needed; empty or protected content is refused, a classified one dropped. */
export async function readContent(run: SaveRun, state: SaveState): Promise<null> {
  if (!state.needMime) return null;
  const mime = await (state.early ?? readMime(run, state));
  run.step();
  if (mime.byteLength === 0) {
    throw new SeptError("bad_request", { message: "The message has no MIME content." });
  }
  const { protection, declaresAttachment } = scanMime(mime);
  if (protection === "encrypted" || protection === "irm") {
    throw protectionRefusal(protection, "mime");
  }
  // What Office.js does not say (the sent time), the MIME downloaded anyway does.
  if (state.officeMetadata && state.metadata) {
    state.metadata = withMimeFacts(state.metadata, { ...mimeFacts(mime), declaresAttachment });
  }
  state.mime = run.request.includeContent ? mime : null;
  return null;
}

/** The metadata and saved id, which every step after readMetadata has. */
export function identified(state: SaveState) {
  if (!state.metadata || state.savedId === null) {
    throw new SeptError("unknown", { message: "A save step ran before the message was read." });
  }
  return { metadata: state.metadata, savedId: state.savedId };
}

/**
 * "already_saved" when the shard of the message's month holds it (one small read, none when this
 * pane holds that shard): under its saved id, or under the first scheme's id (Message-ID and
 * project only) when that record is this very message and not another one sharing its Message-ID.
 */
async function indexed(
  run: SaveRun,
  savedId: string | null,
  identity: MessageIdentity,
  receivedDateTime: string | null,
): Promise<SaveEmailResult | null> {
  const legacyId = await legacySavedIdFor(identity, run.request.projectId);
  const ids = [savedId, legacyId].filter((id): id is string => id !== null);
  const records = await run.retrying(() => run.index.find(receivedDateTime, ids, run.stop));
  const entry = entryFor(records.map(indexEntryFor), savedId, legacyId, identity);
  return entry ? { status: "already_saved", savedId: entry.savedId, entry } : null;
}

/** The index entry of this message under its saved id, or under the first scheme's id. */
function entryFor(
  entries: IndexEntry[],
  savedId: string | null,
  legacyId: string | null,
  identity: MessageIdentity,
): IndexEntry | undefined {
  return (
    (savedId !== null ? entries.find((e) => e.savedId === savedId) : undefined) ??
    entries.find((e) => e.savedId === legacyId && isSameMessage(e, identity))
  );
}
