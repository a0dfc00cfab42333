import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../../src/activities';
import { makePlanRun } from '../../../src/activities/plan-run';
import { defaultCriteria } from '../../../src/feed/criteria';
import { Writable } from 'node:stream';
import pino from 'pino';
import { DEFAULT_ROUTING } from '../../../src/scoring/routing';
import type { PlanRunInput } from '../../../src/shared/messages';
import { SqliteStore } from '../../../src/store/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'plan-feed-'));
const store = new SqliteStore(join(dir, 'scoreline.db'));
// A real pino logger writing into memory, so the test can count the warnings it got.
const logLines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  }),
);
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** planRun with a real store and logger; it never touches the LLM client, so none is given. */
async function plan(input: Partial<PlanRunInput> & { feedPath: string }) {
  await store.migrate();
  const deps = {
    store,
    logger,
    routing: DEFAULT_ROUTING,
  } as unknown as ActivityDeps;
  const run: PlanRunInput = {
    runId: `r-${Math.random()}`,
    runDate: '2026-11-29',
    criteria: defaultCriteria,
    ...input,
  };
  return new MockActivityEnvironment().run(makePlanRun(deps), run);
}

async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('planRun and feed faults', () => {
  it('turns a missing feed file into a non-retryable failure naming the path, not a raw ENOENT', async () => {
    const path = join(dir, 'missing.jsonl');
    const f = await failure(plan({ feedPath: path }));
    expect(f.type).toBe('FeedNotFound');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toBe(`feed file ${path} not found`);
  });

  it('fails a CSV whose header lacks a required column as FeedInvalid, for good', async () => {
    const path = join(dir, 'no-title.csv');
    writeFileSync(path, 'id,description\na,text\n');
    const f = await failure(plan({ feedPath: path }));
    expect(f.type).toBe('FeedInvalid');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toMatch(/^the CSV header has no title column/);
  });

  it('reports unknown keys in the plan and warns about each once in the log', async () => {
    const path = join(dir, 'extra.jsonl');
    const description = 'We build payment APIs in TypeScript on PostgreSQL and look for an engineer.';
    const line = (id: string) => JSON.stringify({ id, title: 'Engineer', description, scraped_at: 1 });
    writeFileSync(path, [line('a'), line('b'), line('c')].join('\n'));
    const result = await plan({ feedPath: path, canaries: true });
    expect(result).toMatchObject({
      planned: 15,
      rejected: 0,
      unknownKeys: ['scraped_at'],
      languagesDetected: 3,
    });
    const warnings = logLines.filter((l) => l.includes('"feed_unknown_key"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'feed key \\"scraped_at\\" (first on line 1) is not a listing field and was ignored',
    );
  });

  it('rejects a mapping to an unknown field given straight in the workflow input', async () => {
    const path = join(dir, 'ok.jsonl');
    writeFileSync(path, JSON.stringify({ id: 'a', title: 'T', description: 'D' }));
    const f = await failure(plan({ feedPath: path, feed: { mapping: { titel: 'x' } } }));
    expect(f.type).toBe('FeedInvalid');
    expect(f.message).toMatch(/^feed.mapping: "titel" is not a listing field/);
  });
});
