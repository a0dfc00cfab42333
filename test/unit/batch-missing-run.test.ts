import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../src/activities';
import { makeCollectBatch } from '../../src/activities/batch-collect';
import { makeSubmitBatches } from '../../src/activities/batch-submit';
import { SqliteStore } from '../../src/store/sqlite';

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore(':memory:');
  await store.migrate();
});
afterEach(() => store.close());

async function failureOf(step: () => Promise<unknown>): Promise<ApplicationFailure> {
  const err = await step().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApplicationFailure))
    throw new Error(`expected an ApplicationFailure, got ${String(err)}`);
  return err;
}

describe('batch steps for a run the store does not know', () => {
  it('fail submit at once, non-retryably, naming the run', async () => {
    const submit = makeSubmitBatches({ store } as unknown as ActivityDeps);
    const f = await failureOf(() => submit({ runId: 'gone', fromSeq: 0, toSeq: 10, round: 0 }));
    expect(f).toMatchObject({ type: 'RunNotFound', nonRetryable: true });
    expect(f.message).toBe(
      'cannot submit batches for run gone: the store has no such run (was it planned against another database?)',
    );
  });

  it('fail collect at once, non-retryably, naming the run', async () => {
    const collect = makeCollectBatch({ store } as unknown as ActivityDeps);
    const batch = { batchId: 'b1', model: 'gpt-4o-mini', lines: 1, reservedPico: 0, key: 'k' };
    const f = await failureOf(() => collect({ runId: 'gone', batch }));
    expect(f).toMatchObject({ type: 'RunNotFound', nonRetryable: true });
    expect(f.message).toContain('cannot collect a batch for run gone');
  });
});
