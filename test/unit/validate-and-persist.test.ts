import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../src/activities';
import { makeValidateAndPersist } from '../../src/activities/validate-score';
import { contentHash } from '../../src/feed/hash';
import { createLogger } from '../../src/observability/logger';
import { createMetrics, metricKey, parsePrometheusText } from '../../src/observability/metrics';
import { callToPersist } from '../../src/scoring/gate';
import { SqliteStore } from '../../src/store/sqlite';
import { listing } from '../store/fixtures';

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore(':memory:');
  await store.migrate();
  await store.upsertRun({
    runId: 'r',
    runDate: '2026-11-29',
    feedPath: 'f',
    criteria: 'c',
    status: 'running',
    startedAt: '2026-11-29T06:00:00.000Z',
  });
  const plan = ['job-1', 'job-2'].map((id, seq) => {
    const l = listing(id);
    return { seq, listing: l, contentHash: contentHash(l) };
  });
  await store.addPlanChunk('r', plan);
});
afterEach(() => store.close());

const VALID = '{"score":8,"confidence":0.9,"reasoning":"ok"}';
const DOUBTFUL = '{"score":6,"confidence":0.4,"reasoning":"unsure"}';

async function recorded(toolArguments: string, over: { listingId?: string; model?: string } = {}) {
  return store.recordCall({
    runId: 'r',
    listingId: over.listingId ?? 'job-1',
    workflowId: 'wf',
    attempt: 1,
    model: over.model ?? 'gpt-4o-mini',
    route: 'sync',
    promptHash: `p-${Math.random()}`,
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
    toolArguments,
    refusal: null,
  });
}

function gate() {
  const metrics = createMetrics();
  const deps = { store, metrics, logger: createLogger({ level: 'silent', console: false }) };
  return { metrics, validateAndPersist: makeValidateAndPersist(deps as unknown as ActivityDeps) };
}

describe('callToPersist', () => {
  it('persists a valid answer unless it is held below the escalation threshold', () => {
    const verdict = { valid: true as const, score: 7, confidence: 0.5 };
    expect(callToPersist({ listingId: 'a', callId: 1 }, verdict)).toBe(1);
    expect(callToPersist({ listingId: 'a', callId: 1, holdBelow: 0.6 }, verdict)).toBeNull();
    expect(callToPersist({ listingId: 'a', callId: 1, holdBelow: 0.5 }, verdict)).toBe(1);
  });

  it('falls back to the earlier valid answer only when the item names one', () => {
    const invalid = { valid: false as const, reason: 'no tool call' };
    expect(callToPersist({ listingId: 'a', callId: 2 }, invalid)).toBeNull();
    expect(callToPersist({ listingId: 'a', callId: 2, otherwise: 1 }, invalid)).toBe(1);
  });
});

describe('validateAndPersist', () => {
  it('judges a wave and persists each valid answer in the same step', async () => {
    const [a, b] = [await recorded(VALID), await recorded('{"score":11}', { listingId: 'job-2' })];
    const { metrics, validateAndPersist } = gate();
    const results = await validateAndPersist({
      runId: 'r',
      items: [
        { listingId: 'job-1', callId: a },
        { listingId: 'job-2', callId: b },
      ],
    });
    expect(results[0]).toEqual({
      callId: a,
      verdict: { valid: true, score: 8, confidence: 0.9 },
      persisted: { callId: a, model: 'gpt-4o-mini', score: 8, route: 'sync' },
    });
    expect(results[1]).toMatchObject({ callId: b, verdict: { valid: false }, persisted: null });
    expect((await store.listScores('r', 10, 0)).map((s) => [s.listingId, s.score])).toEqual([['job-1', 8]]);
    expect((await store.getCall(b))?.validation).toBe('invalid');
    const samples = parsePrometheusText(await metrics.text());
    expect(samples[metricKey('scoreline_scored_total', { model: 'gpt-4o-mini', route: 'sync' })]).toBe(1);
  });

  it('holds a valid answer below the threshold for escalation, and persists nothing for it', async () => {
    const a = await recorded(DOUBTFUL);
    const [result] = await gate().validateAndPersist({
      runId: 'r',
      items: [{ listingId: 'job-1', callId: a, holdBelow: 0.6 }],
    });
    expect(result).toEqual({
      callId: a,
      verdict: { valid: true, score: 6, confidence: 0.4 },
      persisted: null,
    });
    expect(await store.listScores('r', 10, 0)).toEqual([]);
    expect((await store.getCall(a))?.validation).toBe('valid');
  });

  it('persists the earlier valid answer when the escalated one is invalid', async () => {
    const small = await recorded(DOUBTFUL);
    const large = await recorded('not json', { model: 'gpt-4o' });
    const { validateAndPersist } = gate();
    await validateAndPersist({ runId: 'r', items: [{ listingId: 'job-1', callId: small, holdBelow: 0.6 }] });
    const [result] = await validateAndPersist({
      runId: 'r',
      items: [{ listingId: 'job-1', callId: large, otherwise: small }],
    });
    expect(result?.verdict.valid).toBe(false);
    expect(result?.persisted).toEqual({ callId: small, model: 'gpt-4o-mini', score: 6, route: 'sync' });
    expect((await store.listScores('r', 10, 0)).map((s) => s.callId)).toEqual([small]);
  });

  it('refuses to persist a fallback answer nobody validated, naming the call', async () => {
    const unjudged = await recorded(VALID);
    const large = await recorded('not json', { model: 'gpt-4o' });
    await expect(
      gate().validateAndPersist({
        runId: 'r',
        items: [{ listingId: 'job-1', callId: large, otherwise: unjudged }],
      }),
    ).rejects.toThrow(`call ${unjudged} for listing job-1 was not validated; refusing to persist`);
    expect(await store.listScores('r', 10, 0)).toEqual([]);
  });

  it('gives the same answer when a wave is retried, judging each answer only once', async () => {
    const a = await recorded(VALID);
    const { metrics, validateAndPersist } = gate();
    const wave = { runId: 'r', items: [{ listingId: 'job-1', callId: a }] };
    const first = await validateAndPersist(wave);
    expect(await validateAndPersist(wave)).toEqual(first);
    expect(await store.listScores('r', 10, 0)).toHaveLength(1);
    const samples = parsePrometheusText(await metrics.text());
    expect(
      samples[
        metricKey('scoreline_validation_results_total', {
          model: 'gpt-4o-mini',
          result: 'valid',
          reason: 'none',
        })
      ],
    ).toBe(1);
  });

  it("refuses a call that answers another listing than the item's", async () => {
    const a = await recorded(VALID, { listingId: 'job-2' });
    await expect(
      gate().validateAndPersist({ runId: 'r', items: [{ listingId: 'job-1', callId: a }] }),
    ).rejects.toThrow(`call ${a} answers listing job-2 of run r, not job-1 of r`);
    expect(await store.listScores('r', 10, 0)).toEqual([]);
  });
});
