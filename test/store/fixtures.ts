import { contentHash } from '../../src/feed/hash';
import type { Listing } from '../../src/feed/listing';
import type { NewCallRecord, NewDeadLetter, PlannedListing, RunRecord, Store } from '../../src/store/store';

/** Builders for the contract cases: plausible rows, overridable per test. */

export const listing = (id: string, over: Partial<Listing> = {}): Listing => ({
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
  ...over,
});

export const planned = (seq: number, l: Listing): PlannedListing => ({
  seq,
  listing: l,
  contentHash: contentHash(l),
});

// Timestamps as callers write them (`toISOString()`), so both stores must hand them back as is.
export const run = (runId: string, over: Partial<RunRecord> = {}): RunRecord => ({
  runId,
  runDate: '2026-11-29',
  feedPath: 'feeds/2026-11-29.jsonl',
  criteria: 'TypeScript backend, Berlin or remote',
  status: 'running',
  startedAt: '2026-11-29T06:00:00.000Z',
  ...over,
});

// Keys in CallRecord's order, so a whole record can be compared as JSON text.
export const call = (over: Partial<NewCallRecord> = {}): NewCallRecord => ({
  runId: 'run-1',
  listingId: 'job-1',
  workflowId: 'wf',
  attempt: 1,
  model: 'gpt-4o-mini',
  route: 'sync',
  promptHash: 'abc',
  promptVersion: 'p1',
  schemaVersion: 's1',
  startedAt: '2026-11-29T08:00:00.123Z',
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

export const letter = (over: Partial<NewDeadLetter> = {}): NewDeadLetter => ({
  runId: 'run-1',
  listingId: 'job-1',
  reason: 'retries_exhausted',
  errorType: 'LlmServerError',
  lastError: '500',
  attempts: 3,
  model: 'gpt-4o-mini',
  createdAt: '2026-11-29T09:00:00.000Z',
  ...over,
});

/** Records a call and marks it valid, as score → validate would. */
export async function validCall(
  store: Store,
  over: Partial<NewCallRecord> = {},
  verdict = { score: 7, confidence: 0.8, reasoning: 'ok' },
): Promise<number> {
  const id = await store.recordCall(call(over));
  await store.setCallVerdict(id, { validation: 'valid', ...verdict });
  return id;
}

/** Every case starts from this: run-1 with job-1 planned at seq 0. */
export async function seed(store: Store): Promise<void> {
  await store.upsertRun(run('run-1'));
  await store.addPlanChunk('run-1', [planned(0, listing('job-1'))]);
}

/**
 * Runs `fn` so that a synchronous throw becomes a rejection. SqliteStore's methods return
 * promises but are not `async`, so its constraint errors throw before any promise exists.
 */
export const attempt = <T>(fn: () => Promise<T>): Promise<T> => Promise.resolve().then(fn);
