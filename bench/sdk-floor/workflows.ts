import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

/**
 * The least a Temporal shard can do per item: `lanes` loops, each awaiting one activity at a
 * time, like Scoreline's shard lanes but with no gate, routing, totals or store. What it
 * costs per activity is the SDK's floor on this machine.
 */
export async function floorShard(items: number, lanes: number): Promise<number> {
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
