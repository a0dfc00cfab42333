import { afterEach, describe, expect, inject, it } from 'vitest';
import { RUN_DEFAULTS } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('guardrails and history limits', () => {
  it('never persists a model output that fails validation, re-asks once, then dead-letters with the reason', async () => {
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
        args: [feedRun(feedPath, { route: 'sync', shardSize: 40 })],
      }),
    );
    expect(summary.scored + summary.deadLettered).toBe(120);
    expect(summary.deadLetterReasons.invalid_output ?? 0).toBeGreaterThan(0);

    const calls = await h.store.listCalls({ runId: summary.runId, status: 'ok', limit: 10_000 });
    const invalid = calls.filter((c) => c.validation === 'invalid');
    const scores = await h.store.listScores(summary.runId, 10_000, 0);
    const persistedCallIds = new Set(scores.map((s) => s.callId));
    for (const call of invalid) expect(persistedCallIds.has(call.id)).toBe(false);

    // One re-ask per invalid answer: a dead-lettered listing has exactly two invalid answers,
    // and a re-ask that came back valid was persisted.
    const byListing = new Map<string, typeof calls>();
    for (const c of calls) byListing.set(c.listingId, [...(byListing.get(c.listingId) ?? []), c]);
    const letters = await h.store.listDeadLetters(summary.runId);
    for (const d of letters) {
      expect(byListing.get(d.listingId)?.map((c) => c.validation)).toEqual(['invalid', 'invalid']);
    }
    const rescued = [...byListing.values()].filter(
      (cs) => cs.length === 2 && cs[0]?.validation === 'invalid' && cs[1]?.validation === 'valid',
    );
    expect(rescued.length).toBeGreaterThan(5);
    for (const cs of rescued) expect(persistedCallIds.has(cs[1]?.id ?? -1)).toBe(true);
    for (const s of scores) {
      expect(Number.isInteger(s.score) && s.score >= 1 && s.score <= 10).toBe(true);
      expect(s.confidence).toBeGreaterThanOrEqual(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
      expect(s.reasoning.length).toBeLessThanOrEqual(200);
    }
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
        args: [feedRun(feedPath, { route: 'sync' })],
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
