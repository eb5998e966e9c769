// The save's writing steps: reservation, content, the record into its shard (the commit point:
// record and index entry in one write), completion.
import { SeptError } from "../../core/errors.js";
import {
  indexEntryFor,
  sha256Hex,
  type SaveReservation,
  type StoredEmailRecord,
} from "../../core/stored-email.js";
import { contentPath, RECORDS_DIR, reservationPath } from "../storage/layout.js";
import { completeSave } from "./completion.js";
import { identified } from "./read-steps.js";
import type { SaveRun } from "./save-run.js";
import { RESERVE_ABOVE_BYTES, type SaveEmailResult } from "./save-request.js";
import type { SaveState } from "./save-steps.js";

const isCode = (error: unknown, ...codes: string[]): boolean =>
  error instanceof SeptError && codes.includes(error.code);

/** Step: the save's time and content descriptor; a reservation for content above 4 MB. */
export async function reserve(run: SaveRun, state: SaveState): Promise<null> {
  const { savedId } = identified(state);
  const mime = state.mime;
  state.savedAt = run.now().toISOString();
  state.content = { stored: false };
  if (!mime) return null;
  const path = contentPath(savedId);
  // The hash goes into the record: worked out beside the upload, not before it.
  const sha256 = sha256Hex(mime);
  sha256.catch(() => undefined);
  state.content = { stored: true, path, sizeBytes: mime.byteLength, sha256 };
  if (mime.byteLength <= RESERVE_ABOVE_BYTES) return null;
  const reservation: SaveReservation = {
    schema: 1,
    savedId,
    projectId: run.request.projectId,
    startedAt: state.savedAt,
    // The record goes into its month's shard; reconcile asks the shards, not this path.
    recordPath: RECORDS_DIR,
    contentPath: path,
    sizeBytes: mime.byteLength,
  };
  await run.retrying(() => {
    run.wroteReservation = true;
    return run.deps.storage.writeJson(reservationPath(savedId), reservation, {
      conflict: "replace",
      signal: run.stop,
    });
  });
  return null;
}

/**
 * Step: uploads the content. First with conflict "fail": content of a save that committed (its
 * record exists) is never overwritten; then the record decides. A record means the message is
 * saved already, and the record write that follows says so; no record means a leftover of a
 * save that failed (or this run's own retried upload), which is replaced.
 */
export async function upload(run: SaveRun, state: SaveState): Promise<null> {
  const { savedId, metadata } = identified(state);
  const mime = state.mime;
  if (!mime) return null;
  const storage = run.deps.storage;
  const total = mime.byteLength;
  const write = (conflict: "fail" | "replace") =>
    storage.write(contentPath(savedId), mime, {
      conflict,
      signal: run.stop,
      onProgress: (sent) => run.progress("uploading", sent, total),
      // Each fragment of a large upload waits for a fresh read of the ledger.
      beforeChunk: () => run.deps.consent.recheck(run.ticket, run.needed, run.stop),
    });
  run.progress("uploading", 0, total);
  try {
    run.uploadedETag = (await run.retrying(() => write("fail"), true)).eTag;
    return null;
  } catch (error) {
    if (!isCode(error, "conflict")) throw error;
  }
  const stored = await run.retrying(() =>
    run.index.find(metadata.receivedDateTime, [savedId], run.stop, true),
  );
  if (stored.length > 0) return null;
  run.uploadedETag = (await run.retrying(() => write("replace"), true)).eTag;
  return null;
}

/** Step: writes the record (the commit point); from here on nothing undoes the save. */
export async function commit(run: SaveRun, state: SaveState): Promise<null> {
  const { savedId, metadata } = identified(state);
  const { request, ticket } = run;
  const record: StoredEmailRecord = {
    schema: 1,
    savedId,
    projectId: request.projectId,
    savedAt: state.savedAt,
    consentGrantId: ticket.grant.id,
    purposes: run.needed,
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
    content: state.content.stored
      ? { ...state.content, sha256: await state.content.sha256 }
      : state.content,
  };
  state.record = record;
  const size = record.content.stored ? record.content.sizeBytes : 0;
  run.progress("recording", size, size);
  state.committed = await commitRecord(run, record);
  // Its last request carrying email data is done: the next message may pass the gate.
  run.leaveGate();
  // From here on the save is complete: nothing below undoes it.
  state.reserved = run.wroteReservation;
  run.uploadedETag = null;
  run.wroteReservation = false;
  return null;
}

/** Step: the event, the index entry and the reservation of the committed save; then the result. */
export async function complete(run: SaveRun, state: SaveState): Promise<SaveEmailResult> {
  const { record, committed } = state;
  if (!record || !committed) {
    throw new SeptError("unknown", { message: "A save completed before its commit." });
  }
  const { eventLogged } = await completeSave(run.deps, committed.record, {
    reserved: state.reserved,
    fresh: committed.mine,
    retry: (task) => run.retryCommitted(task),
    ...(run.options.logSaved ? { log: run.options.logSaved } : {}),
  });
  const size = record.content.stored ? record.content.sizeBytes : 0;
  run.progress("done", size, size);
  // Another pane's save logs its own event (this run's look-up only helped it along).
  return committed.mine
    ? {
        status: "saved",
        savedId: record.savedId,
        record: committed.record,
        ...(eventLogged ? {} : { eventPending: true as const }),
      }
    : { status: "already_saved", savedId: record.savedId, entry: indexEntryFor(committed.record) };
}

/**
 * Adds the record to its shard unless its saved id is there: then the record there is ours (a
 * retried write that had landed) or another pane's save of the same message to the same project.
 */
async function commitRecord(
  run: SaveRun,
  record: StoredEmailRecord,
): Promise<{ record: StoredEmailRecord; mine: boolean }> {
  const { storage } = run.deps;
  // The record alone: its `email_saved` event follows in completeSave, so an event never exists
  // without its record (the log's head decides the event's place in the chain). Once admitted
  // past the consent gate, the commit is the one write on the wire: a withdrawal must not cut it
  // off half-known (the record may land with no save result).
  const signal = run.options.signal;
  let attempts = 0;
  const committed = await run.retrying(
    () => run.index.commit(record, signal, { firstAttempt: attempts++ === 0 }),
    true,
  );
  // Another pane's metadata-only save won: the content this run uploaded belongs to nobody.
  if (!committed.mine && !committed.record.content.stored && run.uploadedETag) {
    await storage
      .remove(contentPath(record.savedId), { ifMatch: run.uploadedETag })
      .catch(() => undefined);
  }
  return committed;
}
