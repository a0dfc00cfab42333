import type { ActivityDeps } from './deps';

export function makeShardsWithWork(deps: ActivityDeps) {
  /**
   * Which shards of a range still have unfinished listings. After a Batch API pass most have
   * none, and a shard started only to find that out costs a child start, a load and a
   * progress update: the run starts only the shards this returns.
   */
  return async function shardsWithWork(input: {
    runId: string;
    shardSize: number;
    fromShard: number;
    toShard: number;
  }): Promise<number[]> {
    const items = await deps.store.unfinishedItems(
      input.runId,
      input.fromShard * input.shardSize,
      input.toShard * input.shardSize,
    );
    return [...new Set(items.map((i) => Math.floor(i.seq / input.shardSize)))].sort((a, b) => a - b);
  };
}
