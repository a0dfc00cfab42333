import type { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { LimitChange } from './shared-limiter';

/**
 * The dispatch rate a model's activity queue should have: no faster than the token bucket
 * refills (tokens per minute over the mean tokens a call is charged), nor than the request
 * limit. Dispatching faster only queues calls inside activities waiting for tokens, and any
 * estimate error then reaches the provider as a 429; at this rate the bucket stays near level.
 */
export function queueRatePerSecond(c: LimitChange, configuredRpm: number): number {
  const byTokens = c.tokensPerMinute / Math.max(1, c.meanTokensPerCall) / 60;
  const byRequests = Math.min(configuredRpm, c.requestsPerMinute ?? Infinity) / 60;
  return Math.max(0.01, Math.min(byTokens, byRequests));
}

/**
 * Sets the queue-wide activity rate limit on the server (UpdateTaskQueueConfig, Temporal
 * 1.28+). It overrides the rate workers ask for with `maxTaskQueueActivitiesPerSecond` and
 * holds for every worker polling the queue, so the cluster follows what one worker learned.
 */
export async function setQueueRate(
  connection: NativeConnection,
  o: { namespace: string; taskQueue: string; perSecond: number; reason: string },
): Promise<void> {
  await connection.workflowService.updateTaskQueueConfig({
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    identity: `scoreline-worker-${process.pid}`,
    updateQueueRateLimit: { rateLimit: { requestsPerSecond: o.perSecond }, reason: o.reason.slice(0, 200) },
  });
}
