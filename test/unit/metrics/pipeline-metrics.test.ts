import { describe, expect, it } from 'vitest';
import {
  createMetrics,
  metricKey,
  parsePrometheusText,
  sumSamples,
  type LlmCallSample,
} from '../../../src/observability/metrics';
import { validateModelOutput } from '../../../src/scoring/validate';
import type { DeadLetterReason } from '../../../src/shared/messages';

const MODEL = 'gpt-4.1-mini';

function call(over: Partial<LlmCallSample> = {}): LlmCallSample {
  return {
    model: MODEL,
    route: 'sync',
    outcome: 'ok',
    durationMs: 1_500,
    promptTokens: 1_000,
    cachedTokens: 400,
    completionTokens: 50,
    costUsd: 0.0002,
    ...over,
  };
}

async function scrape(metrics: ReturnType<typeof createMetrics>) {
  return parsePrometheusText(await metrics.text());
}

describe('pipeline metrics', () => {
  it('counts LLM calls by outcome and a bounded error type, and sums tokens and cost', async () => {
    const metrics = createMetrics();
    metrics.llmCall(call());
    metrics.llmCall(call({ costUsd: 0.0003 }));
    metrics.llmCall(call({ outcome: 'invalid_output' }));
    metrics.llmCall(
      call({ outcome: 'error', errorType: 'LlmRateLimited', promptTokens: 0, cachedTokens: 0, costUsd: 0 }),
    );
    // A message or an id passed by mistake must not become a label value.
    metrics.llmCall(call({ outcome: 'error', errorType: 'socket hang up at 10.0.0.7', costUsd: 0 }));
    const s = await scrape(metrics);

    const calls = (outcome: string, errorType: string) =>
      s[
        metricKey('scoreline_llm_calls_total', {
          model: MODEL,
          route: 'sync',
          outcome,
          error_type: errorType,
        })
      ];
    expect(calls('ok', 'none')).toBe(2);
    expect(calls('invalid_output', 'none')).toBe(1);
    expect(calls('error', 'LlmRateLimited')).toBe(1);
    expect(calls('error', 'other')).toBe(1);
    expect(sumSamples(s, 'scoreline_llm_calls_total')).toBe(5);

    const tokens = (kind: string) =>
      s[metricKey('scoreline_llm_tokens_total', { model: MODEL, route: 'sync', kind })];
    expect(tokens('prompt')).toBe(4_000);
    expect(tokens('cached')).toBe(1_600);
    expect(tokens('completion')).toBe(250);
    expect(s[metricKey('scoreline_llm_cost_usd_total', { model: MODEL, route: 'sync' })]).toBeCloseTo(
      0.0002 + 0.0003 + 0.0002,
      12,
    );
  });

  it('puts call durations in second buckets per outcome, from 0.1 s to 120 s', async () => {
    const metrics = createMetrics();
    for (const ms of [80, 450, 1_500, 1_900, 95_000, 300_000]) metrics.llmCall(call({ durationMs: ms }));
    metrics.llmCall(call({ outcome: 'error', errorType: 'LlmTimeout', durationMs: 120_000 }));
    const s = await scrape(metrics);
    const bucket = (le: string, outcome = 'ok') =>
      s[
        metricKey('scoreline_llm_call_duration_seconds_bucket', { model: MODEL, route: 'sync', outcome, le })
      ];

    expect(bucket('0.1')).toBe(1);
    expect(bucket('0.5')).toBe(2);
    expect(bucket('2')).toBe(4);
    expect(bucket('90')).toBe(4);
    expect(bucket('120')).toBe(5);
    expect(bucket('+Inf')).toBe(6);
    expect(bucket('120', 'error')).toBe(1);
    const base = { model: MODEL, route: 'sync', outcome: 'ok' };
    expect(s[metricKey('scoreline_llm_call_duration_seconds_count', base)]).toBe(6);
    expect(s[metricKey('scoreline_llm_call_duration_seconds_sum', base)]).toBeCloseTo(398.93, 6);
  });

  it('records retries, validation verdicts, dead letters, cache hits and budget and breaker events', async () => {
    const metrics = createMetrics();
    metrics.retry({ model: MODEL, errorType: 'LlmServerError' });
    metrics.retry({ model: MODEL, errorType: 'LlmServerError' });
    metrics.validation({ model: MODEL, valid: true });
    metrics.validation({ model: MODEL, valid: false, reason: 'schema' });
    metrics.validation({ model: MODEL, valid: false, reason: 'json' });
    metrics.validation({ model: MODEL, valid: false });
    metrics.deadLetter({ reason: 'retries_exhausted', errorType: 'LlmServerError' });
    metrics.deadLetter({ reason: 'invalid_output', errorType: 'InvalidModelOutput' });
    // A word the type does not know (an old history's, say) is still bounded to 'other'.
    metrics.deadLetter({ reason: 'listing L-42 exploded' as DeadLetterReason });
    metrics.deadLetter({ reason: 'budget_exhausted', errorType: 'BudgetExhausted', count: 40 });
    metrics.cacheHit({ model: MODEL });
    metrics.cacheHit({ model: MODEL, count: 9 });
    metrics.budgetBlocked();
    metrics.breakerOpened();
    metrics.breakerOpened();
    const s = await scrape(metrics);

    expect(s[metricKey('scoreline_llm_retries_total', { model: MODEL, error_type: 'LlmServerError' })]).toBe(
      2,
    );
    const verdict = (result: string, reason: string) =>
      s[metricKey('scoreline_validation_results_total', { model: MODEL, result, reason })];
    expect(verdict('valid', 'none')).toBe(1);
    expect(verdict('invalid', 'schema')).toBe(1);
    expect(verdict('invalid', 'json')).toBe(1);
    expect(verdict('invalid', 'other')).toBe(1);
    const letters = (reason: string, errorType: string) =>
      s[metricKey('scoreline_dead_letters_total', { reason, error_type: errorType })];
    expect(letters('retries_exhausted', 'LlmServerError')).toBe(1);
    expect(letters('invalid_output', 'InvalidModelOutput')).toBe(1);
    expect(letters('other', 'none')).toBe(1);
    expect(letters('budget_exhausted', 'BudgetExhausted')).toBe(40);
    expect(s[metricKey('scoreline_llm_cache_hits_total', { model: MODEL })]).toBe(10);
    expect(s['scoreline_budget_blocked_total']).toBe(1);
    expect(s['scoreline_breaker_opened_total']).toBe(2);
  });

  it('keeps a histogram of persisted scores with one bucket per score', async () => {
    const metrics = createMetrics();
    for (const score of [1, 7, 7, 8, 10]) metrics.scored({ model: MODEL, route: 'batch', score });
    const s = await scrape(metrics);
    const le = (b: string) => s[metricKey('scoreline_scores_bucket', { model: MODEL, le: b })];

    expect(s[metricKey('scoreline_scored_total', { model: MODEL, route: 'batch' })]).toBe(5);
    expect(le('1')).toBe(1);
    expect(le('6')).toBe(1);
    expect((le('7') ?? 0) - (le('6') ?? 0)).toBe(2);
    expect(le('10')).toBe(5);
    expect(s[metricKey('scoreline_scores_sum', { model: MODEL })]).toBe(33);
  });

  it('caps the model label to the configured models, or to the first few names seen', async () => {
    const allowed = createMetrics({ models: [MODEL] });
    allowed.cacheHit({ model: MODEL });
    allowed.cacheHit({ model: 'some-typo' });
    const a = await scrape(allowed);
    expect(a[metricKey('scoreline_llm_cache_hits_total', { model: MODEL })]).toBe(1);
    expect(a[metricKey('scoreline_llm_cache_hits_total', { model: 'other' })]).toBe(1);

    const capped = createMetrics({ maxModels: 2 });
    for (const model of ['m1', 'm2', 'm3', 'm4', 'm1']) capped.cacheHit({ model });
    const c = await scrape(capped);
    expect(c[metricKey('scoreline_llm_cache_hits_total', { model: 'm1' })]).toBe(2);
    expect(c[metricKey('scoreline_llm_cache_hits_total', { model: 'other' })]).toBe(2);
  });

  it('never fails the caller on a negative or missing usage figure', async () => {
    const metrics = createMetrics();
    expect(() =>
      metrics.llmCall(call({ promptTokens: -1, costUsd: Number.NaN, durationMs: -5 })),
    ).not.toThrow();
    const s = await scrape(metrics);
    expect(s[metricKey('scoreline_llm_tokens_total', { model: MODEL, route: 'sync', kind: 'prompt' })]).toBe(
      0,
    );
  });

  it('gives each instance its own registry and honours a custom prefix', async () => {
    const a = createMetrics();
    const b = createMetrics();
    const c = createMetrics({ prefix: 'bench_' });
    a.budgetBlocked();
    c.budgetBlocked();
    expect((await scrape(a))['scoreline_budget_blocked_total']).toBe(1);
    expect((await scrape(b))['scoreline_budget_blocked_total']).toBe(0);
    expect((await scrape(c))['bench_budget_blocked_total']).toBe(1);
  });

  it('gives every rejection the validator makes a fixed code for the metric label', () => {
    const reason = (o: Parameters<typeof validateModelOutput>[0]) => {
      const v = validateModelOutput(o);
      return v.valid ? 'valid' : v.code;
    };
    expect(reason({ finishReason: 'stop', toolArguments: null, refusal: 'I cannot help' })).toBe('refusal');
    expect(reason({ finishReason: 'length', toolArguments: '{"sc', refusal: null })).toBe('truncated');
    expect(reason({ finishReason: 'stop', toolArguments: '{"score":', refusal: null })).toBe('json');
    expect(reason({ finishReason: 'stop', toolArguments: '{"score":42}', refusal: null })).toBe('schema');
    expect(reason({ finishReason: 'stop', toolArguments: null, refusal: null })).toBe('no_tool_call');
  });
});
