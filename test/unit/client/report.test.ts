import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/client/commands/report';
import { computeReport, type ReportInput } from '../../../src/client/report/compute';
import { orchestrationOf } from '../../../src/client/report/orchestration';
import { renderReportHtml } from '../../../src/client/report/html';
import { noActions } from '../../../src/observability/billable-actions';
import { PriceTable } from '../../../src/scoring/pricing';
import type { CallUsage } from '../../../src/store/store';

const prices = new PriceTable();
const usage = (over: Partial<CallUsage>): CallUsage => ({
  model: 'gpt-4o-mini',
  route: 'sync',
  status: 'ok',
  calls: 1,
  promptTokens: 0,
  cachedTokens: 0,
  completionTokens: 0,
  costPico: 0,
  ...over,
});

function input(over: Partial<ReportInput> = {}): ReportInput {
  return {
    run: {
      runId: 'r<1>',
      runDate: '2026-11-29',
      feedPath: 'f',
      criteria: 'c',
      status: 'completed',
      startedAt: '2026-11-29T06:00:00Z',
      summaryJson: JSON.stringify({ escalations: 3 }),
    },
    totals: {
      planned: 40,
      rejected: 0,
      scored: 36,
      cached: 10,
      deadLettered: 4,
      calls: 0,
      costPico: 0,
      byModel: [],
    },
    usage: [
      // 30 small sync calls: 30k prompt (6k cached), 3k completion.
      usage({
        calls: 30,
        promptTokens: 30_000,
        cachedTokens: 6_000,
        completionTokens: 3_000,
        costPico: prices.costPico('gpt-4o-mini', {
          promptTokens: 30_000,
          cachedTokens: 6_000,
          completionTokens: 3_000,
        }),
      }),
      usage({
        route: 'batch',
        calls: 10,
        promptTokens: 10_000,
        completionTokens: 1_000,
        costPico: prices.costPico(
          'gpt-4o-mini',
          { promptTokens: 10_000, cachedTokens: 0, completionTokens: 1_000 },
          'batch',
        ),
      }),
      usage({
        model: 'gpt-4o',
        calls: 3,
        promptTokens: 3_000,
        completionTokens: 300,
        costPico: prices.costPico('gpt-4o', { promptTokens: 3_000, cachedTokens: 0, completionTokens: 300 }),
      }),
      usage({ status: 'error', calls: 4 }),
    ],
    cacheSource: { hits: 10, promptTokens: 10_000, cachedTokens: 0, completionTokens: 1_000 },
    histogram: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    deadLetters: ['non_retryable_error', 'retries_exhausted', 'non_retryable_error', 'invalid_output'].map(
      (reason, i) => ({
        runId: 'r',
        listingId: `j${i}`,
        reason,
        errorType: 'x',
        lastError: 'x',
        attempts: 1,
        model: null,
        createdAt: '',
        status: 'open' as const,
        note: null,
      }),
    ),
    largeModel: 'gpt-4o',
    prices,
    ...over,
  };
}

