import { Counter, Histogram, Registry } from 'prom-client';
import { LlmErrorType } from '../scoring/error-types';
import type { RejectionCode } from '../scoring/validate';
import { DEAD_LETTER_REASONS, PipelineErrorType, type DeadLetterReason } from '../shared/messages';

export { serveMetrics, type MetricsServer, type ServeMetricsOptions } from './metrics-server';
export { metricKey, parsePrometheusText, sumSamples, type Samples } from './metrics-text';

export type LlmRoute = 'sync' | 'batch';
export type LlmOutcome = 'ok' | 'error' | 'invalid_output';
export type ValidationReason = RejectionCode;

export interface LlmCallSample {
  model: string;
  route: LlmRoute;
  outcome: LlmOutcome;
  /** The classified type (`LlmErrorType`); ignored unless `outcome` is 'error'. */
  errorType?: string;
  durationMs: number;
  /** All prompt tokens, cached ones included (OpenAI's `prompt_tokens`). */
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** The pipeline's own metrics; every method is cheap and synchronous, safe on any hot path. */
export interface PipelineMetrics {
  readonly registry: Registry;
  /** The name prefix, `scoreline_` unless overridden. */
  readonly prefix: string;
  llmCall(sample: LlmCallSample): void;
  /** A further attempt will be made after a failed call. */
  retry(sample: { model: string; errorType: string }): void;
  validation(sample: { model: string; valid: boolean; reason?: ValidationReason }): void;
  /** `count` for a batch parked at once (`deadLetterMany`). */
  deadLetter(sample: { reason: DeadLetterReason; errorType?: string; count?: number }): void;
  /** `count` for the hits found while planning a chunk. */
  cacheHit(sample: { model: string; count?: number }): void;
  scored(sample: { model: string; route: LlmRoute; score: number }): void;
  budgetBlocked(): void;
  breakerOpened(): void;
  /** The registry in the text exposition format. */
  text(): Promise<string>;
}

export interface MetricsOptions {
  prefix?: string;
  /**
   * The models the worker is configured with; any other value is recorded as 'other'. Without
   * it, the first `maxModels` distinct names are kept and later ones become 'other'.
   */
  models?: readonly string[];
  maxModels?: number;
}

/** Roughly log-spaced from a fast cached answer to a slow reasoning model near its timeout. */
export const LLM_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90, 120];
/** One bucket per integer score, so `le="7"` minus `le="6"` is the count of sevens. */
export const SCORE_BUCKETS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Label values allowed for `error_type`; anything else is 'other', so a bug cannot explode cardinality. */
export const ERROR_TYPE_LABELS: ReadonlySet<string> = new Set([
  ...Object.values(LlmErrorType),
  ...Object.values(PipelineErrorType),
]);
const DEAD_LETTER_LABELS: ReadonlySet<string> = new Set(DEAD_LETTER_REASONS);

export function errorTypeLabel(type: string | undefined): string {
  if (type === undefined) return 'none';
  return ERROR_TYPE_LABELS.has(type) ? type : 'other';
}

export function createMetrics(opts: MetricsOptions = {}): PipelineMetrics {
  const prefix = opts.prefix ?? 'scoreline_';
  // A registry per instance: tests and several pipelines in one process never share counters.
  const registry = new Registry();
  const model = modelLabeller(opts.models, opts.maxModels ?? 16);
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name: prefix + name, help, labelNames, registers: [registry] });

  const calls = counter('llm_calls_total', 'LLM calls made, by outcome', [
    'model',
    'route',
    'outcome',
    'error_type',
  ]);
  const tokens = counter(
    'llm_tokens_total',
    'Tokens billed; kind="cached" is the part of kind="prompt" served from the prompt cache',
    ['model', 'route', 'kind'],
  );
  const cost = counter('llm_cost_usd_total', 'Estimated spend in US dollars', ['model', 'route']);
  const duration = new Histogram({
    name: `${prefix}llm_call_duration_seconds`,
    help: 'Wall time of one LLM call, including failed ones',
    labelNames: ['model', 'route', 'outcome'],
    buckets: LLM_DURATION_BUCKETS,
    registers: [registry],
  });
  const retries = counter('llm_retries_total', 'Failed LLM calls that will be attempted again', [
    'model',
    'error_type',
  ]);
  const validations = counter('validation_results_total', 'Model outputs judged by the validation step', [
    'model',
    'result',
    'reason',
  ]);
  const deadLetters = counter('dead_letters_total', 'Listings parked for manual review', [
    'reason',
    'error_type',
  ]);
  const cacheHits = counter('llm_cache_hits_total', 'Scores reused instead of paying for a call', ['model']);
  const scoredTotal = counter('scored_total', 'Listings whose score was persisted', ['model', 'route']);
  const scores = new Histogram({
    name: `${prefix}scores`,
    help: 'Distribution of persisted scores (1..10)',
    labelNames: ['model'],
    buckets: SCORE_BUCKETS,
    registers: [registry],
  });
  const budgetBlocked = counter('budget_blocked_total', 'Calls refused because the spend budget is used up');
  const breakerOpened = counter('breaker_opened_total', 'Times the outage breaker opened');

  return {
    registry,
    prefix,
    llmCall(s) {
      const m = model(s.model);
      calls.inc({
        model: m,
        route: s.route,
        outcome: s.outcome,
        error_type: s.outcome === 'error' ? errorTypeLabel(s.errorType ?? 'other') : 'none',
      });
      // inc(0) would still create the series, which is what we want for a steady dashboard.
      tokens.inc({ model: m, route: s.route, kind: 'prompt' }, nonNegative(s.promptTokens));
      tokens.inc({ model: m, route: s.route, kind: 'cached' }, nonNegative(s.cachedTokens));
      tokens.inc({ model: m, route: s.route, kind: 'completion' }, nonNegative(s.completionTokens));
      cost.inc({ model: m, route: s.route }, nonNegative(s.costUsd));
      duration.observe({ model: m, route: s.route, outcome: s.outcome }, nonNegative(s.durationMs) / 1000);
    },
    retry(s) {
      retries.inc({ model: model(s.model), error_type: errorTypeLabel(s.errorType) });
    },
    validation(s) {
      const reason = s.valid ? 'none' : (s.reason ?? 'other');
      validations.inc({ model: model(s.model), result: s.valid ? 'valid' : 'invalid', reason });
    },
    deadLetter(s) {
      deadLetters.inc(
        {
          reason: DEAD_LETTER_LABELS.has(s.reason) ? s.reason : 'other',
          error_type: errorTypeLabel(s.errorType),
        },
        nonNegative(s.count ?? 1),
      );
    },
    cacheHit(s) {
      cacheHits.inc({ model: model(s.model) }, nonNegative(s.count ?? 1));
    },
    scored(s) {
      const m = model(s.model);
      scoredTotal.inc({ model: m, route: s.route });
      scores.observe({ model: m }, s.score);
    },
    budgetBlocked() {
      budgetBlocked.inc();
    },
    breakerOpened() {
      breakerOpened.inc();
    },
    text: () => registry.metrics(),
  };
}

/** prom-client throws on a negative increment; a bad usage figure must not fail an activity. */
function nonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function modelLabeller(allowed: readonly string[] | undefined, max: number): (model: string) => string {
  if (allowed) {
    const set = new Set(allowed);
    return (m) => (set.has(m) ? m : 'other');
  }
  const seen = new Set<string>();
  return (m) => {
    if (seen.has(m)) return m;
    if (seen.size >= max) return 'other';
    seen.add(m);
    return m;
  };
}
