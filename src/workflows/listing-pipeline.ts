import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  PipelineErrorType,
  type ModelQueue,
  type ScoreCallResult,
  type ShardInput,
  type ShardTotals,
} from '../shared/messages';
import { addCall } from '../shared/totals';
import { llmCallOptions, storeStepOptions } from './activity-options';
import type { ModelHealth } from './model-health';

const steps = proxyActivities<Activities>(storeStepOptions);

export type ListingOutcome =
  | { kind: 'scored'; model: string; score: number }
  | {
      kind: 'dead';
      reason: string;
      errorType: string;
      lastError: string;
      attempts: number;
      model: string | null;
    }
  /** Retries ran out on an error that may be the provider's, not the listing's: the shard decides. */
  | { kind: 'transient'; errorType: string; lastError: string; attempts: number; model: string }
  /** No budget left for the call: nothing was sent; the shard waits for a raise. */
  | { kind: 'budget'; lastError: string };

type CallOutcome = ScoreCallResult | Exclude<ListingOutcome, { kind: 'scored' }>;

/**
 * One listing: route → score → validate (one re-ask if invalid) → escalate a low-confidence
 * small-model answer to the large model → persist. Returns what happened; the shard decides
 * about dead letters, outages and budget pauses.
 */
export function createListingPipeline(input: ShardInput, totals: ShardTotals, health: ModelHealth) {
  const proxies = new Map<string, Pick<Activities, 'scoreListing'>>();
  const llm = (taskQueue: string, probe: boolean) => {
    const key = `${taskQueue}|${probe}`;
    let proxy = proxies.get(key);
    if (!proxy) {
      // A probe is one attempt: its job is to ask "is the API back?", not to insist.
      proxy = proxyActivities<Activities>(llmCallOptions(taskQueue, probe ? 1 : input.maxAttempts));
      proxies.set(key, proxy);
    }
    return proxy;
  };

  const call = async (
    listingId: string,
    target: ModelQueue,
    probe: boolean,
    reaskOf?: number,
  ): Promise<CallOutcome> => {
    try {
      const result = await llm(target.taskQueue, probe).scoreListing({
        runId: input.runId,
        listingId,
        model: target.model,
        reaskOf,
      });
      addCall(totals, result);
      health.succeeded(target.model);
      return result;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
      const errorType = cause?.type ?? 'Unknown';
      const lastError = cause?.message ?? err.message;
      if (errorType === PipelineErrorType.BudgetExhausted) return { kind: 'budget', lastError };
      health.failed(target.model, errorType);
      const attempts = attemptsFrom(cause) ?? (probe ? 1 : input.maxAttempts);
      return cause?.nonRetryable
        ? { kind: 'dead', reason: 'non_retryable_error', errorType, lastError, attempts, model: target.model }
        : { kind: 'transient', errorType, lastError, attempts, model: target.model };
    }
  };

  /** A valid answer from `target`, after at most one re-ask, or why there is none. */
  const validAnswer = async (listingId: string, target: ModelQueue, probe: boolean) => {
    let result = await call(listingId, target, probe);
    if ('kind' in result) return result;
    let verdict = await steps.validateScore({ callId: result.callId });
    if (!verdict.valid) {
      result = await call(listingId, target, probe, result.callId);
      if ('kind' in result) return result;
      verdict = await steps.validateScore({ callId: result.callId });
      if (!verdict.valid) {
        const dead: ListingOutcome = {
          kind: 'dead',
          reason: 'invalid_output',
          errorType: 'InvalidModelOutput',
          lastError: verdict.reason,
          attempts: 2,
          model: target.model,
        };
        return dead;
      }
    }
    return { call: result, score: verdict.score, confidence: verdict.confidence };
  };

  return async function scoreOne(listingId: string, probe = false): Promise<ListingOutcome> {
    const route = await steps.routeModel({ runId: input.runId, listingId });
    const answer = await validAnswer(listingId, health.resolve(route, route.fallbacks), probe);
    if ('kind' in answer) return answer;
    let chosen = answer;
    if (route.escalation && !probe && answer.confidence < input.escalateBelow) {
      // FrugalGPT's cascade: the cheap answer stands unless the model itself doubts it.
      totals.escalations++;
      const second = await validAnswer(listingId, health.resolve(route.escalation, route.fallbacks), false);
      if (!('kind' in second)) chosen = second;
    }
    await steps.persistScore({
      runId: input.runId,
      listingId,
      callId: chosen.call.callId,
      scored: { model: chosen.call.model, route: chosen.call.route ?? 'sync', score: chosen.score },
    });
    return { kind: 'scored', model: chosen.call.model, score: chosen.score };
  };
}

function attemptsFrom(failure: ApplicationFailure | undefined): number | undefined {
  const detail = failure?.details?.[0] as { attempt?: unknown } | undefined;
  return typeof detail?.attempt === 'number' ? detail.attempt : undefined;
}
