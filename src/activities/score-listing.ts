import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  completeScoring,
  OUTPUT_MODE_FALLBACK,
  OutputModeFallback,
  type CompletionResult,
} from '../llm/client';
import { nextRetryDelayMs } from '../scoring/backoff';
import { classifyLlmError } from '../scoring/errors';
import {
  PROMPT_VERSION,
  buildReaskRequest,
  buildScoringRequest,
  promptHash,
  promptText,
  worstCaseUsage,
  type ChatRequest,
} from '../scoring/prompt';
import { parseRateLimitHeaders, type ProviderLimits } from '../llm/rate-limits/headers';
import type { Reservation } from '../llm/rate-limits/shared-limiter';
import { estimateTokens } from '../scoring/token-bucket';
import { SCHEMA_VERSION } from '../scoring/schema';
import { validateModelOutput } from '../scoring/validate';
import { PipelineErrorType, type ScoreCallResult } from '../shared/messages';
import { recordCallSpan } from '../observability/tracing';
import type { NewCallRecord } from '../store/store';
import type { ActivityDeps } from './deps';
import { budgetScopes, picoToUsd } from '../shared/money';

export interface ScoreListingInput {
  runId: string;
  listingId: string;
  model: string;
  /** The call whose answer failed validation: this call is its one re-ask. */
  reaskOf?: number;
}

/**
 * One Chat Completions call for one listing. The call is recorded before the activity
 * returns, and a successful call for the same prompt in the same run is reused rather than
 * paid for again, so a retry of any later step, a worker crash or a reset never double-bills.
 * Failures leave as ApplicationFailures typed by `classifyLlmError`, carrying a jittered
 * `nextRetryDelay` because Temporal's own backoff has no jitter.
 */
export function makeScoreListing(deps: ActivityDeps) {
  return async function scoreListing(input: ScoreListingInput): Promise<ScoreCallResult> {
    const ctx = Context.current();
    const { attempt, workflowExecution } = ctx.info;
    const [planned, run] = await Promise.all([
      deps.store.getPlannedListing(input.runId, input.listingId),
      deps.store.getRun(input.runId),
    ]);
    if (!planned || !run) {
      throw ApplicationFailure.nonRetryable(
        `listing ${input.listingId} is not in the plan of run ${input.runId}`,
        PipelineErrorType.ListingNotPlanned,
      );
    }
    let request = buildScoringRequest(input.model, run.criteria, planned.listing);
    if (input.reaskOf !== undefined) {
      const rejected = await deps.store.getCall(input.reaskOf);
      if (!rejected || rejected.validation !== 'invalid') {
        throw ApplicationFailure.nonRetryable(
          `call ${input.reaskOf} is not an invalid answer to re-ask`,
          PipelineErrorType.NotValidated,
        );
      }
      request = buildReaskRequest(request, {
        toolArguments: rejected.toolArguments,
        error: rejected.validationError ?? 'invalid',
      });
    }
    const hash = promptHash(request);
    const previous = await deps.store.findReusableCall(input.runId, input.listingId, hash);
    if (previous) {
      return {
        callId: previous.id,
        model: previous.model,
        promptTokens: previous.promptTokens,
        completionTokens: previous.completionTokens,
        // A batch answer was accounted when its batch was collected; a lost sync result was not.
        costPico: previous.route === 'batch' ? 0 : previous.costPico,
        reused: true,
        route: previous.route,
      };
    }

    const scopes = budgetScopes(input.runId, run.runDate);
    // Tokens first: a call that must come back later holds no part of the cost budget meanwhile.
    const tokens = await waitForTokenBudget(deps, input.model, request);
    const worstCase = await reserveWorstCase(deps, scopes, input.model, request).catch(
      async (err: unknown) => {
        if (tokens) await deps.tokenLimiter?.release(tokens.reservation);
        throw err;
      },
    );

    const base = {
      runId: input.runId,
      listingId: input.listingId,
      workflowId: workflowExecution?.workflowId ?? 'unknown',
      attempt,
      model: input.model,
      route: 'sync' as const,
      promptHash: hash,
      promptVersion: PROMPT_VERSION,
      schemaVersion: SCHEMA_VERSION,
      startedAt: new Date().toISOString(),
    };
    const started = performance.now();
    let completion: CompletionResult;
    try {
      // Heartbeats let the server notice a dead worker in seconds instead of waiting out the
      // start-to-close timeout (a SIGKILLed worker's calls otherwise stall two minutes).
      const beat = setInterval(() => ctx.heartbeat(), 5_000);
      try {
        completion = await completeScoring(deps.openai, request, ctx.cancellationSignal, deps.outputModes);
      } finally {
        clearInterval(beat);
      }
    } catch (err) {
      // A mode fallback was answered (and billed) by the server; every other failure was not.
      const billed = err instanceof OutputModeFallback ? err.usage : undefined;
      const costPico = billed ? deps.prices.costPico(input.model, billed, 'sync') : 0;
      await deps.store.settleBudget(scopes, worstCase, costPico);
      const durationMs = Math.round(performance.now() - started);
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
      await settleTokens(deps, tokens, billed?.promptTokens, providerLimitsOf(err));
      deps.metrics?.llmCall({
        model: input.model,
        route: 'sync',
        outcome: 'error',
        errorType: c.type,
        durationMs,
        promptTokens: record.promptTokens,
        cachedTokens: record.cachedTokens,
        completionTokens: record.completionTokens,
        costUsd: picoToUsd(costPico),
      });
      const maxAttempts = ctx.info.retryPolicy?.maximumAttempts;
      if (c.retryable && (!maxAttempts || attempt < maxAttempts))
        deps.metrics?.retry({ model: input.model, errorType: c.type });
      const delayMs = c.retryable ? nextRetryDelayMs(attempt, c.retryAfterMs, deps.backoff) : undefined;
      deps.logger.warn(
        {
          event: 'llm_call',
          result: 'error',
          callId,
          ...logFields(record, run.runDate),
          error: c.message,
          errorType: c.type,
          retryable: c.retryable,
          nextRetryDelayMs: delayMs,
        },
        `LLM call failed: ${c.type}`,
      );
      callSpan(record, c.type);
      throw ApplicationFailure.create({
        type: c.type,
        message: c.message,
        nonRetryable: !c.retryable,
        nextRetryDelay: delayMs,
        details: [{ attempt, status: c.status, model: input.model }],
      });
    }

    const durationMs = Math.round(performance.now() - started);
    const costPico = deps.prices.costPico(input.model, completion.usage, 'sync');
    await deps.store.settleBudget(scopes, worstCase, costPico);
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
    await settleTokens(deps, tokens, completion.usage.promptTokens, completion.rateLimits);
    // The verdict here is only for the log line; the validation activity decides what is stored.
    const preview = validateModelOutput(completion.output);
    deps.metrics?.llmCall({
      model: input.model,
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
        ...logFields(record, run.runDate),
        outputMode: completion.outputMode,
        score: preview.valid ? preview.result.score : null,
        error: preview.valid ? null : preview.reason,
      },
      'LLM call completed',
    );
    callSpan(record);
    return {
      callId,
      model: input.model,
      promptTokens: completion.usage.promptTokens,
      completionTokens: completion.usage.completionTokens,
      costPico,
      reused: false,
      route: 'sync',
    };
  };
}

