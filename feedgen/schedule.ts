import { dayNumber } from './days';
import { hash01, Purpose } from './random';

/** Share of changes that are new postings (new id); the rest edit an existing listing in place. */
const NEW_POSTING_SHARE = 0.5;
/** A slot whose last "new posting" is further back than this many versions just restarts its id. */
const MAX_ID_LOOKBACK = 64;
/** Start days are never earlier than this, so slow or zero churn cannot produce year-0800 dates. */
export const EARLIEST_DAY = dayNumber('2020-01-01');
const INV_GOLDEN = 0.6180339887498949;

export interface SlotVersion {
  /** Changes whenever the slot's content changes. */
  version: number;
  /** The version at which the slot's current id was minted; ids stay stable across edits. */
  idVersion: number;
  /** First day on which this version appears. */
  startDay: number;
}

/**
 * Decides, without any state, which version of each population slot a given day shows.
 *
 * Slot i shows version floor(day × churn + phase_i). Between two consecutive days that floor
 * steps up exactly when phase_i falls in a window of width `churn` (mod 1), so the fraction
 * of slots that change on any given day equals the share of phases inside that window. The
 * phases are a golden-ratio (low-discrepancy) sequence rather than random draws, so that share
 * is `churn` within a fraction of a percent for every day and every feed size, not only on
 * average. Each step is a new posting (new id) or an in-place edit, decided by a hash of
 * (seed, slot, version). Computing a day costs O(1) per slot: no earlier day is generated.
 */
export class ChurnSchedule {
  private readonly offset: number;

  constructor(
    private readonly seed: number,
    private readonly churn: number,
  ) {
    if (!(churn >= 0 && churn <= 1)) throw new RangeError(`churn must be within [0, 1], got ${churn}`);
    this.offset = hash01(seed, Purpose.phase);
  }

  phase(slot: number): number {
    const x = this.offset + slot * INV_GOLDEN;
    return x - Math.floor(x);
  }

  at(slot: number, day: number): SlotVersion {
    const phase = this.phase(slot);
    const version = Math.floor(day * this.churn + phase);
    let idVersion = version;
    for (
      let back = 0;
      back < MAX_ID_LOOKBACK && idVersion > 0 && !this.isNewPosting(slot, idVersion);
      back++
    ) {
      idVersion--;
    }
    return { version, idVersion, startDay: this.startDay(phase, version) };
  }

  /** Days a version lasts on average; used to keep posting dates within about a month. */
  get meanLifetimeDays(): number {
    return this.churn === 0 ? Infinity : 1 / this.churn;
  }

  private isNewPosting(slot: number, version: number): boolean {
    return hash01(this.seed, slot, version, Purpose.kind) < NEW_POSTING_SHARE;
  }

  /** Smallest day d with floor(d × churn + phase) ≥ version. */
  private startDay(phase: number, version: number): number {
    if (this.churn === 0) return EARLIEST_DAY;
    let d = Math.ceil((version - phase) / this.churn);
    // Floating point can land one day off either way; nudge onto the exact boundary.
    while (Math.floor((d - 1) * this.churn + phase) >= version) d--;
    while (Math.floor(d * this.churn + phase) < version) d++;
    return Math.max(d, EARLIEST_DAY);
  }
}
