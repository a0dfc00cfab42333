import { ApplicationFailure } from '@temporalio/activity';
import { modelTaskQueue } from '../config';
import { listingFeatures, routeListing, taskFeatures, type TaskFeatures } from '../scoring/routing';
import { PipelineErrorType, type RouteResult } from '../shared/messages';
import type { ActivityDeps } from './deps';

export function makeRouteModel(deps: ActivityDeps) {
  // A run's criteria are fixed once it is planned, so one read per run serves all its listings.
  const tasks = new Map<string, TaskFeatures | undefined>();
  const taskOf = async (runId: string): Promise<TaskFeatures | undefined> => {
    if (tasks.has(runId)) return tasks.get(runId);
    const run = await deps.store.getRun(runId);
    const task = run ? taskFeatures(run.criteria) : undefined;
    if (tasks.size >= 64) tasks.clear();
    if (run) tasks.set(runId, task);
    return task;
  };
  /** Chooses the model before any call is paid for, and the queue whose rate limit guards it. */
  return async function routeModel(input: { runId: string; listingId: string }): Promise<RouteResult> {
    const planned = await deps.store.getPlannedListing(input.runId, input.listingId);
    if (!planned) {
      throw ApplicationFailure.nonRetryable(
        `listing ${input.listingId} is not in the plan of run ${input.runId}`,
        PipelineErrorType.ListingNotPlanned,
      );
    }
    // The run's criteria are part of the task's complexity; planning routed with them too.
    const task = await taskOf(input.runId);
    const decision = routeListing(listingFeatures(planned.listing), deps.routing, task);
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
