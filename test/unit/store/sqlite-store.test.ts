import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/feed/hash';
import type { Listing } from '../../../src/feed/listing';
import { SqliteStore } from '../../../src/store/sqlite';
import type { NewCallRecord } from '../../../src/store/store';

const listing = (id: string): Listing => ({
  id,
  title: 'Senior Backend Engineer',
  company: 'Acme',
  location: 'Berlin, Germany',
  remote: true,
  seniority: 'senior',
  language: 'en',
  description: 'Build services in TypeScript.',
  requirements: ['TypeScript', 'PostgreSQL'],
  postedAt: '2026-11-20',
});

const call = (over: Partial<NewCallRecord> = {}): NewCallRecord => ({
  runId: 'run-1',
  listingId: 'job-1',
  workflowId: 'wf',
  attempt: 1,
  model: 'gpt-4o-mini',
  route: 'sync',
  promptHash: 'abc',
  promptVersion: 'p1',
  schemaVersion: 's1',
  startedAt: new Date().toISOString(),
  durationMs: 10,
  promptTokens: 100,
  cachedTokens: 0,
  completionTokens: 20,
  costPico: 27_000_000,
  status: 'ok',
  errorType: null,
  errorMessage: null,
  finishReason: 'stop',
  toolArguments: '{"score":7,"confidence":0.8,"reasoning":"ok"}',
  refusal: null,
  ...over,
});

let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'store-test-'));
  store = new SqliteStore(join(dir, 'db.sqlite'));
  await store.migrate();
  await store.upsertRun({
    runId: 'run-1',
    runDate: '2026-11-29',
    feedPath: 'f',
    criteria: 'c',
    status: 'running',
    startedAt: 'now',
  });
  const l = listing('job-1');
  await store.addPlanChunk('run-1', [{ seq: 0, listing: l, contentHash: contentHash(l) }]);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore', () => {
  it('refuses to persist a score the validation step has not marked valid', async () => {
    const id = await store.recordCall(call());
    expect(await store.persistValidatedScore('run-1', 'job-1', id)).toBe('not-validated');
    await store.setCallVerdict(id, { validation: 'invalid', error: 'schema violation' });
    expect(await store.persistValidatedScore('run-1', 'job-1', id)).toBe('not-validated');
    expect(await store.listScores('run-1', 10, 0)).toHaveLength(0);
  });

  it('persists a validated score once, however often the write is retried', async () => {
    const id = await store.recordCall(call());
    await store.setCallVerdict(id, { validation: 'valid', score: 7, confidence: 0.8, reasoning: 'ok' });
    for (let i = 0; i < 3; i++)
      expect(await store.persistValidatedScore('run-1', 'job-1', id)).toBe('written');
    const scores = await store.listScores('run-1', 10, 0);
    expect(scores).toHaveLength(1);
    expect(scores[0]).toMatchObject({ listingId: 'job-1', score: 7, callId: id });
  });

  it('finds a successful call for the same prompt so a retry does not pay again', async () => {
    await store.recordCall(call({ status: 'error', errorType: 'LlmServerError', costPico: 0 }));
    expect(await store.findReusableCall('run-1', 'job-1', 'abc')).toBeUndefined();
    const id = await store.recordCall(call({ attempt: 2 }));
    expect((await store.findReusableCall('run-1', 'job-1', 'abc'))?.id).toBe(id);
    expect(await store.findReusableCall('run-1', 'job-1', 'other-prompt')).toBeUndefined();
  });

  it('keeps one dead letter per listing and run when dead-lettering is retried', async () => {
    const letter = {
      runId: 'run-1',
      listingId: 'job-1',
      reason: 'retries_exhausted',
      errorType: 'LlmServerError',
      lastError: '500',
      attempts: 3,
      model: 'gpt-4o-mini',
      createdAt: 'now',
    };
    await store.deadLetter(letter);
    await store.deadLetter({ ...letter, attempts: 3 });
    expect(await store.listDeadLetters('run-1')).toHaveLength(1);
  });

  it('re-plans a run idempotently and keeps both versions of a listing whose content changed', async () => {
    const changed = { ...listing('job-1'), title: 'Staff Backend Engineer' };
    await store.addPlanChunk('run-1', [
      { seq: 0, listing: listing('job-1'), contentHash: contentHash(listing('job-1')) },
    ]);
    await store.upsertRun({
      runId: 'run-2',
      runDate: '2026-11-30',
      feedPath: 'f',
      criteria: 'c',
      status: 'running',
      startedAt: 'now',
    });
    await store.addPlanChunk('run-2', [{ seq: 0, listing: changed, contentHash: contentHash(changed) }]);
    expect((await store.runTotals('run-1')).planned).toBe(1);
    expect((await store.getPlannedListing('run-1', 'job-1'))?.listing.title).toBe('Senior Backend Engineer');
    expect((await store.getPlannedListing('run-2', 'job-1'))?.listing.title).toBe('Staff Backend Engineer');
  });

  it('sums cost per model exactly in pico-dollars', async () => {
    await store.recordCall(call());
    await store.recordCall(
      call({ listingId: 'job-1', promptHash: 'def', model: 'gpt-4o', costPico: 1_234_567 }),
    );
    const totals = await store.runTotals('run-1');
    expect(totals.costPico).toBe(27_000_000 + 1_234_567);
    expect(totals.byModel.map((m) => m.model)).toEqual(['gpt-4o', 'gpt-4o-mini']);
  });
});
