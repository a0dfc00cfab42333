import { afterEach, describe, expect, inject, it } from 'vitest';
import { repostTruth } from '../../feedgen/generate';
import type { RunSummary } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { explainListing, printResults } from '../../src/client/commands/calls';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const FEED = { count: 150, seed: 5, repostRate: 0.2, nearDuplicateRate: 0 };

function runFeed(
  h: Harness,
  feedPath: string,
  runDate: string,
  label: string,
  route: 'sync' | 'batch' = 'sync',
): Promise<RunSummary> {
  return h.client.workflow.execute(dailyScoringRun, {
    taskQueue: h.taskQueue,
    workflowId: h.workflowId(label),
    args: [feedRun(feedPath, { runDate, route, shardSize: 50, batchPollMs: 200, dedup: { mode: 'near' } })],
  });
}

describe('near-duplicates', () => {
  it('scores one listing per repost cluster, marks the others with their representative, and pays for embeddings once', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0 } }).start();
    const h = harness;
    const date = '2026-11-29';
    const feedPath = h.writeFeed({ ...FEED, date });
    const truth = repostTruth({ ...FEED, date });
    const first = await h.withWorkers(() => runFeed(h, feedPath, date, 'dedup'));

    const reused = await h.store.dedup.listNearDuplicates(first.runId, 1000);
    expect(first.nearDuplicates?.reused).toBe(reused.length);
    // Most reposts are caught, and every merge pairs a repost with the listing it copies.
    expect(reused.length).toBeGreaterThanOrEqual(Math.floor(truth.size * 0.8));
    const root = (id: string) => truth.get(id) ?? id;
    const wrong = reused.filter((n) => root(n.listingId) !== root(n.leaderListingId));
    expect(wrong.length).toBeLessThanOrEqual(1);
    // Each near-duplicate has its representative's score, and made no call of its own.
    const scores = new Map((await h.store.listScores(first.runId, 1000, 0)).map((s) => [s.listingId, s]));
    for (const n of reused) {
      const s = scores.get(n.listingId);
      expect(s?.source).toBe('near_duplicate');
      expect(s?.callId).toBe(scores.get(n.leaderListingId)?.callId);
      expect(await h.store.listCalls({ runId: first.runId, listingId: n.listingId })).toEqual([]);
    }
    expect(first.scored + first.deadLettered).toBe(first.planned);
    // The embedding bill is the simulator's, and is in the run's cost.
    const bill = h.sim.ledger().models['text-embedding-3-small'];
    expect(bill?.requests).toBe(first.nearDuplicates?.embeddingCalls);
    expect(bill?.promptTokens).toBe(first.nearDuplicates?.embeddingTokens);
    expect(first.nearDuplicates?.embeddingCostUsd).toBeCloseTo((bill?.nanoUsd ?? 0) / 1e9, 12);
    expect(first.costUsd).toBeCloseTo(h.sim.ledger().total.usd, 9);

    const sample = reused[0]!;
    const results = await printResults(h.cliConfig(), first.runId, 1000);
    expect(results).toContain(`scored as a near-duplicate of ${sample.leaderListingId}`);
    expect(await explainListing(h.cliConfig(), sample.listingId)).toContain(
      `near-duplicate of ${sample.leaderListingId}, similarity`,
    );

    // Next day, the same feed: the originals are cache hits; the reposts, never scored themselves,
    // reuse yesterday's answers of their originals; and no text is embedded twice.
    const embedBefore = bill?.requests ?? 0;
    const second = await h.withWorkers(() => runFeed(h, feedPath, '2026-11-30', 'dedup-2'));
    expect(second.calls).toBe(0);
    expect(second.nearDuplicates?.earlierDay).toBe(reused.length);
    expect(second.scored).toBe(first.scored);
    expect(h.sim.ledger().models['text-embedding-3-small']?.requests).toBe(embedBefore);
  });

  it('embeds through the Batch API at half price on the batch route, and books the batch once', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0 } }).start();
    const h = harness;
    const date = '2026-11-29';
    const feedPath = h.writeFeed({ ...FEED, date });
    const run = await h.withWorkers(() => runFeed(h, feedPath, date, 'dedup-batch', 'batch'));
    const ledger = h.sim.ledger();
    const batchBill = ledger.routes.batch.models['text-embedding-3-small'];
    expect(ledger.routes.sync.models['text-embedding-3-small']).toBeUndefined();
    // One batch line per distinct text: at most one per listing.
    expect(batchBill?.requests).toBeGreaterThan(FEED.count * 0.9);
    expect(batchBill?.requests).toBeLessThanOrEqual(FEED.count);
    expect(run.nearDuplicates?.embeddingCalls).toBe(1);
    expect(run.nearDuplicates?.embeddingTokens).toBe(batchBill?.promptTokens);
    expect(run.nearDuplicates?.embeddingCostUsd).toBeCloseTo((batchBill?.nanoUsd ?? 0) / 1e9, 12);
    expect(run.nearDuplicates?.reused).toBeGreaterThan(0);
    expect(run.costUsd).toBeCloseTo(ledger.total.usd, 9);
  });
});