/** Reserves the call's worst case before it is sent; reservations are atomic in the store. */
async function reserveWorstCase(
  deps: ActivityDeps,
  scopes: string[],
  model: string,
  request: ChatRequest,
): Promise<number> {
  const worst = deps.prices.costPico(model, worstCaseUsage(request));
  const reserved = await deps.store.reserveBudget(scopes, worst);
  if (!reserved.ok) {
    deps.metrics?.budgetBlocked();
    throw ApplicationFailure.create({
      type: PipelineErrorType.BudgetExhausted,
      nonRetryable: true,
      message: `budget ${reserved.scope} has no room for a call that may cost $${picoToUsd(worst).toFixed(6)}`,
    });
  }
  return worst;
}

/** Longest wait for tokens inside an attempt: well inside the 2-minute start-to-close timeout. */
const MAX_TOKEN_WAIT_MS = 75_000;
/** The retryable failure of an attempt that gave its tokens back to wait outside the activity. */
export const TOKEN_BUDGET_WAIT = 'TokenBudgetWait';

interface TokenReservation {
  reservation: Reservation;
  promptEstimate: number;
  maxOutput: number;
}

/**
 * The cluster-wide tokens-per-minute limit: reserve the call's estimated tokens in the shared
 * bucket and wait out the deficit. A wait is capped at a minute so the activity stays well
 * inside its start-to-close timeout; the queue's dispatch rate keeps waits short anyway.
 */
async function waitForTokenBudget(
  deps: ActivityDeps,
  model: string,
  request: ChatRequest,
): Promise<TokenReservation | undefined> {
  const limiter = deps.tokenLimiter;
  if (!limiter) return undefined;
  const promptEstimate = estimateTokens(promptText(request));
  const maxOutput = request.max_completion_tokens;
  const reservation = await limiter.reserve(model, promptEstimate, maxOutput);
  if (reservation.waitMs > MAX_TOKEN_WAIT_MS) {
    // Sending before the wait is over would overdraw the provider (a 429); waiting longer
    // would outlast the start-to-close timeout. Give the tokens back and come back later.
    await limiter.release(reservation);
    throw ApplicationFailure.create({
      type: TOKEN_BUDGET_WAIT,
      message: `the shared ${model} token budget has room in ${Math.round(reservation.waitMs / 1000)} s`,
      nextRetryDelay: reservation.waitMs - MAX_TOKEN_WAIT_MS / 2,
    });
  }
  // In slices, heartbeating, so the heartbeat timeout does not mistake waiting for a dead worker.
  const ctx = Context.current();
  for (let left = reservation.waitMs; left > 0; left -= 5_000) {
    await ctx.sleep(Math.min(5_000, left));
    ctx.heartbeat();
  }
  return { reservation, promptEstimate, maxOutput };
}

/** Settles after the call row is written: a store hiccup here must never lose a paid call's row. */
async function settleTokens(
  deps: ActivityDeps,
  t: TokenReservation | undefined,
  promptTokens: number | undefined,
  limits: ProviderLimits | undefined,
): Promise<void> {
  if (!t || !deps.tokenLimiter) return;
  await deps.tokenLimiter
    .settle(t.reservation, t.promptEstimate, t.maxOutput, promptTokens, limits)
    .catch((err: unknown) =>
      deps.logger.warn({ event: 'token_settle_failed', err }, 'could not settle a token reservation'),
    );
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
