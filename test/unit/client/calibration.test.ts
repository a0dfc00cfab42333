import { describe, expect, it } from 'vitest';
import {
  CalibrationError,
  computeCalibration,
  sampleRecords,
  type CalibrationListing,
} from '../../../src/client/report/calibration';

const listing = (id: string, score: number, confidence: number, costPico: number): CalibrationListing => ({
  listingId: id,
  contentHash: `h-${id}`,
  score,
  confidence,
  costPico,
});

// Four listings: the small model is cheap (1) and the large one dear (10). Small answers with
// low confidence are the wrong ones.
const small = [
  listing('a', 7, 0.95, 1),
  listing('b', 3, 0.9, 1),
  listing('c', 9, 0.55, 1), // large says 5: far off, low confidence
  listing('d', 2, 0.65, 1), // large says 4: two off
];
const large = [
  listing('a', 7, 0.9, 10),
  listing('b', 4, 0.9, 10),
  listing('c', 5, 0.8, 10),
  listing('d', 4, 0.9, 10),
];

describe('calibration of the cascade', () => {
  it('measures small against large: exact and ±1 agreement, and cost per 1,000 for each alone', () => {
    const c = computeCalibration({ small, large, thresholds: [0] });
    expect(c.compared).toBe(4);
    expect(c.smallVsLarge.exact).toBe(0.25); // a
    expect(c.smallVsLarge.withinOne).toBe(0.5); // a, b
    expect(c.smallVsLarge.meanAbsDiff).toBe((0 + 1 + 4 + 2) / 4);
    expect(c.costPer1000Pico).toEqual({ small: 1000, large: 10_000 });
  });

  it('prices and scores the cascade at each threshold: the small call always, the large one when escalated', () => {
    const c = computeCalibration({ small, large, thresholds: [0, 0.6, 0.7, 1] });
    expect(c.cascade.map((r) => [r.escalateBelow, r.escalated, r.costPer1000Pico, r.withinOne])).toEqual([
      [0, 0, 1000, 0.5], // small only
      [0.6, 0.25, 3500, 0.75], // c escalated
      [0.7, 0.5, 6000, 1], // c and d escalated
      [1, 1, 11_000, 1], // everything escalated: dearer than large alone
    ]);
  });

  it('recommends the cheapest threshold that reaches the target, and says so', () => {
    const c = computeCalibration({ small, large, thresholds: [0, 0.6, 0.7, 1], target: 0.98 });
    expect(c.recommended).toMatchObject({ escalateBelow: 0.7, met: true });
    expect(c.recommended.rule).toContain(
      'cheapest threshold whose ±1 agreement with the large model is at least 98%',
    );
  });

  it('falls back to the best-agreeing threshold, the cheaper on a tie, when none reaches the target', () => {
    const c = computeCalibration({ small, large, thresholds: [0, 0.6], target: 0.98 });
    expect(c.recommended).toMatchObject({ escalateBelow: 0.6, met: false });
    const tie = computeCalibration({ small, large, thresholds: [0.7, 1], target: 1.01 });
    expect(tie.recommended.escalateBelow).toBe(0.7);
    expect(tie.recommended.rule).toContain('no threshold reaches 101%');
  });

  it('leaves out listings only one model scored, or whose content differs, and refuses when none is shared', () => {
    const c = computeCalibration({
      small: [...small, listing('e', 5, 0.9, 1)],
      large: [...large, listing('f', 5, 0.9, 10)],
      thresholds: [0],
    });
    expect([c.compared, c.onlySmall, c.onlyLarge]).toEqual([4, 1, 1]);
    expect(() =>
      computeCalibration({ small: [small[0]!], large: [{ ...large[0]!, contentHash: 'other' }] }),
    ).toThrow(CalibrationError);
  });
});

describe('the calibration sample', () => {
  const records = Array.from({ length: 100 }, (_, i) => `line ${i}`);

  it('is the same for the same seed, different for another, in feed order, and of the asked size', () => {
    const a = sampleRecords(records, 10, 7);
    expect(a).toHaveLength(10);
    expect(sampleRecords(records, 10, 7)).toEqual(a);
    expect(sampleRecords(records, 10, 8)).not.toEqual(a);
    expect([...a].sort((x, y) => Number(x.slice(5)) - Number(y.slice(5)))).toEqual(a);
  });

  it('takes everything when asked for more than there is', () => {
    expect(sampleRecords(records.slice(0, 3), 10, 1)).toEqual(records.slice(0, 3));
  });
});
