// One save in progress: its signals, its consent checks and admission at the gate, its retries,
// what it wrote before its record; `run` walks the steps of SAVE_STEPS (save-steps.ts).
import type { Purpose } from "../../core/consent/consent.js";
import { SeptError, toSeptError } from "../../core/errors.js";
import type { ConsentTicket, MessagePass } from "../consent/consent-service.js";
import type { EmailIndex } from "../storage/email-index.js";
import { contentPath, reservationPath } from "../storage/layout.js";
import { indexFor } from "./completion.js";
import {
  purposesFor,
  type SaveEmailDeps,
  type SaveEmailOptions,
  type SaveEmailRequest,
  type SaveEmailResult,
  type SavePhase,
} from "./save-request.js";
import { FIRST_STEP, SAVE_STEPS, newSaveState, type SaveStepName } from "./save-steps.js";
import { retryStep, stepRetryPolicy, type StepRetryPolicy } from "./step-retry.js";

export class SaveRun {
  readonly needed: Purpose[];
  readonly index: EmailIndex;
  /** Aborted by the caller or by a withdrawal; requests get this plain abort. */
  readonly stop: AbortSignal;
  readonly retry: StepRetryPolicy;
  readonly now: () => Date;
  /**
   * What this run wrote before its record, removed again if it fails before the record: the
   * content by the eTag it was written at (so content another pane wrote since is never removed;
   * an upload whose outcome is unknown is left to reconcile).
   */
  uploadedETag: string | null = null;
  wroteReservation = false;
  /** This message's admission at the consent gate, asked for by its first email-data step. */
  private admission: Promise<MessagePass> | null = null;

  constructor(
    readonly deps: SaveEmailDeps,
    readonly request: SaveEmailRequest,
    readonly ticket: ConsentTicket,
    readonly options: SaveEmailOptions,
    /** A place at the gate taken before the guard; else the first email-data step takes one. */
    private readonly pass?: MessagePass,
  ) {
    this.needed = purposesFor(request.includeContent);
    this.index = indexFor(deps);
    this.now = deps.now ?? (() => new Date());
    this.retry = stepRetryPolicy(deps.stepRetry);
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
   * Walks SAVE_STEPS from FIRST_STEP: each step's success leads to its `next`, a step that finds
   * the message saved already ends the save, and a failure is reported after the step's
   * `onFailure` (removing what this save wrote before its record, when it says "undo").
   */
  async run(): Promise<SaveEmailResult> {
    const state = newSaveState();
    let name: SaveStepName = FIRST_STEP;
    for (;;) {
      const step = SAVE_STEPS[name];
      let result: SaveEmailResult | null;
      try {
        result = await step.does(this, state);
      } catch (error) {
        if (step.onFailure === "undo" && state.savedId !== null) {
          await this.undo(state.savedId, state.metadata?.receivedDateTime ?? null);
        }
        throw error;
      }
      if (result) return result;
      if (step.next === "done") {
        throw new SeptError("unknown", {
          message: `The save's last step '${name}' gave no result.`,
        });
      }
      name = step.next;
    }
  }

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
  leaveGate(): void {
    this.pass?.release();
    void this.admission?.then(
      (pass) => pass.release(),
      () => undefined,
    );
  }

  progress(phase: SavePhase, sent = 0, total = 0): void {
    this.options.onProgress?.({ phase, sent, total });
  }

  /** Before every step: consent still covers the save (no request) and nobody cancelled. */
  step(): void {
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
   * A save that was stopped reports its failure as it came, without waiting to retry.
   */
  retrying<T>(task: () => Promise<T>, emailData = false): Promise<T> {
    // The check before an attempt is final when it fails: consent or the caller stopped the save.
    let checkFailed = false;
    const attempt = async (): Promise<T> => {
      try {
        this.step();
      } catch (error) {
        checkFailed = true;
        throw error;
      }
      try {
        if (emailData) {
          await this.admitted();
          this.step();
        }
        return await task();
      } catch (error) {
        throw toSeptError(error);
      }
    };
    return retryStep(attempt, this.retry, this.stop, () => checkFailed || this.stop.aborted);
  }

  /**
   * Retries after the commit, without consent checks: the completing steps move no email data
   * (the event holds ids only), and a withdrawal now must not leave a stored email without its event.
   */
  retryCommitted<T>(task: () => Promise<T>): Promise<T> {
    return retryStep(task, this.retry);
  }

  /** Removes what a failed save wrote before its record; whatever stays, reconcile removes. */
  private async undo(savedId: string, receivedDateTime: string | null): Promise<void> {
    const storage = this.deps.storage;
    try {
      if (this.uploadedETag) {
        // Only while it is still what this run wrote (If-Match), and not part of a committed save.
        const record = await this.index.find(receivedDateTime, [savedId], undefined, true);
        if (record.length === 0) {
          await storage.remove(contentPath(savedId), { ifMatch: this.uploadedETag });
        }
      }
      if (this.wroteReservation) await storage.remove(reservationPath(savedId));
    } catch {
      // Best effort: the failure being reported matters more, and reconcile finishes the job.
    }
  }
}
