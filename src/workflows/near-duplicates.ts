import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DedupOptions, DedupResult } from '../shared/dedup';
import { RUN_DEFAULTS } from '../shared/messages';
import { batchOptions, planOptions, storeStepOptions } from './activity-options';

/** Plan rows per embedding activity, and how many run at once. */
const EMBED_RANGE = 5000;
const EMBED_WINDOW = 4;

const { embedRange } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    maximumAttempts: 5,
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
  },
});
// Planning's policy, with room for a million listings' blocks.
const { clusterNearDuplicates } = proxyActivities<Activities>({
  ...planOptions,
  startToCloseTimeout: '1 hour',
});
export const { applyNearDuplicates } = proxyActivities<Activities>(storeStepOptions);
const { submitEmbeddingBatches, embeddingBatchesEnded, collectEmbeddingBatches } =
  proxyActivities<Activities>(batchOptions);

/**
 * Embeds the plan in ranges (a bounded window of activities; vectors stay in the store), then
 * clusters it. Only counts enter history: 200 embedding activities for a million listings.
 */
export async function findNearDuplicates(
  runId: string,
  runDate: string,
  toScore: number,
  options: DedupOptions,
  batch?: { pollMs: number },
): Promise<DedupResult> {
  const model = options.model ?? RUN_DEFAULTS.dedup.model;
  const dimensions = options.dimensions ?? RUN_DEFAULTS.dedup.dimensions;
  const result: DedupResult = {
    listings: 0,
    embedded: 0,
    embeddingCached: 0,
    embeddingCalls: 0,
    embeddingTokens: 0,
    embeddingCostPico: 0,
    nearDuplicates: 0,
    earlierDay: 0,
    blocks: 0,
    largestBlock: 0,
  };
  // The Batch API first (half price); the synchronous lanes then embed only what it left out.
  if (batch) {
    const batchIds = await submitEmbeddingBatches({ runId, toSeq: toScore, model, dimensions });
    if (batchIds.length > 0) {
      // Backs off like the scoring batches: a poll is two actions, and most polls find nothing new.
      let wait = batch.pollMs;
      while (!(await embeddingBatchesEnded({ batchIds }))) {
        await sleep(wait);
        wait = Math.min(wait * 2, 16 * batch.pollMs);
      }
      const c = await collectEmbeddingBatches({ runId, toSeq: toScore, model, dimensions, batchIds });
      result.embedded += c.embedded;
      result.embeddingCalls += batchIds.length;
      result.embeddingTokens += c.promptTokens;
      result.embeddingCostPico += c.costPico;
    }
  }
  let next = 0;
  const lane = async () => {
    while (next < toScore) {
      const fromSeq = next;
      next += EMBED_RANGE;
      const r = await embedRange({
        runId,
        fromSeq,
        toSeq: Math.min(toScore, fromSeq + EMBED_RANGE),
        model,
        dimensions,
      });
      result.listings += r.listings;
      result.embedded += r.embedded;
      result.embeddingCalls += r.calls;
      result.embeddingTokens += r.promptTokens;
      result.embeddingCostPico += r.costPico;
    }
  };
  await Promise.all(Array.from({ length: EMBED_WINDOW }, lane));
  result.embeddingCached = result.listings - result.embedded;
  const c = await clusterNearDuplicates({
    runId,
    runDate,
    model,
    dimensions,
    threshold: options.threshold ?? RUN_DEFAULTS.dedup.threshold,
    lookbackDays: options.lookbackDays ?? RUN_DEFAULTS.dedup.lookbackDays,
  });
  return { ...result, ...c };
}
