import { Context } from '@temporalio/activity';
import { contentHash } from '../feed/hash';
import { streamFeedFile } from '../feed/parse';
import type { PlanResult, PlanRunInput } from '../shared/messages';
import type { PlannedListing } from '../store/store';
import type { ActivityDeps } from './deps';

const SAMPLE_SIZE = 10;

/**
 * Reads and validates the feed, stores each listing version and the run's plan (seq → id),
 * and returns counts only: listing text never enters workflow history. Safe to retry: plan
 * rows are keyed by (run, seq) and the parse is deterministic.
 */
export function makePlanRun(deps: ActivityDeps) {
  return async function planRun(input: PlanRunInput): Promise<PlanResult> {
    await deps.store.upsertRun({
      runId: input.runId,
      runDate: input.runDate,
      feedPath: input.feedPath,
      criteria: input.criteria,
      status: 'running',
      startedAt: new Date().toISOString(),
    });
    const ctx = Context.current();
    const { accepted, rejected } = await streamFeedFile(
      input.feedPath,
      deps.planChunkSize ?? 2000,
      async (listings, firstSeq) => {
        const chunk: PlannedListing[] = listings.map((listing, j) => ({
          seq: firstSeq + j,
          listing,
          contentHash: contentHash(listing),
        }));
        await deps.store.addPlanChunk(input.runId, chunk);
        ctx.heartbeat({ planned: firstSeq + chunk.length });
      },
    );
    await deps.store.addRejectedLines(input.runId, rejected);
    if (rejected.length > 0) {
      deps.logger.warn(
        {
          event: 'feed_rejected',
          runId: input.runId,
          rejected: rejected.length,
          sample: rejected.slice(0, 3),
        },
        `${rejected.length} feed line(s) rejected`,
      );
    }
    return {
      lines: accepted + rejected.length,
      planned: accepted,
      rejected: rejected.length,
      rejectedSample: rejected.slice(0, SAMPLE_SIZE).map((r) => r.reason),
    };
  };
}

export function makeLoadShard(deps: ActivityDeps) {
  /** Ids only, for one shard's seq range. */
  return async function loadShard(input: {
    runId: string;
    fromSeq: number;
    toSeq: number;
  }): Promise<string[]> {
    const items = await deps.store.planItems(input.runId, input.fromSeq, input.toSeq);
    return items.map((i) => i.listingId);
  };
}
