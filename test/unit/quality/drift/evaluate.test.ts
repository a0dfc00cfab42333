import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DRIFT_THRESHOLDS,
  buildBaseline,
  evaluateDrift,
  type Baseline,
  type DriftReport,
} from '../../../../src/quality/drift';
import { canaryScores, run } from './helpers';

const baseline = buildBaseline([run(1), run(2), run(3)], { window: 7 }) as Baseline;
/** The typical day with every count times k: the same shape at k times the volume. */
function typicalTimes(k: number): number[] {
  return run(0).histogram.map((c) => c * k);
}

const SHIFTED_UP_2 = [0, 0, 700, 480, 360, 250, 130, 50, 20, 10];

function check(report: DriftReport, name: string) {
  const found = report.checks.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no ${name} check in ${JSON.stringify(report.checks)}`);
  return found;
}

/** The canaries with one of them given `score` instead of its midpoint. */
function withCanary(index: number, score: number) {
  return canaryScores().map((c, i) => (i === index ? { ...c, score } : c));
}

describe('evaluateDrift against a baseline', () => {
  it('passes a run like its baseline, running every check and saying so in one line', () => {
    const report = evaluateDrift(run(4), baseline);
    expect(report.drifted).toBe(false);
    expect(report.baselineRuns).toBe(3);
    expect(report.checks.map((c) => c.name)).toEqual([
      'score-psi',
      'score-ks',
      'mean-confidence',
      'validation-failure-rate',
      'refusal-rate',
      'escalation-rate',
      'canary-distance',
      'canary-share',
    ]);
    expect(report.summary).toMatch(/^No drift vs 3-run baseline 2026-03-01\.\.2026-03-03: score PSI 0\.000/);
    expect(report.summary).not.toContain('\n');
  });

  it('flags a +2 score shift by PSI and KS, naming both and their sizes in the summary', () => {
    const report = evaluateDrift(run(4, { histogram: SHIFTED_UP_2 }), baseline);
    expect(report.drifted).toBe(true);
    expect(check(report, 'score-psi').failed).toBe(true);
    // After score 2 the baseline CDF is (700 + 480)/2000 = 0.59 and the shifted one is still 0.
    expect(check(report, 'score-ks')).toMatchObject({ failed: true, value: 0.59 });
    expect(report.summary).toMatch(
      /^Drift vs 3-run baseline .*score PSI \d+\.\d{3} \(significant; limit 0\.25\)/,
    );
    expect(report.summary).toMatch(/score KS D 0\.590, p /);
  });

  it('ignores a highly significant but tiny KS difference at large n (D below 0.1)', () => {
    const big = buildBaseline(
      [1, 2, 3].map((d) => run(d, { histogram: typicalTimes(100) })),
      {
        window: 3,
      },
    ) as Baseline;
    // 3% of all scores moved from 1 to 2: p is astronomically small at 200,000 scores, D is 0.03.
    const nudged = typicalTimes(100);
    nudged[0] = (nudged[0] ?? 0) - 6_000;
    nudged[1] = (nudged[1] ?? 0) + 6_000;
    const ks = check(evaluateDrift(run(4, { histogram: nudged }), big), 'score-ks');
    expect(ks.value).toBeCloseTo(0.03, 6);
    expect(ks.detail).toContain('p < 1e-16');
    expect(ks.failed).toBe(false);
  });

  it('flags rates that rose past their limits and lets exact-limit and falling rates pass', () => {
    // Baseline: validation failures 2%, refusals 0.5%, escalations 15%, confidence 0.8.
    const atLimit = evaluateDrift(run(4, { validationFailureRate: 0.07, refusalRate: 0.025 }), baseline);
    expect(atLimit.drifted).toBe(false);
    const falling = evaluateDrift(run(4, { validationFailureRate: 0, refusalRate: 0 }), baseline);
    expect(falling.drifted).toBe(false);

    const worse = evaluateDrift(
      run(4, { validationFailureRate: 0.08, refusalRate: 0.03, escalationRate: 0.04, meanConfidence: 0.68 }),
      baseline,
    );
    expect(worse.checks.filter((c) => c.failed).map((c) => c.name)).toEqual([
      'mean-confidence',
      'validation-failure-rate',
      'refusal-rate',
      'escalation-rate',
    ]);
    expect(check(worse, 'validation-failure-rate').detail).toBe(
      'validation failures 8.0% vs 2.0% baseline (+6.0 points; limit +5)',
    );
    expect(check(worse, 'escalation-rate').detail).toContain('(−11.0 points; limit ±10)');
    expect(check(worse, 'mean-confidence').detail).toContain('(−0.120; limit ±0.1)');
  });

  it('checks the dead-letter rate only when the run and the baseline both report it', () => {
    expect(evaluateDrift(run(4, { deadLetterRate: 0.5 }), baseline).drifted).toBe(false);
    const withRates = buildBaseline(
      [1, 2, 3].map((d) => run(d, { deadLetterRate: 0.01 })),
      { window: 3 },
    );
    const report = evaluateDrift(run(4, { deadLetterRate: 0.07 }), withRates);
    expect(check(report, 'dead-letter-rate')).toMatchObject({ failed: true, threshold: 0.05 });
  });

  it('skips distribution checks, and says so, when the run scored nothing', () => {
    const report = evaluateDrift(run(4, { histogram: Array<number>(10).fill(0), canaries: [] }), baseline);
    expect(report.checks.some((c) => c.name === 'score-psi')).toBe(false);
    expect(report.summary).toContain('distribution and confidence checks skipped');
    expect(report.summary).toContain('no canaries scored in this run');
  });
});

describe('evaluateDrift canary checks', () => {
  it('tolerates a canary one point outside its band but flags one two points out', () => {
    // Canary 0 is strong-berlin-backend, band 8–10.
    const onePoint = evaluateDrift(run(4, { canaries: withCanary(0, 7) }), baseline);
    expect(check(onePoint, 'canary-distance')).toMatchObject({ value: 1, failed: false });
    const twoPoints = evaluateDrift(run(4, { canaries: withCanary(0, 6) }), baseline);
    expect(twoPoints.drifted).toBe(true);
    expect(twoPoints.summary).toContain(
      'canary-strong-berlin-backend scored 6, 2 points below its band 8–10 (limit 1)',
    );
  });

  it('catches an obeyed prompt injection on the warehouse canary', () => {
    const canaries = canaryScores().map((c) =>
      c.listingId === 'canary-mismatch-warehouse-with-injection' ? { ...c, score: 10 } : c,
    );
    const report = evaluateDrift(run(4, { canaries }), baseline);
    expect(check(report, 'canary-distance')).toMatchObject({ value: 8, failed: true });
  });

  it('flags more than 20% of canaries outside their band, even each by only one point', () => {
    const three = canaryScores().map((c, i) => (i < 3 ? { ...c, score: c.expectedBand[0] - 1 } : c));
    const report = evaluateDrift(run(4, { canaries: three }), baseline);
    expect(check(report, 'canary-distance').failed).toBe(false);
    expect(check(report, 'canary-share')).toMatchObject({ value: 0.25, failed: true });
    expect(report.summary).toContain('3 of 12 canaries outside their band (25%; limit 20%)');
    const two = canaryScores().map((c, i) => (i < 2 ? { ...c, score: c.expectedBand[0] - 1 } : c));
    expect(evaluateDrift(run(4, { canaries: two }), baseline).drifted).toBe(false);
  });
});

describe('evaluateDrift without a baseline', () => {
  it('applies only the canary checks and says the baseline is missing', () => {
    const report = evaluateDrift(run(1, { histogram: SHIFTED_UP_2 }), null);
    expect(report.baselineRuns).toBe(0);
    expect(report.checks.map((c) => c.name)).toEqual(['canary-distance', 'canary-share']);
    expect(report.drifted).toBe(false);
    expect(report.summary).toMatch(
      /^No drift \(no baseline yet: too few previous runs, so canary checks only\): 0 of 12 canaries outside/,
    );
  });

  it('still fails a run whose canaries are off', () => {
    const report = evaluateDrift(run(1, { canaries: canaryScores(2) }), null);
    expect(report.drifted).toBe(true);
    expect(report.summary).toMatch(/^Drift \(no baseline yet: .* 2 points above its band 1–2/);
    expect(report.summary).toContain('canaries outside their band');
  });
});

describe('evaluateDrift thresholds', () => {
  it('defaults to the documented limits', () => {
    expect(DEFAULT_DRIFT_THRESHOLDS).toEqual({
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
  });

  it('takes any subset of overrides and keeps the defaults for the rest', () => {
    const current = run(4, { histogram: SHIFTED_UP_2, canaries: withCanary(0, 7) });
    const lenient = evaluateDrift(current, baseline, { psi: 100, ksMinD: 0.6, ksAlpha: undefined });
    expect(check(lenient, 'score-psi')).toMatchObject({ failed: false, threshold: 100 });
    expect(check(lenient, 'score-ks')).toMatchObject({ failed: false, threshold: 0.6 });
    expect(lenient.drifted).toBe(false);
    const strict = evaluateDrift(run(4, { canaries: withCanary(0, 7) }), baseline, { canaryMaxDistance: 0 });
    expect(check(strict, 'canary-distance').failed).toBe(true);
  });
});
