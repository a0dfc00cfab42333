import { afterEach, describe, expect, inject, it } from 'vitest';
import type { RunProgress } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { progressQuery } from '../../src/workflows/definitions';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('the daily scoring run', () => {
  it('accounts for every one of 200 listings exactly once and bills each successful call once', async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 200 });
    const summary = await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('run-200'),
        args: [feedRun(feedPath, { batchPollMs: 300, shardSize: 50, maxConcurrentShards: 3 })],
      }),
    );
    expect(summary.planned).toBe(200);
    expect(summary.scored + summary.deadLettered).toBe(200);

    const totals = await h.store.runTotals(summary.runId);
    expect(totals.scored + totals.deadLettered).toBe(200);
    const scores = await h.store.listScores(summary.runId, 1000, 0);
    expect(new Set(scores.map((s) => s.listingId)).size).toBe(scores.length);
    expect(scores).toHaveLength(summary.scored);
    // One answer per listing, plus one more for each low-confidence answer escalated to the large model.
    const okCalls = (await h.store.listCalls({ runId: summary.runId, status: 'ok', limit: 10_000 })).length;
    expect(okCalls).toBe(200 + summary.escalations);

    // The provider's bill and ours agree to the token and to the dollar.
    const ledger = h.sim.ledger();
    const billedRequests = ledger.total.requests;
    expect(billedRequests).toBe(okCalls);
    expect(summary.costUsd).toBeCloseTo(ledger.total.usd, 9);
  });

  it('answers the progress query mid-run with counts that add up', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 1 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 150 });
    await h.withWorkers(async () => {
      const handle = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('run-progress'),
        args: [
          feedRun(feedPath, { route: 'sync', shardSize: 50, maxConcurrentShards: 2, listingConcurrency: 5 }),
        ],
      });
      const seen: RunProgress[] = [];
      for (let i = 0; i < 600; i++) {
        const p = await handle.query(progressQuery);
        seen.push(p);
        if (p.phase === 'done') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const mid = seen.find(
        (p) =>
          p.phase === 'scoring' && p.scored + p.deadLettered > 0 && p.scored + p.deadLettered < p.planned,
      );
      expect(mid, 'a progress answer taken while scoring was under way').toBeDefined();
      for (const p of seen) {
        expect(p.scored + p.deadLettered + p.inFlight).toBeLessThanOrEqual(Math.max(p.planned, 150));
        expect(p.costUsd).toBeGreaterThanOrEqual(0);
      }
      const done = seen.map((p) => p.scored + p.deadLettered);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      await handle.result();
    });
  });
});
