import { ApplicationFailure } from '@temporalio/activity';
import type { Listing } from '../feed/listing';
import { modelTaskQueue } from '../config';
import {
  listingFeatures,
  planRoute,
  taskFeatures,
  type PlanRoute,
  type TaskFeatures,
} from '../scoring/routing';
import { PipelineErrorType, type RouteResult } from '../shared/messages';
import type { ActivityDeps } from './deps';

/**
 * The routing decision for one listing, as every step that needs it makes it: planning (for
 * the plan row and the cache key), the routing step over a chunk, and nothing after those.
 */
export function routeOf(deps: ActivityDeps, task: TaskFeatures, listing: Listing): PlanRoute {
  const { model, escalation, fallbacks } = planRoute(listingFeatures(listing), deps.routing, task);
  return { model, escalation, fallbacks };
}

/** A stored route with the task queue of each of its models: the queue's rate limit guards the model. */
export function routeQueues(route: PlanRoute, baseQueue: string): RouteResult {
  const queue = (model: string) => ({ model, taskQueue: modelTaskQueue(baseQueue, model) });
  return {
    ...queue(route.model),
    ...(route.escalation ? { escalation: queue(route.escalation) } : {}),
    fallbacks: Object.fromEntries(Object.entries(route.fallbacks).map(([from, to]) => [from, queue(to)])),
  };
}

/**
 * Routes the plan rows of a seq range that have no route yet (a re-run's plan, or rows an
 * older worker planned) and stores the routes on them. Returns how many it routed.
 */
export async function routePlanChunk(
  deps: ActivityDeps,
  input: { runId: string; fromSeq: number; toSeq: number },
): Promise<number> {
  const unrouted = await deps.store.unroutedListings(input.runId, input.fromSeq, input.toSeq);
  if (unrouted.length === 0) return 0;
  const run = await deps.store.getRun(input.runId);
  if (!run) {
    throw ApplicationFailure.nonRetryable(`no run ${input.runId} to route`, PipelineErrorType.RunNotFound);
  }
  // The run's criteria are part of the task's complexity.
  const task = taskFeatures(run.criteria);
  await deps.store.setPlanRoutes(
    input.runId,
    unrouted.map((u) => ({ seq: u.seq, route: routeOf(deps, task, u.listing) })),
  );
  return unrouted.length;
}

export function makeRouteModel(deps: ActivityDeps) {
  /** The routing step over a plan chunk: chooses each listing's model before any call is paid for. */
  return async function routeModel(input: {
    runId: string;
    fromSeq: number;
    toSeq: number;
  }): Promise<{ routed: number }> {
    return { routed: await routePlanChunk(deps, input) };
  };
}
