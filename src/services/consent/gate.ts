// The email-data gate of one pane: places for messages past it, the gate's clock, and the ledger
// listings that admit a message (ConsentService.admitMessage) or a large upload's next fragment.
import { ConsentRequiredError, type ConsentRecord } from "../../core/consent/consent.js";
import { cancelledError } from "../../core/delay.js";

/**
 * Messages of one pane past the consent gate at once: one. A withdrawal recorded elsewhere then
 * lets through at most the one message already admitted (DESIGN: "within one message"), whatever
 * the number of saves running in the pane; the steps of a save that carry no email data (the
 * "already saved" look-up, its event, its index entry) still overlap.
 */
export const MESSAGES_PAST_GATE = 1;

/** A message's place at the consent gate, held until its last request carrying email data. */
export interface MessagePass {
  /** Lets the next message in. Idempotent. */
  release(): void;
}

interface GatePlace extends MessagePass {
  /** The gate's clock when the place was taken: a ledger read started since admits it. */
  readonly tick: number;
}

/** One listing of the ledger: when it started, as the gate counts time. */
interface ListingMark {
  seq: number;
  tick: number;
  /** No message held a place when it started. */
  quiet: boolean;
  /** Messages admitted before it started. */
  admitted: number;
}

/** Throws the withdrawal that aborted a ticket's signal. */
export function throwIfWithdrawn(signal: AbortSignal): void {
  if (signal.aborted) {
    throw signal.reason instanceof ConsentRequiredError
      ? signal.reason
      : new ConsentRequiredError(["email_metadata"], "withdrawn");
  }
}

/**
 * Before the first request that carries a message's email data, the message takes one of the
 * pane's places at the gate (unless it brings one, from `awaitTurn`), the ledger is read after the
 * place was taken, and consent must still cover the save. The message's later requests need only
 * the local check (no request); its place is held until `release`, after its last request
 * carrying email data.
 *
 * The read is one listing, none when one that started after the place was taken has already
 * been applied (the single save's guard, another message's admission), or when the newest one
 * started with no place held and no message admitted since (the bulk save's guard, for its
 * first message: such a read admits one message only). Either way, the messages that still send
 * email data once a withdrawal has landed all held a place together at one moment: at most
 * `MESSAGES_PAST_GATE` of them.
 *
 * Why a listing of the consent folder, not a cheaper tag: OneDrive's driveItem resource says a
 * folder's eTag changes only with the folder's own properties, not when a child is added, and
 * that a folder's cTag is not returned in OneDrive for Business or SharePoint (resources/
 * driveItem.md); delta works only on the root there. A "head" file rewritten on each change
 * would be missed by any writer that does not rewrite it (the privacy office, the tenant job,
 * an older build). The listing is one small request (a few entries, `$select`ed) that sees
 * every record whoever wrote it; only a new record is downloaded.
 */
export class ConsentGate {
  // Places held and waited for, the gate's clock (a tick per place taken and per upload
  // fragment), messages admitted, and the ledger listings (the newest applied, the newest started).
  private placesHeld = 0;
  private readonly waitingForPlace: Array<() => void> = [];
  private tick = 0;
  private admitted = 0;
  private listings = 0;
  private applied: ListingMark | null = null;
  private running: { mark: ListingMark; done: Promise<unknown> } | null = null;

  /** `refresh`: the service's read of the ledger, which runs its listing through `listing`. */
  constructor(private readonly refresh: (signal?: AbortSignal) => Promise<unknown>) {}

  /**
   * Runs one listing of the ledger, marked with the gate's clock. `fresh` is false when a listing
   * that started later was applied already: this one says nothing newer.
   */
  async listing(
    list: () => Promise<ConsentRecord[]>,
  ): Promise<{ listed: ConsentRecord[]; fresh: boolean }> {
    const mark: ListingMark = {
      seq: ++this.listings,
      tick: this.tick,
      quiet: this.placesHeld === 0,
      admitted: this.admitted,
    };
    const done = list();
    this.running = { mark, done };
    let listed: ConsentRecord[];
    try {
      listed = await done;
    } finally {
      if (this.running?.mark === mark) this.running = null;
    }
    if (this.applied && this.applied.seq > mark.seq) return { listed, fresh: false };
    this.applied = mark;
    return { listed, fresh: true };
  }

  /**
   * Admits a message (see the class comment): `withdrawn`, the ticket's signal; `check`, the
   * service's local check of consent, run again once the ledger was read.
   */
  async admit(
    withdrawn: AbortSignal,
    check: () => void,
    signal?: AbortSignal,
    pass?: MessagePass,
  ): Promise<MessagePass> {
    const place = (pass && this.isPlace(pass) ? pass : null) ?? (await this.takePlace(signal));
    try {
      throwIfWithdrawn(withdrawn);
      await this.listedSince(place.tick, true, signal);
      check();
    } catch (error) {
      // A place the caller brought stays the caller's to release.
      if (place !== pass) place.release();
      throw error;
    }
    this.admitted += 1;
    return place;
  }

  /** Between two fragments of a large upload: a ledger read started since the previous one. */
  async recheck(withdrawn: AbortSignal, check: () => void, signal?: AbortSignal): Promise<void> {
    throwIfWithdrawn(withdrawn);
    this.tick += 1;
    await this.listedSince(this.tick, false, signal);
    check();
  }

  private isPlace(pass: MessagePass): pass is GatePlace {
    return typeof (pass as Partial<GatePlace>).tick === "number";
  }

  /** Takes one of the pane's places at the gate, waiting for one to be released. */
  async takePlace(signal?: AbortSignal): Promise<GatePlace> {
    if (signal?.aborted) throw cancelledError(signal.reason);
    if (this.placesHeld < MESSAGES_PAST_GATE) {
      this.placesHeld += 1;
    } else {
      // A released place is handed over as it is: nobody can take it in between.
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const at = this.waitingForPlace.indexOf(wake);
          if (at >= 0) this.waitingForPlace.splice(at, 1);
          reject(cancelledError(signal?.reason));
        };
        this.waitingForPlace.push(wake);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    this.tick += 1;
    let released = false;
    return {
      tick: this.tick,
      release: () => {
        if (released) return;
        released = true;
        const next = this.waitingForPlace.shift();
        if (next) next();
        else this.placesHeld -= 1;
      },
    };
  }

  /**
   * Resolves once a ledger listing that started at `tick` or later has been applied: the newest
   * applied, else the one under way, else a new one. `quietOk`: the newest listing also serves if
   * it started with no place held and no message has been admitted since.
   */
  private async listedSince(tick: number, quietOk: boolean, signal?: AbortSignal): Promise<void> {
    const served = () => {
      const applied = this.applied;
      if (!applied) return false;
      if (applied.tick >= tick) return true;
      return quietOk && applied.quiet && applied.admitted === this.admitted;
    };
    if (served()) return;
    const running = this.running;
    if (running && running.mark.tick >= tick) {
      // Another caller's listing: its failure (or its caller's cancel) is not ours.
      await running.done.catch(() => undefined);
      if (served()) return;
    }
    await this.refresh(signal);
  }
}
