import { describe, expect, it } from 'vitest';
import { baselineCandidates, judgeRun, runQualityOf, type RunFigures } from '../../../src/quality/gate';
import type { RunQuality } from '../../../src/quality/drift';
import type { QualityReport } from '../../../src/shared/quality';
import type { RunQualityCounts, RunRecord } from '../../../src/store/store';

const counts = (over: Partial<RunQualityCounts> = {}): RunQualityCounts => ({
  histogram: [10, 20, 30, 40, 50, 50, 40, 30, 20, 10],
  confidenceSum: 300 * 0.8,
  answered: 400,
  invalid: 8,
  refusals: 2,
  canaries: [],
  ...over,
});

const figures = (over: Partial<RunFigures> = {}): RunFigures => ({
  runId: 'r',
  runDate: '2026-11-29',
  counts: counts(),
  llmScored: 250,
  escalations: 25,
  planned: 310,
  deadLettered: 10,
  ...over,
});

const quality = (runId: string, runDate: string, over: Partial<RunQuality> = {}): RunQuality => ({
  ...runQualityOf(figures({ runId, runDate }), new Map()),
  ...over,
});

const stored = (
  q: RunQuality,
  report: Partial<QualityReport> = {},
  over: Partial<RunRecord> = {},
): RunRecord => ({
  runId: q.runId,
  runDate: q.runDate,
  feedPath: 'feeds/x.jsonl',
  criteria: 'c',
  status: 'completed',
  startedAt: `${q.runDate}T06:00:00.000Z`,
  summaryJson: JSON.stringify({
    quality: {
      quality: q,
      drift: { drifted: false, summary: '', baselineRuns: 3, checks: [] },
      publication: 'published',
      ...report,
    },
  }),
  ...over,
});

const history = ['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28'].map((d, i) =>
  stored(quality(`d${i}`, d)),
);
const gate = { gate: 'alarm' as const, baselineRuns: 7, minBaselineRuns: 3, rerun: false };

describe('runQualityOf', () => {
  it('turns the store’s counts into rates and attaches each canary’s band', () => {
    const q = runQualityOf(
      figures({
        counts: counts({
          canaries: [
            { listingId: 'canary-a', score: 9 },
            { listingId: 'canary-gone', score: 1 },
          ],
        }),
      }),
      new Map([['canary-a', [8, 10]]]),
    );
    expect(q.meanConfidence).toBeCloseTo(0.8, 9);
    expect(q.validationFailureRate).toBeCloseTo(0.02, 9);
    expect(q.refusalRate).toBeCloseTo(0.005, 9);
    expect(q.escalationRate).toBeCloseTo(0.1, 9);
    expect(q.deadLetterRate).toBeCloseTo(10 / 310, 9);
    expect(q.canaries).toStrictEqual([{ listingId: 'canary-a', score: 9, expectedBand: [8, 10] }]);
  });

  it('reports zero rates, not NaN, for a run that scored nothing', () => {
    const q = runQualityOf(
      figures({
        counts: counts({
          histogram: Array(10).fill(0),
          confidenceSum: 0,
          answered: 0,
          invalid: 0,
          refusals: 0,
        }),
        llmScored: 0,
        planned: 0,
      }),
      new Map(),
    );
    expect([q.meanConfidence, q.validationFailureRate, q.escalationRate, q.deadLetterRate]).toStrictEqual([
      0, 0, 0, 0,
    ]);
  });
});

describe('baselineCandidates', () => {
  it('pools runs that passed or were approved, never unapproved drift, unjudged runs, re-runs or unreadable summaries', () => {
    const drifted = quality('drifted', '2026-11-20');
    const approved = quality('approved', '2026-11-21');
    const runs = [
      ...history,
      stored(drifted, { drift: { drifted: true, summary: '', baselineRuns: 3, checks: [] } }),
      stored(approved, {
        drift: { drifted: true, summary: '', baselineRuns: 3, checks: [] },
        review: { approve: true, note: 'new model version, checked by hand', at: '2026-11-21T09:00:00Z' },
      }),
      stored(quality('rerun', '2026-11-22'), {}, { feedPath: 'rerun-of:d1' }),
      stored(quality('unjudged', '2026-11-19'), { drift: null }),
      { ...stored(quality('broken', '2026-11-23')), summaryJson: '{not json' },
      { ...stored(quality('old', '2026-11-24')), summaryJson: '{"runId":"old"}' },
    ];
    expect(baselineCandidates(runs).map((q) => q.runId)).toStrictEqual(['d0', 'd1', 'd2', 'd3', 'approved']);
  });
});

describe('judgeRun', () => {
  it('publishes a run like its baseline', () => {
    const report = judgeRun(quality('today', '2026-11-29'), history, gate);
    expect(report.drift?.drifted).toBe(false);
    expect(report.drift?.baselineRuns).toBe(4);
    expect(report.publication).toBe('published');
  });

  it('flags a shifted score distribution, and holds it only when the gate quarantines', () => {
    const shifted = quality('today', '2026-11-29', { histogram: [0, 0, 10, 20, 30, 40, 50, 50, 40, 60] });
    const alarm = judgeRun(shifted, history, gate);
    expect(alarm.drift?.drifted).toBe(true);
    expect(alarm.drift?.checks.filter((c) => c.failed).map((c) => c.name)).toContain('score-psi');
    expect(alarm.publication).toBe('published');
    expect(judgeRun(shifted, history, { ...gate, gate: 'quarantine' }).publication).toBe('held');
  });

  it('judges by canaries alone before enough earlier runs exist', () => {
    const offBand = quality('today', '2026-11-29', {
      canaries: [{ listingId: 'canary-a', score: 3, expectedBand: [8, 10] }],
    });
    const report = judgeRun(offBand, history.slice(0, 2), gate);
    expect(report.drift?.baselineRuns).toBe(0);
    expect(report.drift?.drifted).toBe(true);
    expect(report.drift?.summary).toMatch(/no baseline yet/);
  });

  it('records but does not judge a re-run, nor any run with the gate off', () => {
    const shifted = quality('today', '2026-11-29', { histogram: [0, 0, 0, 0, 0, 0, 0, 0, 0, 300] });
    expect(judgeRun(shifted, history, { ...gate, rerun: true })).toMatchObject({
      drift: null,
      publication: 'published',
    });
    expect(judgeRun(shifted, history, { ...gate, gate: 'off' })).toMatchObject({
      drift: null,
      publication: 'published',
    });
  });
});
