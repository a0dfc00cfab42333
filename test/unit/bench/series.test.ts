import { describe, expect, it } from 'vitest';
import { countAt, median, splitSeries, summarizeRate, type Point } from '../../../bench/lib/series';

/** A steady `perSecond` from t0 for `seconds`, sampled every second, with idle samples around it. */
function steady(perSecond: number, seconds: number, t0 = 5000): Point[] {
  const points: Point[] = [
    { t: 0, n: 0 },
    { t: t0, n: 0 },
  ];
  for (let s = 1; s <= seconds; s++) points.push({ t: t0 + s * 1000, n: s * perSecond });
  points.push({ t: t0 + seconds * 1000 + 5000, n: seconds * perSecond });
  return points;
}

describe('rate series', () => {
  it('reads the count at a time from the last sample before it', () => {
    const p = [
      { t: 0, n: 0 },
      { t: 10, n: 5 },
      { t: 20, n: 9 },
    ];
    expect(countAt(p, -1)).toBe(0);
    expect(countAt(p, 15)).toBe(5);
    expect(countAt(p, 20)).toBe(9);
    expect(countAt(p, 99)).toBe(9);
  });

  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });

  it('measures a steady 50 requests/s as 3,000 per minute, ignoring idle time around it', () => {
    const r = summarizeRate(steady(50, 120));
    expect(r.admitted).toBe(6000);
    expect(r.spanMs).toBe(120_000);
    expect(r.perMinute).toBeCloseTo(3000);
    expect(r.sustainedPerMinute).toBeCloseTo(3000);
    expect(r.peakPerWindow).toBe(3000);
  });

  it('keeps an opening burst out of the sustained rate but not out of the span rate', () => {
    const points = steady(50, 120);
    // 3,000 extra in the first second: a full token bucket's allowance.
    for (const p of points) if (p.t > 5000) p.n += 3000;
    const r = summarizeRate(points);
    expect(r.sustainedPerMinute).toBeCloseTo(3000);
    expect(r.perMinute).toBeCloseTo(4500);
    expect(r.peakPerWindow).toBe(6000);
  });

  it('reports nothing for a series that never moves', () => {
    expect(
      summarizeRate([
        { t: 0, n: 4 },
        { t: 1000, n: 4 },
      ]).admitted,
    ).toBe(0);
    expect(summarizeRate([]).perMinute).toBe(0);
  });

  it('splits samples by key, counting a key that appears late as 0 before', () => {
    const s = splitSeries([
      { t: 0, counts: { a: 1 } },
      { t: 1, counts: { a: 2, b: 5 } },
    ]);
    expect(s.a).toEqual([
      { t: 0, n: 1 },
      { t: 1, n: 2 },
    ]);
    expect(s.b).toEqual([
      { t: 0, n: 0 },
      { t: 1, n: 5 },
    ]);
  });
});
