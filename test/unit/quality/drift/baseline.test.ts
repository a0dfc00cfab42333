import { describe, expect, it } from 'vitest';
import { buildBaseline } from '../../../../src/quality/drift';
import { run } from './helpers';

describe('buildBaseline', () => {
  it('returns null until there are minRuns previous runs (3 by default)', () => {
    expect(buildBaseline([], { window: 7 })).toBeNull();
    expect(buildBaseline([run(1), run(2)], { window: 7 })).toBeNull();
    expect(buildBaseline([run(1), run(2), run(3)], { window: 7 })?.runIds).toHaveLength(3);
    expect(buildBaseline([run(1), run(2)], { window: 7, minRuns: 2 })).not.toBeNull();
  });

  it('pools the most recent `window` runs by date, whatever order they arrive in', () => {
    const runs = [run(5), run(1), run(4), run(2), run(3)];
    const b = buildBaseline(runs, { window: 3 });
    expect(b?.runIds).toEqual(['run-2026-03-03', 'run-2026-03-04', 'run-2026-03-05']);
    expect(b?.fromDate).toBe('2026-03-03');
    expect(b?.toDate).toBe('2026-03-05');
    expect(b?.histogram).toEqual([2100, 1440, 1080, 750, 390, 150, 60, 24, 6, 0]);
  });

  it('averages rates per run but weights mean confidence by each run’s scored count', () => {
    const b = buildBaseline(
      [
        run(1, { histogram: [100, 0, 0, 0, 0, 0, 0, 0, 0, 0], meanConfidence: 0.5, refusalRate: 0.01 }),
        run(2, { histogram: [300, 0, 0, 0, 0, 0, 0, 0, 0, 0], meanConfidence: 0.9, refusalRate: 0.03 }),
        // Nothing scored: its confidence figure means nothing and must not pull the mean.
        run(3, { histogram: Array<number>(10).fill(0), meanConfidence: 0, refusalRate: 0.05 }),
      ],
      { window: 3 },
    );
    expect(b?.meanConfidence).toBeCloseTo((0.5 * 100 + 0.9 * 300) / 400, 12);
    expect(b?.refusalRate).toBeCloseTo(0.03, 12);
    expect(b?.validationFailureRate).toBeCloseTo(0.02, 12);
  });

  it('has no mean confidence when no run scored anything, and no dead-letter rate when none reports one', () => {
    const empty = Array<number>(10).fill(0);
    const b = buildBaseline(
      [1, 2, 3].map((day) => run(day, { histogram: empty })),
      { window: 3 },
    );
    expect(b?.meanConfidence).toBeNull();
    expect(b?.deadLetterRate).toBeNull();
    const withDeadLetters = buildBaseline(
      [run(1, { deadLetterRate: 0.01 }), run(2, { deadLetterRate: 0.03 }), run(3)],
      {
        window: 3,
      },
    );
    expect(withDeadLetters?.deadLetterRate).toBeCloseTo(0.02, 12);
  });

  it('rejects a bad window, a minRuns the window can never reach and figures that cannot be right', () => {
    expect(() => buildBaseline([], { window: 0 })).toThrow(/window/);
    expect(() => buildBaseline([], { window: 2, minRuns: 3 })).toThrow(/minRuns/);
    expect(() => buildBaseline([run(1, { refusalRate: 2 })], { window: 3 })).toThrow(/refusalRate/);
    expect(() => buildBaseline([run(1, { histogram: [1, 2, 3] })], { window: 3 })).toThrow(/10 buckets/);
  });
});
