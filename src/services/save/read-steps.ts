// The save's steps before anything is written: "already saved?" and the reads of the message.
import { SeptError } from "../../core/errors.js";
import {
  indexEntryFor,
  isSameMessage,
  legacySavedIdFor,
  savedIdFor,
  type MessageIdentity,
} from "../../core/stored-email.js";
import { itemClassProtection, mimeProtection, protectionRefusal } from "./mime.js";
import type { SaveRun } from "./save-run.js";
import { MAX_MESSAGE_BYTES, type SaveEmailResult } from "./save-request.js";
import type { SaveState } from "./save-steps.js";

/** Step: Office gave the identity (Message-ID, sender, subject): "already saved" needs no read. */
export async function lookUpFromOffice(
  run: SaveRun,
  state: SaveState,
): Promise<SaveEmailResult | null> {
  const { request } = run;
  run.progress("checking");
  run.step();
  state.officeIdentity = request.internetMessageId
    ? {
        internetMessageId: request.internetMessageId,
        immutableId: "",
        from: request.from ?? null,
        subject: request.subject ?? "",
      }
    : null;
  // The date names the shard to look in; without it the look-up waits for the metadata.
  if (request.receivedDateTime === undefined) state.officeIdentity = null;
  state.hinted =
    state.officeIdentity && request.subject !== undefined
      ? await savedIdFor(state.officeIdentity, request.projectId)
      : null;
  if (!state.officeIdentity) return null;
  return indexed(run, state.hinted, state.officeIdentity, request.receivedDateTime ?? null);
}

/** Reads the MIME through the mail source, waiting at the consent gate when Graph reads it. */
function readMime(run: SaveRun, state: SaveState): Promise<Uint8Array> {
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
  try {
    state.metadata =
      request.metadata ??
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
  const protection = mimeProtection(mime);
  if (protection === "encrypted" || protection === "irm") {
    throw protectionRefusal(protection, "mime");
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
  const entries = records.map(indexEntryFor);
  const entry =
    (savedId !== null ? entries.find((e) => e.savedId === savedId) : undefined) ??
    entries.find((e) => e.savedId === legacyId && isSameMessage(e, identity));
  return entry ? { status: "already_saved", savedId: entry.savedId, entry } : null;
}
