import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../src/activities';
import { makePersistScore } from '../../src/activities/persist-score';
import { contentHash } from '../../src/feed/hash';
import { createMetrics, metricKey, parsePrometheusText } from '../../src/observability/metrics';
import { SqliteStore } from '../../src/store/sqlite';
import { listing } from '../store/fixtures';

let store: SqliteStore;
beforeEach(() => {
  store = new SqliteStore(':memory:');
});
afterEach(() => store.close());

async function recordedCall(valid: boolean): Promise<number> {
  await store.migrate();
  await store.upsertRun({
    runId: 'r',
    runDate: '2026-11-29',
    feedPath: 'f',
    criteria: 'c',
    status: 'running',
    startedAt: '2026-11-29T06:00:00.000Z',
  });
  const l = listing('job-1');
  await store.addPlanChunk('r', [{ seq: 0, listing: l, contentHash: contentHash(l) }]);
  const id = await store.recordCall({
    runId: 'r',
    listingId: 'job-1',
    workflowId: 'wf',
    attempt: 1,
    model: 'gpt-4o-mini',
    route: 'sync',
    promptHash: 'p',
    promptVersion: 'v',
    schemaVersion: 's',
    startedAt: '2026-11-29T08:00:00.000Z',
    durationMs: 5,
    promptTokens: 10,
    cachedTokens: 0,
    completionTokens: 5,
    costPico: 1,
    status: 'ok',
    errorType: null,
    errorMessage: null,
    finishReason: 'stop',
    toolArguments: '{"score":8,"confidence":0.9,"reasoning":"ok"}',
    refusal: null,
  });
  if (valid)
    await store.setCallVerdict(id, { validation: 'valid', score: 8, confidence: 0.9, reasoning: 'ok' });
  return id;
}

describe('persistScore', () => {
  it('writes a validated answer and counts it from what the workflow passed, without reading it back', async () => {
    const callId = await recordedCall(true);
    const metrics = createMetrics();
    const reads: number[] = [];
    const spy = Object.assign(Object.create(store) as SqliteStore, {
      getCall: (id: number) => {
        reads.push(id);
        return store.getCall(id);
      },
    });
    const persist = makePersistScore({ store: spy, metrics } as unknown as ActivityDeps);
    await persist({
      runId: 'r',
      listingId: 'job-1',
      callId,
      scored: { model: 'gpt-4o-mini', route: 'sync', score: 8 },
    });
    expect((await store.listScores('r', 10, 0)).map((s) => s.score)).toEqual([8]);
    const samples = parsePrometheusText(await metrics.text());
    expect(samples[metricKey('scoreline_scored_total', { model: 'gpt-4o-mini', route: 'sync' })]).toBe(1);
    expect(reads).toEqual([]);
  });

  it('refuses an answer the validation step did not pass, naming the call', async () => {
    const callId = await recordedCall(false);
    const persist = makePersistScore({ store } as unknown as ActivityDeps);
    await expect(persist({ runId: 'r', listingId: 'job-1', callId })).rejects.toThrow(
      `call ${callId} for listing job-1 was not validated`,
    );
    expect(await store.listScores('r', 10, 0)).toEqual([]);
  });
});
