import { afterEach, describe, expect, inject, it } from 'vitest';
import { dailyScoringRun } from '../../src/workflows';
import { progressQuery } from '../../src/workflows/definitions';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('the Batch API route', () => {
  it('scores through batches at half price and sends failed and expired lines to the sync path, each listing once', async () => {
    harness = await new Harness({
      address,
      simulator: {
        latencyScale: 0,
        batch: { processingMsPerLine: 15, lineFailureRate: 0.1, expireAfterMs: 2500 },
      },
    }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 240 });
    const summary = await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('batch'),
        args: [feedRun(feedPath, { batchPollMs: 300, shardSize: 60 })],
      }),
    );
    expect(summary.planned).toBe(240);
    expect(summary.scored + summary.deadLettered).toBe(240);
    const calls = await h.store.listCalls({ runId: summary.runId, limit: 10_000 });
    const batchCalls = calls.filter((c) => c.route === 'batch');
    const failedLines = batchCalls.filter((c) => c.status === 'error');
    expect(batchCalls.filter((c) => c.status === 'ok').length).toBeGreaterThan(20);
    expect(failedLines.some((c) => c.errorType === 'Batch:batch_expired')).toBe(true);
    // Every listing whose batch line failed or expired was scored synchronously afterwards.
    const scores = new Map((await h.store.listScores(summary.runId, 10_000, 0)).map((s) => [s.listingId, s]));
    for (const f of failedLines) {
      const later = calls.filter(
        (c) => c.listingId === f.listingId && c.route === 'sync' && c.status === 'ok',
      );
      expect(later.length > 0 || !scores.has(f.listingId)).toBe(true);
    }
    // Batch lines cost half: the provider's per-route bill matches ours.
    const ledger = h.sim.ledger();
    expect(ledger.routes.batch.total.requests).toBe(batchCalls.filter((c) => c.status === 'ok').length);
    const ourBatchUsd = batchCalls.reduce((s, c) => s + c.costPico, 0) / 1e12;
    expect(ourBatchUsd).toBeCloseTo(ledger.routes.batch.total.usd, 9);
    expect(summary.costUsd).toBeCloseTo(ledger.total.usd, 9);
  });

  it('escalates low-confidence small answers to the large model in a second batch, so nothing goes synchronous', async () => {
    harness = await new Harness({
      address,
      simulator: { latencyScale: 0, batch: { processingMsPerLine: 2 } },
    }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 150 });
    const summary = await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('batch-escalation'),
        args: [feedRun(feedPath, { batchPollMs: 200, shardSize: 50 })],
      }),
    );
    expect(summary.scored).toBe(150);
    const calls = await h.store.listCalls({ runId: summary.runId, limit: 10_000 });
    const escalated = calls.filter((c) => c.route === 'batch' && c.attempt === 2);
    expect(escalated.length).toBeGreaterThan(5);
    expect(new Set(escalated.map((c) => c.model))).toStrictEqual(new Set(['gpt-4o']));
    const scores = new Map((await h.store.listScores(summary.runId, 10_000, 0)).map((s) => [s.listingId, s]));
    for (const c of escalated) expect(scores.get(c.listingId)?.callId).toBe(c.id);
    expect(calls.filter((c) => c.route === 'sync')).toStrictEqual([]);
    expect(summary.escalations).toBe(escalated.length);
    expect(summary.costUsd).toBeCloseTo(h.sim.ledger().routes.batch.total.usd, 9);
  });

  it('cancels unfinished batches at the cutoff before the deadline and scores the rest synchronously', async () => {
    harness = await new Harness({
      address,
      simulator: { latencyScale: 0, batch: { processingMsPerLine: 60 } },
    }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 150 });
    await h.withWorkers(async () => {
      const handle = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('deadline'),
        args: [
          feedRun(feedPath, {
            batchPollMs: 300,
            // The batch would need about 9 s; the cutoff comes after about 2.
            deadline: new Date(Date.now() + 3000).toISOString(),
            syncReserveMs: 1000,
          }),
        ],
      });
      const summary = await handle.result();
      const progress = await handle.query(progressQuery);
      expect(progress.batch?.cancelledAtCutoff).toBe(true);
      expect(summary.scored + summary.deadLettered).toBe(150);
      const calls = await h.store.listCalls({ runId: summary.runId, status: 'ok', limit: 10_000 });
      expect(calls.some((c) => c.route === 'batch')).toBe(true);
      expect(calls.filter((c) => c.route === 'sync').length).toBeGreaterThan(50);
      expect(h.sim.stats().batches.byStatus.cancelled ?? 0).toBeGreaterThan(0);
    });
  });
});
