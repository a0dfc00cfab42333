/**
 * Trailing baseline for the quality gate: one run's quality figures and the pool of previous runs
 * that the next run is compared with. Pure and deterministic.
 */
import { checkCanary, type CanaryScore } from './drift-canaries';

/** Runs store scores 1..10 as a histogram with score s at index s−1. */
export const SCORE_BUCKETS = 10;
/** Fewer previous runs than this and there is no baseline: only the canary checks apply. */
export const DEFAULT_MIN_BASELINE_RUNS = 3;

/** One run's quality figures. Rates are fractions in [0, 1]; "5 points" below means 0.05. */
export interface RunQuality {
  runId: string;
  runDate: string;
  /** Count of scores 1..10 at index score−1 (RunSummary.histogram). */
  histogram: number[];
  /** Mean model confidence over the run's scored listings. */
  meanConfidence: number;
  validationFailureRate: number;
  refusalRate: number;
  escalationRate: number;
  /** Optional: dead-lettered / planned. Checked only when both the run and the baseline have it. */
  deadLetterRate?: number;
  canaries: CanaryScore[];
}

/** Trailing baseline pooled from previous runs by {@link buildBaseline}. */
export interface Baseline {
  /** The runs pooled, oldest first. */
  runIds: string[];
  fromDate: string;
  toDate: string;
  /** Score counts summed over the runs. */
  histogram: number[];
  /** Pooled mean: each run weighted by its scored count. null when none of the runs scored anything. */
  meanConfidence: number | null;
  /** Plain means over the runs: each run is one observation of the process. */
  validationFailureRate: number;
  refusalRate: number;
  escalationRate: number;
  /** Mean over the runs that report it; null when none does. */
  deadLetterRate: number | null;
}

export interface BaselineOptions {
  /** Pool at most this many of the most recent runs. */
  window: number;
  minRuns?: number;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

function mean(xs: readonly number[]): number {
  return sum(xs) / xs.length;
}

/** Rejects figures that cannot be right (e.g. a rate given in percent), naming the field. */
export function checkRun(run: RunQuality, label: string): void {
  if (run.histogram.length !== SCORE_BUCKETS)
    throw new RangeError(
      `${label}.histogram must have ${SCORE_BUCKETS} buckets, got ${run.histogram.length}`,
    );
  run.histogram.forEach((c, i) => {
    if (!Number.isFinite(c) || c < 0) throw new RangeError(`${label}.histogram[${i}] must be a count ≥ 0`);
  });
  const fractions = {
    meanConfidence: run.meanConfidence,
    validationFailureRate: run.validationFailureRate,
    refusalRate: run.refusalRate,
    escalationRate: run.escalationRate,
    ...(run.deadLetterRate === undefined ? {} : { deadLetterRate: run.deadLetterRate }),
  };
  for (const [field, v] of Object.entries(fractions)) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${label}.${field} must be a fraction in [0, 1], got ${v}`);
  }
  run.canaries.forEach((c, i) => checkCanary(c, `${label}.canaries[${i}]`));
}

/**
 * Pools the most recent `window` runs (by runDate, then runId) into a baseline, or returns null
 * when fewer than `minRuns` (default 3) are available. Pass only runs that passed the gate:
 * pooling drifted runs would make the drift the new normal.
 */
export function buildBaseline(previous: readonly RunQuality[], opts: BaselineOptions): Baseline | null {
  const minRuns = opts.minRuns ?? DEFAULT_MIN_BASELINE_RUNS;
  if (!Number.isInteger(opts.window) || opts.window < 1)
    throw new RangeError(`window must be a positive integer, got ${opts.window}`);
  if (!Number.isInteger(minRuns) || minRuns < 1 || minRuns > opts.window)
    throw new RangeError(`minRuns must be an integer in 1..window, got ${minRuns}`);
  previous.forEach((r, i) => checkRun(r, `previous[${i}]`));
  const runs = [...previous]
    .sort((a, b) => a.runDate.localeCompare(b.runDate) || a.runId.localeCompare(b.runId))
    .slice(-opts.window);
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (runs.length < minRuns || first === undefined || last === undefined) return null;

  const histogram = Array.from({ length: SCORE_BUCKETS }, (_, i) =>
    sum(runs.map((r) => r.histogram[i] ?? 0)),
  );
  // Confidence is a mean over scored listings, so weighting by scored count gives the exact pooled mean.
  const scored = runs.map((r) => sum(r.histogram));
  const totalScored = sum(scored);
  const meanConfidence =
    totalScored > 0 ? sum(runs.map((r, i) => r.meanConfidence * (scored[i] ?? 0))) / totalScored : null;
  const deadLetter = runs.flatMap((r) => (r.deadLetterRate === undefined ? [] : [r.deadLetterRate]));
  return {
    runIds: runs.map((r) => r.runId),
    fromDate: first.runDate,
    toDate: last.runDate,
    histogram,
    meanConfidence,
    validationFailureRate: mean(runs.map((r) => r.validationFailureRate)),
    refusalRate: mean(runs.map((r) => r.refusalRate)),
    escalationRate: mean(runs.map((r) => r.escalationRate)),
    deadLetterRate: deadLetter.length > 0 ? mean(deadLetter) : null,
  };
}
