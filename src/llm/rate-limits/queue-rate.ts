import type { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { LimitChange } from './shared-limiter';

/**
 * Dispatch a little faster than the refill: at exactly the refill rate every dispatch delay
 * (a busy worker slot, a poll in flight) is tokens never used (bench:tpm measured 0.86 of the
 * limit). The bucket still guards the provider: the excess waits a moment inside activities.
 */
export const QUEUE_HEADROOM = 1.05;

/**
 * The dispatch rate a model's activity queue should have: about what the token bucket refills
 * (tokens per minute over the mean tokens a call is charged) and no more than the request
 * limit. Much faster only piles calls up inside activities waiting for tokens, until their
 * waits outlast the attempt; near the refill rate the bucket stays near level.
 */
export function queueRatePerSecond(c: LimitChange, configuredRpm: number): number {
  const byTokens = (QUEUE_HEADROOM * c.tokensPerMinute) / Math.max(1, c.meanTokensPerCall) / 60;
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
