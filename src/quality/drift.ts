/**
 * The quality gate's drift verdict: compares one run's quality figures with a trailing baseline of
 * previous runs. Pure and deterministic (no I/O, no clock, no randomness), so it can run inside a
 * workflow. The statistics live in `drift-stats`, the baseline in `drift-baseline` and the canary
 * checks in `drift-canaries`; import everything from here.
 */
import { SCORE_BUCKETS, checkRun, type Baseline, type RunQuality } from './drift-baseline';
import { canaryChecks, type CanaryCheck } from './drift-canaries';
import { ksFromHistograms, psi, psiBand } from './drift-stats';

export * from './drift-stats';
export {
  DEFAULT_MIN_BASELINE_RUNS,
  SCORE_BUCKETS,
  buildBaseline,
  type Baseline,
  type BaselineOptions,
  type RunQuality,
} from './drift-baseline';
export { bandDistance, type CanaryScore } from './drift-canaries';

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

export interface DriftThresholds {
  /** Fail when score PSI is at least this (0.25: the conventional "significant shift"). */
  psi: number;
  /** KS fails only when p < ksAlpha AND D ≥ ksMinD: at 2,000+ scores per run a tiny, harmless
   *  difference is already "significant", so D must also be large enough to matter. */
  ksAlpha: number;
  ksMinD: number;
  /** Absolute change of mean confidence, either direction. */
  meanConfidenceShift: number;
  /** Increases only: fewer failures or refusals is not a problem. */
  validationFailureRateIncrease: number;
  refusalRateIncrease: number;
  deadLetterRateIncrease: number;
  /** Either direction: fewer escalations can mean an over-confident small model. */
  escalationRateShift: number;
  canaryMaxDistance: number;
  canaryOutsideShare: number;
  /** Fewer fresh scores than this and the distribution checks are skipped: too few to tell noise from drift. */
  minScores: number;
}

export const DEFAULT_DRIFT_THRESHOLDS: Readonly<DriftThresholds> = Object.freeze({
  psi: 0.25,
  ksAlpha: 0.01,
  ksMinD: 0.1,
  meanConfidenceShift: 0.1,
  validationFailureRateIncrease: 0.05,
  refusalRateIncrease: 0.02,
  deadLetterRateIncrease: 0.05,
  escalationRateShift: 0.1,
  canaryMaxDistance: 1,
  canaryOutsideShare: 0.2,
  minScores: 100,
});

export type DriftCheckName =
  | 'score-psi'
  | 'score-ks'
  | 'mean-confidence'
  | 'validation-failure-rate'
  | 'refusal-rate'
  | 'dead-letter-rate'
  | 'escalation-rate'
  | CanaryCheck['name'];

export interface DriftCheck {
  name: DriftCheckName;
  value: number;
  threshold: number;
  failed: boolean;
  /** One readable phrase: what was measured, against what, and the limit. */
  detail: string;
}

export interface DriftReport {
  drifted: boolean;
  checks: DriftCheck[];
  /** One line naming what drifted and by how much (or why little could be checked). */
  summary: string;
  /** Runs in the baseline; 0 when there was none and only canary checks ran. */
  baselineRuns: number;
}

// Figures come from counts and divisions; the slack stops float error deciding an exact tie
// (0.07 − 0.02 is 0.05000000000000001, which must not count as "more than 5 points").
const SLACK = 1e-9;
const exceeds = (value: number, limit: number): boolean => value - limit > SLACK;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
// Rounded first, so float dust like −2.8e-17 reads as ±0.0 rather than −0.0.
const signed = (x: number, digits: number): string => {
  const r = Number(x.toFixed(digits));
  return `${r > 0 ? '+' : r < 0 ? '−' : '±'}${Math.abs(r).toFixed(digits)}`;
};
// Far out in the tail the asymptotic value is only "astronomically small"; its digits mean nothing.
const fmtP = (p: number): string =>
  p < 1e-16 ? 'p < 1e-16' : p < 0.001 ? `p ${p.toExponential(1)}` : `p ${p.toFixed(3)}`;

/** A rate check in percentage points; `twoSided` compares |Δ|, otherwise only increases count. */
function rateCheck(
  name: DriftCheckName,
  label: string,
  current: number,
  base: number,
  limit: number,
  twoSided: boolean,
): DriftCheck {
  const delta = current - base;
  const value = twoSided ? Math.abs(delta) : delta;
  return {
    name,
    value,
    threshold: limit,
    failed: exceeds(value, limit),
    detail:
      `${label} ${pct(current)} vs ${pct(base)} baseline ` +
      `(${signed(delta * 100, 1)} points; limit ${twoSided ? '±' : '+'}${(limit * 100).toFixed(0)})`,
  };
}

