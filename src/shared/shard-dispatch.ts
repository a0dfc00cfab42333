import { newBreaker, recordOutcome, recordProbe, type BreakerState } from './breaker';
import type { DeadLetterReason, ListingOutcome, ShardProgress, ShardTotals } from './messages';
import { RequeuePolicy } from './requeue-policy';
import { addDeadLetter, addScored } from './totals';

/**
 * Progress goes to the parent at most this often (both must hold). Every signal is a billed
 * action, and a shard's result carries its totals anyway, so a shard that is done within the
 * first interval (100 listings at low latency) sends none, and a slow one reports every few
 * seconds, about 0.03 signals per listing at the throughput bench's pace. Outage and budget
 * state changes are reported at once.
 */
export const REPORT_EVERY_LISTINGS = 25;
export const REPORT_EVERY_MS = 5000;

/** A listing handed to a lane or a probe, with the budget epoch it was dispatched in. */
export interface Dispatched {
  listingId: string;
  epoch: number;
}

/**
 * What the shard does after `settle`: nothing more (`none`, `scored`: the machine has counted
 * it, or put it back in the queue); wait for the calls in flight and try again (`drain`: call
 * `drained` once `drainWaitOver` holds); tell the parent it waits for budget (`pause`); or
 * record the dead letter and then call `deadLettered` (`dead`). `startProbe` asks for the
 * single outage probe, whatever happens to this listing.
 */
export type SettleStep = { startProbe: boolean } & (
  | { next: 'none' | 'scored' | 'drain' }
  | { next: 'pause'; lastError: string }
  | { next: 'dead'; dead: Extract<ListingOutcome, { kind: 'dead' }> }
);

/**
 * A shard's dispatch as a state machine, pure and deterministic like the breaker and the
 * requeue policy it drives, so the shard workflow only waits, calls and signals, and a unit
 * test can walk outages, budget pauses and stops without Temporal.
 *
 * The queue: a listing whose retries ran out on a retryable error goes back in it (to the
 * back, so probes rotate) unless the requeue policy says it fails on its own. Failures open
 * the breaker: dispatch stops and single probes on a growing delay ask whether the API is
 * back. A budget refusal puts the listing back at the front: the first one with calls in
 * flight only waits for them to settle (their worst-case reservations), a second is a pause
 * until the budget changes or the run stops.
 */
export class ShardDispatch {
  readonly pending: string[];
  readonly breaker: BreakerState = newBreaker();
  inFlight = 0;
  done = 0;
  stopped: boolean;
  budgetBlocked = false;
  /** Counts budget changes, so a refusal that was on its way while the budget was raised is
   * not taken for a refusal of the raised budget (which would wait for yet another raise). */
  budgetEpoch = 0;
  private retriedAfterDrain = false;
  private probing = false;
  private readonly requeue = new RequeuePolicy();
  private reported: { done: number; at: number; open: boolean; budget: boolean };

  constructor(
    ids: readonly string[],
    private readonly totals: ShardTotals,
    opts: { stopped: boolean; now: number },
  ) {
    this.pending = [...ids];
    this.stopped = opts.stopped;
    this.reported = { done: 0, at: opts.now, open: false, budget: false };
  }

  budgetChanged(): void {
    this.budgetBlocked = false;
    this.budgetEpoch++;
  }

  stop(): void {
    this.stopped = true;
    this.budgetBlocked = false;
    this.budgetEpoch++;
  }

  idle(): boolean {
    return this.pending.length === 0 && this.inFlight === 0;
  }

  /** A lane may go on: to dispatch, or to find there is nothing left or it was told to stop. */
  laneReady(): boolean {
    return (
      this.stopped || this.idle() || (!this.breaker.open && !this.budgetBlocked && this.pending.length > 0)
    );
  }

  /** A probe may go on: something to probe with, or nothing can come back to probe with. */
  probeReady(): boolean {
    return this.pending.length > 0 || this.stopped || this.inFlight === 0;
  }

  /** The next listing, now in flight; undefined when the queue is empty. */
  take(): Dispatched | undefined {
    const listingId = this.pending.shift();
    if (listingId === undefined) return undefined;
    this.inFlight++;
    return { listingId, epoch: this.budgetEpoch };
  }

