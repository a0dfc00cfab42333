import { describe, expect, it } from 'vitest';
import { kolmogorovQ, ksFromHistograms, ksTwoSample } from '../../../../src/quality/drift';

describe('kolmogorovQ', () => {
  it('matches the tabulated Kolmogorov distribution', () => {
    // Classic critical values: P(K > 1.2238) = 0.10, P(K > 1.3581) = 0.05, P(K > 1.6276) = 0.01.
    expect(kolmogorovQ(1)).toBeCloseTo(0.2699996716773546, 12);
    expect(kolmogorovQ(1.2238)).toBeCloseTo(0.1, 4);
    expect(kolmogorovQ(1.3581)).toBeCloseTo(0.05, 5);
    expect(kolmogorovQ(1.6276)).toBeCloseTo(0.01, 5);
    expect(kolmogorovQ(0.5)).toBeCloseTo(0.9639452436648751, 12);
  });

  it('is 1 at 0, continuous where it switches series, and falls towards 0', () => {
    expect(kolmogorovQ(0)).toBe(1);
    expect(kolmogorovQ(1e-3)).toBe(1);
    // Q's slope near 1.18 is about −0.6, so a 1e-9 step may move it ~6e-10 and no more.
    expect(Math.abs(kolmogorovQ(1.18 - 1e-9) - kolmogorovQ(1.18))).toBeLessThan(1e-9);
    let previous = 1;
    for (let l = 0.1; l < 4; l += 0.05) {
      const q = kolmogorovQ(l);
      expect(q).toBeLessThanOrEqual(previous);
      previous = q;
    }
  });
});

describe('ksFromHistograms', () => {
  it('gives D = 0 and p = 1 for identical distributions', () => {
    const h = [700, 480, 360, 250, 130, 50, 20, 8, 2, 0];
    expect(ksFromHistograms(h, h)).toMatchObject({ d: 0, pValue: 1, n1: 2000, n2: 2000 });
    expect(
      ksFromHistograms(
        h,
        h.map((c) => c * 2),
      ).d,
    ).toBeCloseTo(0, 12);
  });

  it('gives D = 1 and a tiny p for fully separated samples', () => {
    const low = [100, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const high = [0, 0, 0, 0, 0, 0, 0, 0, 0, 100];
    const ks = ksFromHistograms(low, high);
    expect(ks.d).toBe(1);
    expect(ks.effectiveN).toBe(50);
    // λ = (√50 + 0.12 + 0.11/√50)·1 ≈ 7.2066; Q(λ) ≈ 2·e^(−2λ²)
    expect(ks.pValue).toBeGreaterThan(0);
    expect(ks.pValue).toBeLessThan(1e-40);
    expect(ks.pValue / 1.5505547466854487e-45).toBeCloseTo(1, 6);
  });

  it('matches a hand-computed example: {1,2,3,4} against {3,4,5,6}', () => {
    // CDFs after each score: 0.25 0.5 0.75 1 1 1 vs 0 0 0.25 0.5 0.75 1 → D = 0.5.
    // nₑ = 4·4/8 = 2, λ = (√2 + 0.12 + 0.11/√2)·0.5 ≈ 0.80600, Q(λ) ≈ 0.53442.
    const ks = ksFromHistograms([1, 1, 1, 1, 0, 0], [0, 0, 1, 1, 1, 1]);
    expect(ks.d).toBe(0.5);
    expect(ks.effectiveN).toBe(2);
    expect(ks.pValue).toBeCloseTo(0.5344157192165071, 10);
  });

  it('is symmetric in its arguments', () => {
    const a = [5, 9, 3, 0, 1];
    const b = [1, 2, 8, 6, 4];
    expect(ksFromHistograms(a, b)).toEqual({ ...ksFromHistograms(b, a), n1: 18, n2: 21 });
  });

  it('rejects histograms of different lengths or with no observations', () => {
    expect(() => ksFromHistograms([1, 2], [1, 2, 3])).toThrow(RangeError);
    expect(() => ksFromHistograms([0, 0], [1, 2])).toThrow(/at least one observation/);
  });
});

describe('ksTwoSample', () => {
  it('steps over tied values together, so ties do not inflate D', () => {
    // {1,1,2} vs {1,2,2}: after 1 the CDFs are 2/3 and 1/3, after 2 both are 1 → D = 1/3.
    // Stepping one observation at a time would wrongly see 2/3 − 0 first.
    const ks = ksTwoSample([1, 1, 2], [1, 2, 2]);
    expect(ks.d).toBeCloseTo(1 / 3, 12);
    // nₑ = 1.5, λ = (√1.5 + 0.12 + 0.11/√1.5)/3 ≈ 0.47819
    expect(ks.pValue).toBeCloseTo(0.9762126488644778, 10);
  });

  it('agrees with the histogram form, and accepts either form on each side', () => {
    const h1 = [3, 0, 2, 5, 1, 0, 0, 4, 0, 1];
    const h2 = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const samples = (h: number[]): number[] => h.flatMap((c, i) => Array<number>(c).fill(i + 1));
    const expected = ksFromHistograms(h1, h2);
    expect(ksTwoSample(samples(h1), samples(h2))).toEqual(expected);
    expect(ksTwoSample({ histogram: h1 }, samples(h2))).toEqual(expected);
    expect(ksTwoSample({ histogram: h1 }, { histogram: h2 })).toEqual(expected);
  });

  it('works on continuous values too', () => {
    expect(ksTwoSample([0.1, 0.2, 0.3], [0.15, 0.25, 0.35]).d).toBeCloseTo(1 / 3, 12);
    expect(ksTwoSample([0.1, 0.2], [5, 6]).d).toBe(1);
  });

  it('rejects empty samples and non-finite values', () => {
    expect(() => ksTwoSample([], [1])).toThrow(/at least one observation/);
    expect(() => ksTwoSample([1, Number.NaN], [1])).toThrow(/finite/);
  });
});
