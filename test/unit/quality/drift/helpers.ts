import { canarySet } from '../../../../src/feed/canaries';
import type { CanaryScore, RunQuality } from '../../../../src/quality/drift';
import type { Prng } from '../../../../simulator/shared/prng';

/** A plausible 2,000-score day under defaultCriteria: most listings unrelated, a thin strong tail. */
export const TYPICAL_HISTOGRAM: readonly number[] = [700, 480, 360, 250, 130, 50, 20, 8, 2, 0];

/** The golden canaries, each scored at its band's midpoint plus `offset`, clamped to 1..10. */
export function canaryScores(offset = 0): CanaryScore[] {
  return canarySet().map(({ listing, expectedBand: [lo, hi] }) => ({
    listingId: listing.id,
    score: Math.min(10, Math.max(1, Math.round((lo + hi) / 2) + offset)),
    expectedBand: [lo, hi],
  }));
}

/** A healthy run; override any figure. Days count from 2026-03-01. */
export function run(day: number, overrides: Partial<RunQuality> = {}): RunQuality {
  const runDate = `2026-03-${String(day).padStart(2, '0')}`;
  return {
    runId: `run-${runDate}`,
    runDate,
    histogram: [...TYPICAL_HISTOGRAM],
    meanConfidence: 0.8,
    validationFailureRate: 0.02,
    refusalRate: 0.005,
    escalationRate: 0.15,
    canaries: canaryScores(),
    ...overrides,
  };
}

/** `n` scores drawn with replacement from the histogram's proportions (multinomial resampling). */
export function resample(histogram: readonly number[], n: number, rng: Prng): number[] {
  const total = histogram.reduce((s, c) => s + c, 0);
  const out = histogram.map(() => 0);
  for (let k = 0; k < n; k++) {
    let u = rng.next() * total;
    let i = 0;
    while (i < histogram.length - 1 && u >= (histogram[i] ?? 0)) u -= histogram[i++] ?? 0;
    out[i] = (out[i] ?? 0) + 1;
  }
  return out;
}