  /** The pipeline answered for a listing from `take` (before `settle`). */
  returned(): void {
    this.inFlight--;
  }

  /** A probe's answer: anything but a transient failure says the API answers. */
  probed(outcome: ListingOutcome, now: number): void {
    recordProbe(this.breaker, outcome.kind !== 'transient', now);
  }

  /**
   * Decides about one answered listing. `raceFixed` is asked (lazily, only when a refusal
   * predates a budget change) whether this execution knows that refusal is stale: the shard
   * passes its patch marker.
   */
  settle(
    listingId: string,
    outcome: ListingOutcome,
    at: { probe: boolean; epoch: number; now: number; raceFixed: () => boolean },
  ): SettleStep {
    if (outcome.kind === 'budget') {
      this.pending.unshift(listingId);
      if (this.budgetBlocked) return { startProbe: false, next: 'none' };
      // Refused before a raise that has arrived since: try again against the new budget.
      if (at.epoch !== this.budgetEpoch && at.raceFixed()) return { startProbe: false, next: 'none' };
      this.budgetBlocked = true;
      if (!this.retriedAfterDrain) {
        this.retriedAfterDrain = true;
        return { startProbe: false, next: 'drain' };
      }
      return { startProbe: false, next: 'pause', lastError: outcome.lastError };
    }
    if (outcome.kind === 'scored') this.retriedAfterDrain = false;
    let startProbe = false;
    if (outcome.kind === 'transient') {
      if (!at.probe) recordOutcome(this.breaker, false, at.now);
      if (this.breaker.open && !this.probing) {
        this.probing = true;
        startProbe = true;
      }
      if (this.requeue.afterTransientFailure(listingId, this.breaker) === 'requeue') {
        this.pending.push(listingId);
        return { startProbe, next: 'none' };
      }
      return { startProbe, next: 'dead', dead: { ...outcome, kind: 'dead', reason: 'retries_exhausted' } };
    }
    this.requeue.succeeded();
    if (!at.probe) recordOutcome(this.breaker, true, at.now);
    if (outcome.kind === 'dead') return { startProbe, next: 'dead', dead: outcome };
    addScored(this.totals, outcome.model, outcome.score);
    this.done++;
    return { startProbe, next: 'scored' };
  }

  /** The dead letter `settle` asked for is recorded. */
  deadLettered(reason: DeadLetterReason): void {
    addDeadLetter(this.totals, reason);
    this.done++;
  }

  /** A `drain` step waits for this: nothing in flight any more, or the budget changed. */
  drainWaitOver(): boolean {
    return this.inFlight === 0 || !this.budgetBlocked;
  }

  drained(): void {
    this.budgetBlocked = false;
  }

  /** The probe loop goes on while the breaker is open and the shard was not stopped. */
  keepProbing(): boolean {
    return this.breaker.open && !this.stopped;
  }

  probeEnded(): void {
    this.probing = false;
  }

  /** Stopped with nothing in flight: what is left, out of the queue, to be parked. */
  takeLeft(): string[] {
    return this.pending.splice(0, this.pending.length);
  }

  /** Listings from `takeLeft` parked as dead letters. */
  parked(count: number, reason: DeadLetterReason): void {
    for (let i = 0; i < count; i++) addDeadLetter(this.totals, reason);
    this.done += count;
  }

  reportDue(now: number): boolean {
    const r = this.reported;
    return (
      (this.done - r.done >= REPORT_EVERY_LISTINGS && now - r.at >= REPORT_EVERY_MS) ||
      r.open !== this.breaker.open ||
      r.budget !== this.budgetBlocked
    );
  }

  /** The progress to signal now, remembered as the last one reported. */
  report(shardIndex: number, now: number): ShardProgress {
    this.reported = { done: this.done, at: now, open: this.breaker.open, budget: this.budgetBlocked };
    return {
      shardIndex,
      done: this.done,
      inFlight: this.inFlight,
      scored: this.totals.scored,
      deadLettered: this.totals.deadLettered,
      costPico: this.totals.costPico,
      outage: this.breaker.open,
      budgetBlocked: this.budgetBlocked,
    };
  }

  /** The shard's totals with its outage time: what the shard returns. */
  close(): ShardTotals {
    this.totals.outageMs += this.breaker.openMs;
    this.totals.outages += this.breaker.opened;
    return this.totals;
  }
}
