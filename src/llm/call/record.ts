import { ApplicationFailure } from '@temporalio/common';
import { recordCallSpan } from '../../observability/tracing';
import { nextRetryDelayMs } from '../../scoring/backoff';
import { classifyLlmError } from '../../scoring/errors';
import { validateModelOutput } from '../../scoring/validate';
import type { ScoreCallResult } from '../../shared/messages';
import { picoToUsd } from '../../shared/money';
import type { NewCallRecord } from '../../store/store';
import { OUTPUT_MODE_FALLBACK, OutputModeFallback, type CompletionResult } from '../client';
import { parseRateLimitHeaders, type ProviderLimits } from '../rate-limits/headers';
import type { CallDeps } from './deps';
import { settleTokens, type TokenReservation } from './guards';

/** The call's row as known before it is sent. */
export type CallBase = Pick<
  NewCallRecord,
  | 'runId'
  | 'listingId'
  | 'workflowId'
  | 'attempt'
  | 'model'
  | 'route'
  | 'promptHash'
  | 'promptVersion'
  | 'schemaVersion'
  | 'startedAt'
>;

/** A sent call: its row so far, what it holds of the budgets, and when it left (performance.now()). */
export interface SentCall {
  base: CallBase;
  runDate: string;
  scopes: string[];
  worstCase: number;
  tokens: TokenReservation | undefined;
  started: number;
}

/**
 * A failed call: its budget settled (a mode fallback was answered and billed; every other
 * failure was not), its row recorded, and the ApplicationFailure to throw, typed by
 * `classifyLlmError` with a jittered `nextRetryDelay` because Temporal's backoff has no jitter.
 */
export async function recordFailure(
  deps: CallDeps,
  call: SentCall,
  err: unknown,
  maxAttempts: number | undefined,
): Promise<ApplicationFailure> {
  const { base } = call;
  const billed = err instanceof OutputModeFallback ? err.usage : undefined;
  const costPico = billed ? deps.prices.costPico(base.model, billed, 'sync') : 0;
  await deps.store.settleBudget(call.scopes, call.worstCase, costPico);
  const durationMs = Math.round(performance.now() - call.started);
  const c =
    err instanceof OutputModeFallback
      ? {
          type: OUTPUT_MODE_FALLBACK,
          retryable: true,
          status: err.status,
          retryAfterMs: 0,
          message: `output mode: the server ${err.message}; retrying with response_format json_schema`,
        }
      : classifyLlmError(err);
  const record: NewCallRecord = {
    ...base,
    durationMs,
    promptTokens: billed?.promptTokens ?? 0,
    cachedTokens: billed?.cachedTokens ?? 0,
    completionTokens: billed?.completionTokens ?? 0,
    costPico,
    status: 'error',
    errorType: c.type,
    errorMessage: c.message,
    finishReason: (err instanceof OutputModeFallback && err.output?.finishReason) || null,
    toolArguments: null,
    refusal: null,
  };
  const callId = await deps.store.recordCall(record);
  await settleTokens(deps, call.tokens, billed?.promptTokens, providerLimitsOf(err));
  deps.metrics?.llmCall({
    model: base.model,
    route: 'sync',
    outcome: 'error',
    errorType: c.type,
    durationMs,
    promptTokens: record.promptTokens,
    cachedTokens: record.cachedTokens,
    completionTokens: record.completionTokens,
    costUsd: picoToUsd(costPico),
  });
  const { attempt } = base;
  if (c.retryable && (!maxAttempts || attempt < maxAttempts))
    deps.metrics?.retry({ model: base.model, errorType: c.type });
  const delayMs = c.retryable ? nextRetryDelayMs(attempt, c.retryAfterMs, deps.backoff) : undefined;
  deps.logger.warn(
    {
      event: 'llm_call',
      result: 'error',
      callId,
      ...logFields(record, call.runDate),
      error: c.message,
      errorType: c.type,
      retryable: c.retryable,
      nextRetryDelayMs: delayMs,
    },
    `LLM call failed: ${c.type}`,
  );
  callSpan(record, c.type);
  return ApplicationFailure.create({
    type: c.type,
    message: c.message,
    nonRetryable: !c.retryable,
    nextRetryDelay: delayMs,
    details: [{ attempt, status: c.status, model: base.model }],
  });
}

/** An answered call: budget settled at its real cost, row recorded, logged with a preview verdict. */
export async function recordSuccess(
  deps: CallDeps,
  call: SentCall,
  completion: CompletionResult,
): Promise<ScoreCallResult> {
  const { base } = call;
  const durationMs = Math.round(performance.now() - call.started);
  const costPico = deps.prices.costPico(base.model, completion.usage, 'sync');
  await deps.store.settleBudget(call.scopes, call.worstCase, costPico);
  const record: NewCallRecord = {
    ...base,
    durationMs,
    ...completion.usage,
    costPico,
    status: 'ok',
    errorType: null,
    errorMessage: null,
    finishReason: completion.output.finishReason,
    toolArguments: completion.output.toolArguments,
    refusal: completion.output.refusal,
  };
  const callId = await deps.store.recordCall(record);
  await settleTokens(deps, call.tokens, completion.usage.promptTokens, completion.rateLimits);
  // The verdict here is only for the log line; the validation activity decides what is stored.
  const preview = validateModelOutput(completion.output);
  deps.metrics?.llmCall({
    model: base.model,
    route: 'sync',
    outcome: preview.valid ? 'ok' : 'invalid_output',
    durationMs,
    ...completion.usage,
    costUsd: picoToUsd(costPico),
  });
  deps.logger.info(
    {
      event: 'llm_call',
      result: preview.valid ? 'ok' : 'invalid_output',
      callId,
      ...logFields(record, call.runDate),
      outputMode: completion.outputMode,
      score: preview.valid ? preview.result.score : null,
      error: preview.valid ? null : preview.reason,
    },
    'LLM call completed',
  );
  callSpan(record);
  return {
    callId,
    model: base.model,
    promptTokens: completion.usage.promptTokens,
    completionTokens: completion.usage.completionTokens,
    costPico,
    reused: false,
    route: 'sync',
  };
}

/** The rate-limit headers an SDK error carries (a 429 has them too), if any. */
function providerLimitsOf(err: unknown): ProviderLimits | undefined {
  const headers = (err as { headers?: unknown } | null)?.headers;
  return headers && typeof headers === 'object' ? parseRateLimitHeaders(headers as Headers) : undefined;
}

/** The call as a span (model, tokens, cost), beside its log line. */
function callSpan(r: NewCallRecord, error?: string): void {
  recordCallSpan({
    name: 'llm_call',
    model: r.model,
    route: r.route,
    startedAt: new Date(r.startedAt),
    durationMs: r.durationMs,
    promptTokens: r.promptTokens,
    cachedTokens: r.cachedTokens,
    completionTokens: r.completionTokens,
    costUsd: picoToUsd(r.costPico),
    ...(error === undefined ? {} : { error }),
    attributes: {
      'scoreline.run_id': r.runId,
      'scoreline.listing_id': r.listingId,
      'scoreline.attempt': r.attempt,
    },
  });
}

function logFields(r: NewCallRecord, runDate: string) {
  return {
    model: r.model,
    route: r.route,
    promptHash: r.promptHash,
    durationMs: r.durationMs,
    promptTokens: r.promptTokens,
    cachedTokens: r.cachedTokens,
    completionTokens: r.completionTokens,
    costUsd: picoToUsd(r.costPico),
    attempt: r.attempt,
    workflowId: r.workflowId,
    runId: r.runId,
    runDate,
    listingId: r.listingId,
  };
}
