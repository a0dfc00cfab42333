import type { NativeConnection } from '@temporalio/worker';
import { modelTaskQueue, type Config } from '../config';
import { queueRatePerSecond, setQueueRate } from '../llm/rate-limits/queue-rate';
import type { LimitChange } from '../llm/rate-limits/shared-limiter';
import type { Logger } from '../observability/logger';

/**
 * Follows what the token limiter knows with the model queue's server-side dispatch rate, so
 * the whole cluster dispatches LLM calls no faster than the shared bucket refills. Updates are
 * fire-and-forget: a failed one leaves the previous rate, which the next change retries.
 */
export function queueRetuner(
  connection: NativeConnection,
  config: Config,
  logger: Logger,
): (change: LimitChange) => void {
  const applied = new Map<string, number>();
  return (change) => {
    const perSecond = queueRatePerSecond(change, config.modelRpm);
    const taskQueue = modelTaskQueue(config.temporal.taskQueue, change.model);
    // Only a real change is sent: each update lets the server's limiter start a new burst, so
    // resending the same rate as the mean call size wobbles would let bursts through the limit.
    const previous = applied.get(taskQueue);
    if (previous !== undefined && Math.abs(perSecond - previous) / previous < 0.05) return;
    applied.set(taskQueue, perSecond);
    const reason = `${change.source} ${change.tokensPerMinute} TPM / ${Math.round(change.meanTokensPerCall)} tokens per call`;
    setQueueRate(connection, { namespace: config.temporal.namespace, taskQueue, perSecond, reason }).then(
      () =>
        logger.info(
          { event: 'queue_rate_set', taskQueue, perSecond, ...change },
          `queue rate ${perSecond.toFixed(2)}/s: ${reason}`,
        ),
      (err: unknown) =>
        logger.warn({ event: 'queue_rate_failed', taskQueue, err }, 'could not set the queue rate'),
    );
  };
}