describe('cost report arithmetic', () => {
  const r = computeReport(input());

  it('totals the call log, by model and by route', () => {
    // small sync: 24k×0.15 + 6k×0.075 + 3k×0.6 = 3600+450+1800 = $0.00585; batch: (10k×0.15 + 1k×0.6)/2 = $0.00105;
    // large: 3k×2.5 + 300×10 = $0.0105.
    expect(r.costPico).toBe(5_850_000_000 + 1_050_000_000 + 10_500_000_000);
    expect(r.calls).toBe(47);
    expect(r.failedCalls).toBe(4);
    expect(r.byModel.map((m) => [m.model, m.calls, m.costPico])).toEqual([
      ['gpt-4o', 3, 10_500_000_000],
      ['gpt-4o-mini', 44, 6_900_000_000],
    ]);
    expect(r.byRoute.map((m) => [m.route, m.costPico])).toEqual([
      ['sync', 16_350_000_000],
      ['batch', 1_050_000_000],
    ]);
    expect(r.byModelRoute).toHaveLength(3);
  });

  it('gives cost per 1,000 planned listings, cache hit and escalation rates', () => {
    expect(r.costPer1000Pico).toBe((17_400_000_000 / 40) * 1000);
    expect(r.cacheHitRate).toBe(10 / 40);
    // Escalations over the listings that went to an LLM (planned − cache hits).
    expect(r.escalations).toBe(3);
    expect(r.escalationRate).toBe(3 / 30);
    expect(r.deadLettersByReason).toEqual([
      { reason: 'non_retryable_error', count: 2 },
      { reason: 'invalid_output', count: 1 },
      { reason: 'retries_exhausted', count: 1 },
    ]);
    expect(r.histogram).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 0]);
  });

  it('re-prices every successful call and every cache hit at the large model’s sync price', () => {
    if (!('estimatePico' in r.allLarge)) throw new Error('expected an estimate');
    const large = (p: number, c: number, o: number) =>
      prices.costPico('gpt-4o', { promptTokens: p, cachedTokens: c, completionTokens: o });
    const expected =
      large(30_000, 6_000, 3_000) + large(10_000, 0, 1_000) + large(3_000, 0, 300) + large(10_000, 0, 1_000);
    expect(r.allLarge.estimatePico).toBe(expected);
    expect(r.allLarge.callsRepriced).toBe(43);
    expect(r.allLarge.cacheHitsRepriced).toBe(10);
    expect(r.allLarge.savedPico).toBe(expected - r.costPico);
    expect(r.allLarge.estimatePico).toBeGreaterThan(r.costPico);
    expect(r.method).toContain('gpt-4o');
  });

  it('says n/a rather than inventing figures', () => {
    const empty = computeReport(
      input({
        run: { ...input().run, summaryJson: null, status: 'running' },
        totals: { ...input().totals, planned: 0, cached: 0 },
        usage: [],
        largeModel: 'gpt-unpriced',
      }),
    );
    expect(empty.costPer1000Pico).toBeNull();
    expect(empty.cacheHitRate).toBeNull();
    expect(empty.escalationRate).toBeNull();
    expect(empty.allLarge).toEqual({
      model: 'gpt-unpriced',
      unavailable: 'no price for gpt-unpriced in the price table',
    });
  });

  it('renders one self-contained HTML file with inline SVG charts and escaped text', () => {
    const html = renderReportHtml(r, new Date('2026-11-29T12:00:00Z'));
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
    expect(html).toContain('r&#60;1&#62;');
    expect(html).not.toContain('r<1>');
    expect(html).toContain('gpt-4o-mini · batch');
  });

  it('prices the counted Temporal actions per million and shows them next to the LLM cost', () => {
    const actions = { ...noActions(), workflowStarts: 3, childStarts: 2, activityAttempts: 45, total: 50 };
    const o = orchestrationOf({ actions, executions: 3, historyEvents: 400 }, 40, 50);
    // 50 actions at $50 per million: $0.0025, i.e. 2.5e9 pico-dollars.
    expect(o).toMatchObject({ actions: 50, perListing: 1.25, usdPerMillion: 50, costPico: 2_500_000_000 });
    expect(o.byKind).toMatchObject({ activityAttempts: 45, childStarts: 2 });
    expect(orchestrationOf({ actions, executions: 3, historyEvents: 400 }, 0, 25).perListing).toBeNull();
    const withOrchestration = { ...r, orchestration: o };
    expect(formatReport(withOrchestration)).toMatch(
      /orchestration {7}\$0\.0025 for 50 Temporal actions \(1\.25 per listing, \$50 per million\) next to \$\d/,
    );
    expect(renderReportHtml(withOrchestration)).toContain('50 Temporal actions, 1.25 per listing at $50/M');
    const unavailable = { ...r, orchestration: { unavailable: 'cannot reach Temporal at x' } };
    expect(formatReport(unavailable)).toContain(
      'orchestration       not counted: cannot reach Temporal at x',
    );
    expect(formatReport(r)).not.toContain('orchestration');
  });
});
