import { afterEach, describe, expect, inject, it } from 'vitest';
import type { RunSummary } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

function runFeed(h: Harness, feedPath: string, runDate = '2026-11-29'): Promise<RunSummary> {
  return h.client.workflow.execute(dailyScoringRun, {
    taskQueue: h.taskQueue,
    workflowId: h.workflowId('cost'),
    args: [feedRun(feedPath, { runDate, shardSize: 50, batchPollMs: 300 })],
  });
}

describe('never paying twice', () => {
  it('makes zero LLM calls for a second run over an unchanged feed, reusing every valid answer', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 120 });
    const [first, second] = await h.withWorkers(async () => [
      await runFeed(h, feedPath),
      await runFeed(h, feedPath),
    ]);
    expect(first.cacheHits).toBe(0);
    const billedAfterFirst = h.sim.ledger().total.requests;
    expect(second.calls).toBe(0);
    expect(h.sim.ledger().total.requests).toBe(billedAfterFirst);
    expect(second.cacheHits).toBe(first.scored);
    expect(second.scored).toBe(first.scored);
    expect(second.costUsd).toBe(0);
    // Listings dead-lettered on the first day have no valid answer to reuse: they are scored again.
    expect(second.deadLettered).toBe(first.deadLettered);
    const scores = await h.store.listScores(second.runId, 1000, 0);
    expect(scores.every((s) => s.source === 'cache')).toBe(true);
    // A hit repeats the score that was kept, escalated answers included, call for call.
    const firstScores = new Map(
      (await h.store.listScores(first.runId, 1000, 0)).map((s) => [s.listingId, s]),
    );
    expect(first.escalations).toBeGreaterThan(0);
    for (const s of scores) {
      expect({ score: s.score, callId: s.callId }).toEqual({
        score: firstScores.get(s.listingId)?.score,
        callId: firstScores.get(s.listingId)?.callId,
      });
    }
  });

  it('pays only for what changed on the next day', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0 } }).start();
    const h = harness;
    const day1 = h.writeFeed({ count: 200, date: '2026-11-29' });
    const day2 = h.writeFeed({ count: 200, date: '2026-11-30' });
    const [first, second] = await h.withWorkers(async () => [
      await runFeed(h, day1),
      await runFeed(h, day2, '2026-11-30'),
    ]);
    expect(first.planned).toBe(200);
    expect(second.planned).toBe(200);
    // The generator changes about 20% of listings a day (plus near-duplicates tracking them).
    expect(second.cacheHits).toBeGreaterThan(140);
    expect(second.calls).toBeLessThan(60);
    expect(second.costUsd).toBeLessThan(first.costUsd * 0.35);
  });
});
