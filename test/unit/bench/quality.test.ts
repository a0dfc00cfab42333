import { describe, expect, it } from 'vitest';
import { agreement, errorVsTruth } from '../../../bench/lib/quality';

const m = (entries: Array<[string, number]>) => new Map(entries);

describe('score agreement', () => {
  it('compares only listings both sides scored', () => {
    const a = agreement(
      m([
        ['a', 5],
        ['b', 7],
        ['c', 2],
        ['x', 9],
      ]),
      m([
        ['a', 5],
        ['b', 8],
        ['c', 4],
        ['y', 1],
      ]),
    );
    expect(a.compared).toBe(3);
    expect(a.within1).toBeCloseTo(2 / 3);
    expect(a.exact).toBeCloseTo(1 / 3);
  });

  it('is zero, not NaN, with nothing in common', () => {
    expect(agreement(m([['a', 1]]), m([]))).toEqual({ compared: 0, within1: 0, exact: 0 });
  });

  it('measures mean absolute error and exact hits against the truth', () => {
    const e = errorVsTruth(
      m([
        ['a', 5],
        ['b', 7],
        ['c', 1],
      ]),
      m([
        ['a', 5],
        ['b', 4],
      ]),
    );
    expect(e.compared).toBe(2);
    expect(e.mae).toBeCloseTo(1.5);
    expect(e.exact).toBeCloseTo(0.5);
  });
});
