import { ApplicationFailure, Context } from '@temporalio/activity';
import { clusterBlock, type Member } from '../dedup/cluster';
import { embedListings } from '../dedup/embed';
import { collectEmbeddingBatches, embeddingBatchesEnded, submitEmbeddingBatches } from '../dedup/embed-batch';
import { PROMPT_VERSION } from '../scoring/prompt';
import type { ClusterInput, ClusterResult, EmbedRangeInput, EmbedRangeResult } from '../shared/dedup';
import { PipelineErrorType } from '../shared/messages';
import type { DedupCandidate } from '../store/dedup-store';
import { CANARY_ID_PREFIX } from '../store/store';
import type { ActivityDeps } from './deps';

/** Rows per clustering page: whole guard blocks of about this many listings at a time. */
const PAGE_ROWS = 5000;

export function makeEmbedRange(deps: ActivityDeps) {
  /**
   * Embeds one plan range (canaries never take part) through the embedding cache, and records
   * each listing's guard block and text. Vectors stay in the store; counts come back. A retry
   * finds what an earlier attempt paid for in the cache and never pays for it again.
   */
  return async function embedRange(input: EmbedRangeInput): Promise<EmbedRangeResult> {
    const ctx = Context.current();
    const rows = await deps.store.dedup.planListings(input.runId, input.fromSeq, input.toSeq);
    const listings = rows.filter((r) => !r.listing.id.startsWith(CANARY_ID_PREFIX));
    return embedListings(deps, {
      runId: input.runId,
      workflowId: ctx.info.workflowExecution?.workflowId ?? input.runId,
      key: { model: input.model, dimensions: input.dimensions },
      listings,
      signal: ctx.cancellationSignal,
      heartbeat: () => ctx.heartbeat(),
    });
  };
}

export function makeClusterNearDuplicates(deps: ActivityDeps) {
  /**
   * Clusters the run's embedded listings block by block (guard key order, whole blocks per
   * page), each block against the answers of earlier runs in that block first, and records who
   * reuses whose answer. Deterministic for the same rows, so a retry records the same pairs.
   */
  return async function clusterNearDuplicates(input: ClusterInput): Promise<ClusterResult> {
    const ctx = Context.current();
    const run = await deps.store.getRun(input.runId);
    if (!run) throw ApplicationFailure.nonRetryable(`no run ${input.runId}`, PipelineErrorType.RunNotFound);
    const key = { model: input.model, dimensions: input.dimensions };
    const since = new Date(Date.parse(`${input.runDate}T00:00:00Z`) - input.lookbackDays * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const filter = {
      ...key,
      excludeRunId: input.runId,
      criteria: run.criteria,
      promptVersion: PROMPT_VERSION,
      since,
      onOrBefore: input.runDate,
    };
    const result: ClusterResult = { nearDuplicates: 0, earlierDay: 0, blocks: 0, largestBlock: 0 };
    let after = '';
    for (;;) {
      const page = await deps.store.dedup.blockPage(input.runId, key, after, PAGE_ROWS);
      if (page.length === 0) break;
      const blocks = groupByGuard(page);
      const earlier = groupByGuard(await deps.store.dedup.earlierLeaders(filter, [...blocks.keys()]));
      for (const [guard, members] of blocks) {
        const found = clusterBlock(earlier.get(guard) ?? [], members, input.threshold);
        await deps.store.dedup.addNearDuplicates(
          input.runId,
          found.map((a) => ({ runId: input.runId, ...a })),
        );
        result.blocks++;
        result.largestBlock = Math.max(result.largestBlock, members.length);
        result.nearDuplicates += found.length;
        result.earlierDay += found.filter((a) => a.leaderRunId !== input.runId).length;
      }
      after = (page[page.length - 1] as DedupCandidate).guardKey;
      ctx.heartbeat(result);
    }
    deps.logger.info(
      { event: 'near_duplicates_clustered', runId: input.runId, ...result },
      'near-duplicates clustered',
    );
    return result;
  };
}

function groupByGuard(rows: DedupCandidate[]): Map<string, Member[]> {
  const out = new Map<string, Member[]>();
  for (const r of rows) {
    const list = out.get(r.guardKey);
    if (list) list.push(r);
    else out.set(r.guardKey, [r]);
  }
  return out;
}

export function makeApplyNearDuplicates(deps: ActivityDeps) {
  /**
   * At the end of the run: each near-duplicate takes its representative's kept answer. One whose
   * representative ended as a dead letter becomes one too, naming it, so a re-run picks it up.
   */
  return async function applyNearDuplicates(input: {
    runId: string;
  }): Promise<{ written: number; orphans: number }> {
    const { written, orphans } = await deps.store.dedup.applyNearDuplicates(input.runId);
    for (const o of orphans) {
      await deps.store.deadLetter({
        runId: input.runId,
        listingId: o.listingId,
        reason: 'near_duplicate_unscored',
        errorType: 'NearDuplicateUnscored',
        lastError: `near-duplicate of ${o.leaderListingId} (similarity ${o.similarity}), which has no score`,
        attempts: 0,
        model: null,
        createdAt: new Date().toISOString(),
      });
    }
    return { written, orphans: orphans.length };
  };
}

interface EmbeddingBatchInput {
  runId: string;
  toSeq: number;
  model: string;
  dimensions: number;
}

/** The Batch API route of the embedding step: submit, poll (the workflow waits on a timer), collect. */
export function makeEmbeddingBatchActivities(deps: ActivityDeps) {
  const workflowId = (fallback: string) => Context.current().info.workflowExecution?.workflowId ?? fallback;
  return {
    async submitEmbeddingBatches(input: EmbeddingBatchInput): Promise<string[]> {
      const rows = await deps.store.dedup.planListings(input.runId, 0, input.toSeq);
      return submitEmbeddingBatches(deps, {
        runId: input.runId,
        workflowId: workflowId(input.runId),
        key: { model: input.model, dimensions: input.dimensions },
        listings: rows.filter((r) => !r.listing.id.startsWith(CANARY_ID_PREFIX)),
      });
    },
    embeddingBatchesEnded(input: { batchIds: string[] }): Promise<boolean> {
      return embeddingBatchesEnded(deps, input.batchIds);
    },
    collectEmbeddingBatches(input: EmbeddingBatchInput & { batchIds: string[] }) {
      return collectEmbeddingBatches(deps, {
        runId: input.runId,
        workflowId: workflowId(input.runId),
        key: { model: input.model, dimensions: input.dimensions },
        batchIds: input.batchIds,
      });
    },
  };
}
