import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ScoreCallResult, ShardInput, ShardTotals } from '../shared/messages';
import { addCall } from '../shared/totals';
import { llmCallOptions, storeStepOptions } from './activity-options';

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
  | { kind: 'transient'; errorType: string; lastError: string; attempts: number; model: string };

/**
 * One listing through route → score → validate → persist, with the single re-ask an invalid
 * answer gets. Returns what happened; the shard decides about dead letters and outages.
 */
export function createListingPipeline(input: ShardInput, totals: ShardTotals) {
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

  return async function scoreOne(listingId: string, probe = false): Promise<ListingOutcome> {
    const route = await steps.routeModel({ runId: input.runId, listingId });
    const call = async (reaskOf?: number): Promise<ScoreCallResult | ListingOutcome> => {
      try {
        const result = await llm(route.taskQueue, probe).scoreListing({
          runId: input.runId,
          listingId,
          model: route.model,
          reaskOf,
        });
        addCall(totals, result);
        return result;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
        const attempts = attemptsFrom(cause) ?? (probe ? 1 : input.maxAttempts);
        const errorType = cause?.type ?? 'Unknown';
        const lastError = cause?.message ?? err.message;
        return cause?.nonRetryable
          ? {
              kind: 'dead',
              reason: 'non_retryable_error',
              errorType,
              lastError,
              attempts,
              model: route.model,
            }
          : { kind: 'transient', errorType, lastError, attempts, model: route.model };
      }
    };

    let result = await call();
    if ('kind' in result) return result;
    let verdict = await steps.validateScore({ callId: result.callId });
    if (!verdict.valid) {
      result = await call(result.callId);
      if ('kind' in result) return result;
      verdict = await steps.validateScore({ callId: result.callId });
      if (!verdict.valid) {
        return {
          kind: 'dead',
          reason: 'invalid_output',
          errorType: 'InvalidModelOutput',
          lastError: verdict.reason,
          attempts: 2,
          model: route.model,
        };
      }
    }
    await steps.persistScore({ runId: input.runId, listingId, callId: result.callId });
    return { kind: 'scored', model: result.model, score: verdict.score };
  };
}

function attemptsFrom(failure: ApplicationFailure | undefined): number | undefined {
  const detail = failure?.details?.[0] as { attempt?: unknown } | undefined;
  return typeof detail?.attempt === 'number' ? detail.attempt : undefined;
}