function baselineChecks(
  current: RunQuality,
  baseline: Baseline,
  t: DriftThresholds,
  notes: string[],
): DriftCheck[] {
  const checks: DriftCheck[] = [];
  const scores = sum(current.histogram);
  if (scores === 0 || sum(baseline.histogram) === 0) {
    notes.push('no scores to compare, distribution and confidence checks skipped');
  } else if (scores < t.minScores) {
    notes.push(
      `only ${scores} fresh scores (fewer than ${t.minScores}), distribution and confidence checks skipped`,
    );
  } else {
    const p = psi(baseline.histogram, current.histogram);
    checks.push({
      name: 'score-psi',
      value: p,
      threshold: t.psi,
      failed: p - t.psi >= -SLACK,
      detail: `score PSI ${p.toFixed(3)} (${psiBand(p)}; limit ${t.psi})`,
    });
    const ks = ksFromHistograms(baseline.histogram, current.histogram);
    checks.push({
      name: 'score-ks',
      value: ks.d,
      threshold: t.ksMinD,
      failed: ks.pValue < t.ksAlpha && ks.d - t.ksMinD >= -SLACK,
      detail: `score KS D ${ks.d.toFixed(3)}, ${fmtP(ks.pValue)} (limit D ≥ ${t.ksMinD} with p < ${t.ksAlpha})`,
    });
    if (baseline.meanConfidence !== null) {
      const delta = current.meanConfidence - baseline.meanConfidence;
      checks.push({
        name: 'mean-confidence',
        value: Math.abs(delta),
        threshold: t.meanConfidenceShift,
        failed: exceeds(Math.abs(delta), t.meanConfidenceShift),
        detail:
          `mean confidence ${current.meanConfidence.toFixed(3)} vs ${baseline.meanConfidence.toFixed(3)} ` +
          `baseline (${signed(delta, 3)}; limit ±${t.meanConfidenceShift})`,
      });
    }
  }
  const { validationFailureRate: vfr, refusalRate, escalationRate, deadLetterRate } = baseline;
  checks.push(
    rateCheck(
      'validation-failure-rate',
      'validation failures',
      current.validationFailureRate,
      vfr,
      t.validationFailureRateIncrease,
      false,
    ),
    rateCheck('refusal-rate', 'refusals', current.refusalRate, refusalRate, t.refusalRateIncrease, false),
    rateCheck(
      'escalation-rate',
      'escalations',
      current.escalationRate,
      escalationRate,
      t.escalationRateShift,
      true,
    ),
  );
  if (current.deadLetterRate !== undefined && deadLetterRate !== null)
    checks.push(
      rateCheck(
        'dead-letter-rate',
        'dead letters',
        current.deadLetterRate,
        deadLetterRate,
        t.deadLetterRateIncrease,
        false,
      ),
    );
  return checks;
}

/**
 * Judges one run against its baseline. Every check is reported, failed or not, so a dashboard can
 * show how close a run came. With `baseline` null (fewer than the minimum previous runs) only the
 * canary checks apply, and the summary says so. `thresholds` may override any subset of the defaults.
 */
export function evaluateDrift(
  current: RunQuality,
  baseline: Baseline | null,
  thresholds: Partial<DriftThresholds> = DEFAULT_DRIFT_THRESHOLDS,
): DriftReport {
  // An explicit `undefined` in the overrides keeps the default rather than erasing it.
  const overrides = Object.entries(thresholds).filter(([, v]) => v !== undefined);
  const t: DriftThresholds = { ...DEFAULT_DRIFT_THRESHOLDS, ...Object.fromEntries(overrides) };
  checkRun(current, 'current');
  if (baseline !== null && baseline.histogram.length !== SCORE_BUCKETS)
    throw new RangeError(`baseline.histogram must have ${SCORE_BUCKETS} buckets`);
  const notes: string[] = [];
  const checks: DriftCheck[] = baseline === null ? [] : baselineChecks(current, baseline, t, notes);
  const canaries = canaryChecks(current.canaries, t);
  if (canaries.length === 0) notes.push('no canaries scored in this run');
  checks.push(...canaries);

  const failed = checks.filter((c) => c.failed);
  const against =
    baseline === null
      ? '(no baseline yet: too few previous runs, so canary checks only)'
      : `vs ${baseline.runIds.length}-run baseline ${baseline.fromDate}..${baseline.toDate}`;
  const findings =
    failed.length > 0
      ? failed.map((c) => c.detail)
      : checks.filter((c) => ['score-psi', 'score-ks', 'canary-share'].includes(c.name)).map((c) => c.detail);
  const summary = `${failed.length > 0 ? 'Drift' : 'No drift'} ${against}: ${[...findings, ...notes].join('; ') || 'nothing to check'}.`;
  return { drifted: failed.length > 0, checks, summary, baselineRuns: baseline?.runIds.length ?? 0 };
}
