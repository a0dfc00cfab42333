import { describe, expect, it } from 'vitest';
import { defaultCriteria, generateFeed } from '../../../../feedgen/generate';
import {
  buildBaseline,
  evaluateDrift,
  ksFromHistograms,
  psi,
  type Baseline,
  type RunQuality,
} from '../../../../src/quality/drift';
import { Prng } from '../../../../simulator/shared/prng';
import { modelAnswer } from '../../../../simulator/chat/model-answer';
import { canaryScores, resample } from './helpers';

const LISTINGS = 2_000;

/**
 * A day scored by the simulator's gpt-4o-mini (noise σ 0.9) with `drift.scoreShift` = `shift`:
 * a realistic, heavily skewed 2,000-score distribution. Canary scores are synthetic here
 * (band midpoint + shift): this test is about the score distribution, not the simulator's truths.
 */
function simulatedDay(day: number, seed: number, shift: number): RunQuality {
  const runDate = `2026-03-${String(day).padStart(2, '0')}`;
  const histogram = Array.from({ length: 10 }, () => 0);
  let confidence = 0;
  for (const line of generateFeed({ date: runDate, count: LISTINGS, seed: 7 })) {
    const behaviour = {
      seed,
      model: 'gpt-4o-mini',
      noiseSigma: 0.9,
      scoreShift: shift,
      injectionSusceptibility: 0,
    };
    const answer = modelAnswer(behaviour, defaultCriteria, line);
    histogram[answer.score - 1] = (histogram[answer.score - 1] ?? 0) + 1;
    confidence += answer.confidence;
  }
  return {
    runId: `sim-${runDate}-${seed}-${shift}`,
    runDate,
    histogram,
    meanConfidence: confidence / LISTINGS,
    validationFailureRate: 0.01,
    refusalRate: 0.002,
    escalationRate: 0.2,
    canaries: canaryScores(shift),
  };
}

const baseline = buildBaseline(
  [1, 2, 3].map((day) => simulatedDay(day, day, 0)),
  { window: 7 },
) as Baseline;
const unshifted = simulatedDay(4, 4, 0);

describe('drift on a realistic simulated score distribution', () => {
  it('flags a +2 score shift by PSI and by KS', () => {
    const shifted = simulatedDay(4, 4, 2);
    expect(psi(baseline.histogram, shifted.histogram)).toBeGreaterThan(1);
    const ks = ksFromHistograms(baseline.histogram, shifted.histogram);
    // Two points move roughly a third of the mass across every cut of a feed spread over 1–10.
    expect(ks.d).toBeGreaterThan(0.3);
    expect(ks.pValue).toBeLessThan(1e-100);

    const report = evaluateDrift(shifted, baseline);
    expect(report.drifted).toBe(true);
    const failed = report.checks.filter((c) => c.failed).map((c) => c.name);
    expect(failed).toEqual(
      expect.arrayContaining(['score-psi', 'score-ks', 'mean-confidence', 'canary-distance']),
    );
  });

  it('flags a +1 shift too, by distribution alone', () => {
    const report = evaluateDrift({ ...simulatedDay(4, 4, 1), canaries: canaryScores() }, baseline);
    expect(report.checks.filter((c) => c.failed).map((c) => c.name)).toEqual(
      expect.arrayContaining(['score-psi', 'score-ks']),
    );
  });

  it('does not flag a new, unshifted day with fresh listings and fresh model noise', () => {
    const report = evaluateDrift(unshifted, baseline);
    expect(report.drifted).toBe(false);
    expect(report.checks.find((c) => c.name === 'score-psi')?.value).toBeLessThan(0.05);
  });

  it('does not flag 200 seeded resamples of the baseline distribution at 2,000 scores', () => {
    let worstPsi = 0;
    let worstD = 0;
    for (let i = 0; i < 200; i++) {
      const histogram = resample(baseline.histogram, LISTINGS, new Prng('drift-resample', i));
      const report = evaluateDrift({ ...unshifted, histogram }, baseline);
      expect(report.drifted, report.summary).toBe(false);
      worstPsi = Math.max(worstPsi, report.checks.find((c) => c.name === 'score-psi')?.value ?? 1);
      worstD = Math.max(worstD, report.checks.find((c) => c.name === 'score-ks')?.value ?? 1);
    }
    // Sampling noise stays an order of magnitude under the limits (0.25 PSI, 0.1 D).
    expect(worstPsi).toBeLessThan(0.05);
    expect(worstD).toBeLessThan(0.05);
  });
});
