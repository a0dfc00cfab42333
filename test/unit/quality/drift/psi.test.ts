import { describe, expect, it } from 'vitest';
import { PSI_EPSILON, psi, psiBand } from '../../../../src/quality/drift';

describe('psi', () => {
  it('is exactly 0 for identical distributions, whatever the run sizes', () => {
    const h = [700, 480, 360, 250, 130, 50, 20, 8, 2, 0];
    expect(psi(h, h)).toBe(0);
    expect(
      psi(
        h,
        h.map((c) => c * 3),
      ),
    ).toBeCloseTo(0, 12);
  });

  it('matches a hand-computed value: 50/50 against 25/75 is 0.25·ln 2 + 0.25·ln 1.5', () => {
    // (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5)
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.2746530721670274, 12);
    expect(psi([25, 75], [50, 50])).toBeCloseTo(0.2746530721670274, 12);
  });

  it('floors an empty bin at epsilon instead of returning infinity', () => {
    // expected [1, 0] is floored to [1, 1e-4]: (0.9 − 1)·ln 0.9 + (0.1 − 1e-4)·ln(0.1/1e-4)
    expect(PSI_EPSILON).toBe(1e-4);
    expect(psi([10, 0], [9, 1])).toBeCloseTo(0.7006208039360982, 12);
    expect(psi([10, 0], [9, 1], { epsilon: 1e-2 })).toBeCloseTo(
      (0.9 - 1) * Math.log(0.9) + (0.1 - 0.01) * Math.log(10),
      12,
    );
  });

  it('adds nothing for bins empty on both sides', () => {
    expect(psi([50, 50, 0, 0], [25, 75, 0, 0])).toBeCloseTo(psi([50, 50], [25, 75]), 12);
  });

  it('reads values the conventional way: < 0.1 stable, 0.1–0.25 moderate, > 0.25 significant', () => {
    expect(psiBand(0.05)).toBe('stable');
    expect(psiBand(0.1)).toBe('moderate');
    expect(psiBand(0.25)).toBe('moderate');
    expect(psiBand(0.2747)).toBe('significant');
  });

  it('rejects mismatched bins, negative counts, empty histograms and a bad epsilon', () => {
    expect(() => psi([1, 2], [1, 2, 3])).toThrow(RangeError);
    expect(() => psi([1, -1], [1, 2])).toThrow(/expected\[1\]/);
    expect(() => psi([0, 0], [1, 2])).toThrow(/at least one observation/);
    expect(() => psi([1, 2], [1, 2], { epsilon: 0 })).toThrow(/epsilon/);
  });
});
