import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DEDUP_DEFAULTS, type DedupOptions, type DedupResult } from '../shared/dedup';
import { storeStepOptions } from './activity-options';

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
const { clusterNearDuplicates } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '5 minutes',
  retry: {
    maximumAttempts: 5,
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
  },
});
export const { applyNearDuplicates } = proxyActivities<Activities>(storeStepOptions);

/**
 * Embeds the plan in ranges (a bounded window of activities; vectors stay in the store), then
 * clusters it. Only counts enter history: 200 embedding activities for a million listings.
 */
export async function findNearDuplicates(
  runId: string,
  runDate: string,
  toScore: number,
  options: DedupOptions,
): Promise<DedupResult> {
  const model = options.model ?? DEDUP_DEFAULTS.model;
  const dimensions = options.dimensions ?? DEDUP_DEFAULTS.dimensions;
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
      result.embeddingCached += r.cached;
      result.embeddingCalls += r.calls;
      result.embeddingTokens += r.promptTokens;
      result.embeddingCostPico += r.costPico;
    }
  };
  await Promise.all(Array.from({ length: EMBED_WINDOW }, lane));
  const c = await clusterNearDuplicates({
    runId,
    runDate,
    model,
    dimensions,
    threshold: options.threshold ?? DEDUP_DEFAULTS.threshold,
    lookbackDays: options.lookbackDays ?? DEDUP_DEFAULTS.lookbackDays,
  });
  return { ...result, ...c };
}
