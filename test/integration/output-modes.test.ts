import { afterEach, describe, expect, inject, it } from 'vitest';
import { OUTPUT_MODE_FALLBACK } from '../../src/llm/client';
import { dailyScoringRun } from '../../src/workflows';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('auto output mode and routing against a server without a Batch API', () => {
  it('routes sync without a batch attempt and scores every listing through json_schema once forced tools are ignored', async () => {
    harness = await new Harness({
      address,
      simulator: { latencyScale: 0.02, forcedToolChoice: 'ignore', batchApi: false },
    }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 40 });
    const summary = await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('no-batch-api'),
        args: [feedRun(feedPath, { route: 'auto', listingConcurrency: 4 })],
      }),
    );
    expect(summary.planned).toBe(40);
    expect(summary.scored).toBe(40);
    expect(summary.deadLettered).toBe(0);

    // The probe was the only Batch API traffic: no upload, no batch, nothing on the batch route.
    // (an upload or a create would have been one more 404).
    const stats = h.sim.stats();
    expect(stats.byStatus['404']).toBe(2);
    expect(stats.batches.byStatus).toEqual({});
    const calls = await h.store.listCalls({ runId: summary.runId, limit: 10_000 });
    expect(calls.filter((c) => c.route === 'batch')).toHaveLength(0);

    // Only calls already in flight when the fallback was learned used forced tools; each is a
    // row billed as the simulator billed it, and the run's cost equals the simulator's ledger.
    const fallbacks = calls.filter((c) => c.errorType === OUTPUT_MODE_FALLBACK);
    expect(fallbacks.length).toBeGreaterThanOrEqual(1);
    // Each model learns the fallback on its own, and at most listingConcurrency (4) calls of
    // the shard are in flight when it does: so at most 4 per model, and one per listing and model.
    expect(fallbacks.length).toBeLessThanOrEqual(4 * new Set(calls.map((c) => c.model)).size);
    const perListing = new Set(fallbacks.map((f) => `${f.listingId}|${f.model}`));
    expect(perListing.size).toBe(fallbacks.length);
    for (const f of fallbacks) expect(f.completionTokens).toBeGreaterThan(0);
    expect(summary.costUsd).toBeCloseTo(h.sim.ledger().total.usd, 9);
  });

  it('falls back when the server rejects forced tools with a 400, billing nothing for the refusal', async () => {
    harness = await new Harness({
      address,
      simulator: { latencyScale: 0.02, forcedToolChoice: 'reject', batchApi: false },
    }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 20, seed: 3 });
    const summary = await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('tools-rejected'),
        args: [feedRun(feedPath, { listingConcurrency: 4 })],
      }),
    );
    expect(summary.scored).toBe(20);
    const calls = await h.store.listCalls({ runId: summary.runId, limit: 10_000 });
    const fallbacks = calls.filter((c) => c.errorType === OUTPUT_MODE_FALLBACK);
    expect(fallbacks.length).toBeGreaterThanOrEqual(1);
    for (const f of fallbacks) expect(f.costPico).toBe(0);
    expect(summary.costUsd).toBeCloseTo(h.sim.ledger().total.usd, 9);
  });
});
