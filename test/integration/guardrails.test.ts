import { afterEach, describe, expect, inject, it } from 'vitest';
import { defaultCriteria } from '../../src/feed/generate';
import { RUN_DEFAULTS } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('guardrails and history limits', () => {
  it('never persists a model output that fails validation, and dead-letters it with the reason', async () => {
    harness = await new Harness({
      address,
      simulator: { latencyScale: 0, outputFaults: { schemaViolation: 0.2, invalidJson: 0.1 } },
    }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 120 });
    const summary = await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('run-invalid'),
        args: [{ runDate: '2026-11-29', feedPath, criteria: defaultCriteria, shardSize: 40 }],
      }),
    );
    expect(summary.scored + summary.deadLettered).toBe(120);
    expect(summary.deadLetterReasons.invalid_output ?? 0).toBeGreaterThan(10);

    const invalid = (await h.store.listCalls({ runId: summary.runId, limit: 10_000 })).filter(
      (c) => c.validation === 'invalid',
    );
    expect(invalid.length).toBe(summary.deadLetterReasons.invalid_output);
    const scores = await h.store.listScores(summary.runId, 10_000, 0);
    const scoredListings = new Set(scores.map((s) => s.listingId));
    for (const call of invalid) expect(scoredListings.has(call.listingId)).toBe(false);
    for (const s of scores) {
      expect(Number.isInteger(s.score) && s.score >= 1 && s.score <= 10).toBe(true);
      expect(s.confidence).toBeGreaterThanOrEqual(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
      expect(s.reasoning.length).toBeLessThanOrEqual(200);
    }
    const letters = await h.store.listDeadLetters(summary.runId);
    expect(letters.every((d) => d.reason === 'invalid_output' && d.lastError.length > 0)).toBe(true);
  });

  it('keeps a full shard of 100 listings, and the parent of a 10,000-listing plan, under 5,000 history events', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: RUN_DEFAULTS.shardSize });
    const workflowId = h.workflowId('run-history');
    await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [{ runDate: '2026-11-29', feedPath, criteria: defaultCriteria }],
      }),
    );
    const shardHistory = await h.client.workflow.getHandle(`${workflowId}/shard-0`).fetchHistory();
    const shardEvents = shardHistory.events?.length ?? 0;
    const parentEvents = (await h.client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;

    // Plan arithmetic for 10,000 listings: 100 shards, all in one parent execution. The
    // parent pays a fixed cost plus, per shard, its child events and at most one progress
    // signal per 20 listings (each signal and each child completion may wake a workflow task).
    const shards = Math.ceil(10_000 / RUN_DEFAULTS.shardSize);
    expect(shards).toBeLessThanOrEqual(RUN_DEFAULTS.shardsPerExecution);
    const fixedParentEvents = parentEvents - perShardParentEvents(1);
    const projectedParent = fixedParentEvents + perShardParentEvents(shards);
    console.log(
      `history: shard of 100 = ${shardEvents} events; parent (1 shard) = ${parentEvents}; projected parent at 10,000 = ${projectedParent}`,
    );
    expect(shardEvents).toBeLessThan(5000);
    expect(projectedParent).toBeLessThan(5000);
  });
});

/** Upper bound per shard on the parent: 3 child events + signals, each with a 3-event workflow task. */
function perShardParentEvents(shards: number): number {
  const signals = Math.ceil(RUN_DEFAULTS.shardSize / 20);
  return shards * (3 + 3 + signals * (1 + 3));
}
