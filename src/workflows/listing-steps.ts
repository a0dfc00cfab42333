import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  PipelineErrorType,
  type GateResult,
  type ListingOutcome,
  type ModelQueue,
  type ScoreCallResult,
} from '../shared/messages';
import { llmCallOptions } from './activity-options';
import type { ModelHealth } from './model-health';

/*
 * The steps both listing pipelines share (the callback one new shards run, the async one older
 * shards replay with), so each decision has one owner whichever pipeline runs it.
 */

/** The LLM-call proxy for a model's queue, one per queue and kind (a probe or a call). */
export function llmProxies(maxAttempts: number) {
  const proxies = new Map<string, Pick<Activities, 'scoreListing'>>();
  return (taskQueue: string, probe: boolean) => {
    const key = `${taskQueue}|${probe}`;
    let proxy = proxies.get(key);
    if (!proxy) {
      // A probe is one attempt: its job is to ask "is the API back?", not to insist.
      proxy = proxyActivities<Activities>(llmCallOptions(taskQueue, probe ? 1 : maxAttempts));
      proxies.set(key, proxy);
    }
    return proxy;
  };
}

export type CallOutcome = ScoreCallResult | Exclude<ListingOutcome, { kind: 'scored' }>;

/**
 * What a failed LLM call means for its listing: a budget stop, a dead letter (non-retryable),
 * or a transient failure the shard may requeue. Anything but an activity's failure (the shard
 * being cancelled, a bug) is thrown on.
 */
export function failedCall(
  err: unknown,
  target: ModelQueue,
  maxAttempts: number,
  health: ModelHealth,
): CallOutcome {
  if (!(err instanceof ActivityFailure)) throw err;
  const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
  const errorType = cause?.type ?? 'Unknown';
  const lastError = cause?.message ?? err.message;
  if (errorType === PipelineErrorType.BudgetExhausted) return { kind: 'budget', lastError };
  health.failed(target.model, errorType);
  const attempts = attemptsFrom(cause) ?? maxAttempts;
  return cause?.nonRetryable
    ? { kind: 'dead', reason: 'non_retryable_error', errorType, lastError, attempts, model: target.model }
    : { kind: 'transient', errorType, lastError, attempts, model: target.model };
}

/** The dead letter of a listing whose answer and its one re-ask were both invalid. */
export function invalidTwice(lastError: string, model: string): ListingOutcome {
  return {
    kind: 'dead',
    reason: 'invalid_output',
    errorType: 'InvalidModelOutput',
    lastError,
    attempts: 2,
    model,
  };
}

export function scoredOutcome(p: NonNullable<GateResult['persisted']>): ListingOutcome {
  return { kind: 'scored', model: p.model, score: p.score };
}

function attemptsFrom(failure: ApplicationFailure | undefined): number | undefined {
  const detail = failure?.details?.[0] as { attempt?: unknown } | undefined;
  return typeof detail?.attempt === 'number' ? detail.attempt : undefined;
}
