import { ApplicationFailure } from '@temporalio/activity';
import { modelTaskQueue } from '../config';
import { listingFeatures, routeListing } from '../scoring/routing';
import { PipelineErrorType, type RouteResult } from '../shared/messages';
import type { ActivityDeps } from './deps';

export function makeRouteModel(deps: ActivityDeps) {
  /** Chooses the model before any call is paid for, and the queue whose rate limit guards it. */
  return async function routeModel(input: { runId: string; listingId: string }): Promise<RouteResult> {
    const planned = await deps.store.getPlannedListing(input.runId, input.listingId);
    if (!planned) {
      throw ApplicationFailure.nonRetryable(
        `listing ${input.listingId} is not in the plan of run ${input.runId}`,
        PipelineErrorType.ListingNotPlanned,
      );
    }
    const decision = routeListing(listingFeatures(planned.listing), deps.routing);
    const queue = (model: string) => ({ model, taskQueue: modelTaskQueue(deps.taskQueue, model) });
    return {
      ...decision,
      taskQueue: modelTaskQueue(deps.taskQueue, decision.model),
      escalation: decision.tier === 'small' ? queue(deps.routing.models.large) : undefined,
      fallbacks: Object.fromEntries(
        Object.entries(deps.routing.fallbacks).map(([from, to]) => [from, queue(to)]),
      ),
    };
  };
}
