import { describe, expect, it } from 'vitest';
import { evaluateGoals, goalRow, largestGap } from '../../../bench/lib/goals';
import type { Machine } from '../../../bench/lib/machine';
import { renderReport, table } from '../../../bench/lib/report';

const machine: Machine = {
  cpuModel: 'Test CPU',
  cores: 2,
  ramGb: 4,
  node: 'v20',
  platform: 'linux-x64',
  date: '2026-11-29T00:00:00.000Z',
  loadAverage: [0, 0, 0],
  revision: 'abc123',
};

describe('goals', () => {
  it('states the gap in the goal’s unit, and how many times over a ceiling it is', () => {
    const over = goalRow('cpu', 'atMost', 5, 7.5, (x) => `${x} ms`);
    expect(over).toMatchObject({ met: false, gap: '2.5 ms over (1.5× the target)' });
    expect(over.shortfall).toBeCloseTo(0.5);
    const short = goalRow('throughput', 'atLeast', 0.95, 0.9, (x) => x.toFixed(2));
    expect(short).toMatchObject({ met: false, gap: '0.05 short' });
    expect(goalRow('rss', 'atMost', 400, 300, String)).toMatchObject({ met: true, shortfall: 0 });
    expect(goalRow('x', 'atMost', 1, undefined, String)).toMatchObject({
      met: null,
      measured: 'not measured',
    });
  });

  it('names the unmet goal furthest from its target', () => {
    const goals = [
      goalRow('a', 'atMost', 5, 6, String),
      goalRow('b', 'atMost', 0.01, 0.05, String),
      goalRow('c', 'atLeast', 0.95, 1, String),
    ];
    expect(largestGap(goals)?.goal).toBe('b');
    expect(largestGap([goals[2] as (typeof goals)[number]])).toBeUndefined();
  });

  it('evaluates only what ran, and the report renders without any phase', () => {
    const base = { machine, options: {}, startedAt: '', finishedAt: '' };
    const goals = evaluateGoals(base);
    expect(goals.every((g) => g.met === null)).toBe(true);
    const md = renderReport({ ...base, goals });
    expect(md).toContain('Test CPU · 2 cores');
    expect(md).toContain('| goal | target | measured | gap | met |');
  });

  it('escapes pipes inside table cells', () => {
    expect(table(['a'], [['x | y']])).toContain('x \\| y');
  });
});
