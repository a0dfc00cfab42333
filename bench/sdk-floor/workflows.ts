import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

/**
 * The least a Temporal shard can do per item: `lanes` loops, each awaiting one activity at a
 * time, like Scoreline's shard lanes but with no gate, routing, totals or store. What it
 * costs per activity is the SDK's floor on this machine. With `activityQueue` the activities go
 * to their own task queue, as Scoreline's LLM calls go to their model's queue: no eager dispatch.
 */
export async function floorShard(items: number, lanes: number, activityQueue?: string): Promise<number> {
  const { noop } = proxyActivities<typeof activities>({
    startToCloseTimeout: '1 minute',
    ...(activityQueue ? { taskQueue: activityQueue } : {}),
  });
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < items) {
        const i = next++;
        done += await noop(i);
      }
    }),
  );
  return done;
}
