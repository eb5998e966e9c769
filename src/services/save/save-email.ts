// The save of one email: its entry points (a single save, a save under a batch's ticket) and the
// public API callers and tests import. The sequence of steps is the table in save-steps.ts.
import type { Purpose } from "../../core/consent/consent.js";
import { toSeptError } from "../../core/errors.js";
import type { ConsentTicket, MessagePass } from "../consent/consent-service.js";
import {
  officeRefusal,
  purposesFor,
  type SaveEmailDeps,
  type SaveEmailOptions,
  type SaveEmailRequest,
  type SaveEmailResult,
} from "./save-request.js";
import { mayReadAhead, startReadAhead } from "./read-steps.js";
import { SaveRun } from "./save-run.js";
import { retryStep, stepRetryPolicy } from "./step-retry.js";

export {
  MAX_MESSAGE_BYTES,
  RESERVE_ABOVE_BYTES,
  officeRefusal,
  purposesFor,
  type OfficeItemHints,
  type ReadAhead,
  type SaveEmailDeps,
  type SaveEmailOptions,
  type SaveEmailRequest,
  type SaveEmailResult,
  type SavePhase,
  type SaveProgressEvent,
} from "./save-request.js";
export { completeSave, indexFor, savedEvent, savedEventId, sharedIndexes } from "./completion.js";

/**
 * Saves one email. Office's refusals (no item, a draft, a rights-protected message) and what
 * consent refuses without a request come first; then the message takes its place at the consent
 * gate and the guard re-reads the ledger before anything moves (consent is then re-checked
 * locally, no request, before every later step, so a withdrawal in this pane stops the save at the
 * next step). The steps that follow are SAVE_STEPS (save-steps.ts): look-ups of "already saved",
 * the reads of the message, the reservation (above 4 MB), the content, the record (the commit
 * point), and its completion (event, index entry, reservation dropped).
 *
 * Before the record a failure removes what this save wrote; after it the save is complete (the
 * record is listed) and the completion is retried. If its event still does not land, the save is
 * reported saved with `eventPending`: the event waits in the activity log's outbox, and reconcile
 * logs it on the next start if the device lost it.
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
  // The MIME read overlaps the guard's ledger read; nothing is stored before the guard admits.
  const readAhead = opts.readAhead ?? startReadAhead(deps, request, opts.signal);
  let ticket: ConsentTicket;
  try {
    ticket = await guardConsent(deps, needed, opts.signal);
  } catch (error) {
    readAhead?.abort();
    pass.release();
    throw error;
  }
  try {
    return await saveWithTicket(
      deps,
      request,
      ticket,
      readAhead ? { ...opts, readAhead } : opts,
      pass,
    );
  } finally {
    readAhead?.abort();
  }
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
  // A message of a batch whose MIME will be read takes its place at the gate first, so that its
  // read can go beside its admission's ledger read, one message past the gate at a time.
  let place = pass;
  let readAhead = options.readAhead;
  if (!place && !readAhead && mayReadAhead(deps, request)) {
    place = await deps.consent.awaitTurn(options.signal);
    readAhead = startReadAhead(deps, request, options.signal) ?? undefined;
  }
  const run = new SaveRun(
    deps,
    request,
    ticket,
    readAhead ? { ...options, readAhead } : options,
    place,
  );
  try {
    return await run.run();
  } catch (error) {
    // A request cut short by a withdrawal reports the withdrawal, not a bare cancellation.
    if (ticket.signal.aborted) throw ticket.signal.reason;
    throw toSeptError(error);
  } finally {
    if (readAhead !== options.readAhead) readAhead?.abort();
    run.release();
  }
}
