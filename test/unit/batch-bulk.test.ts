import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActivityDeps } from '../../src/activities';
import { makeCollectBatch } from '../../src/activities/batch-collect';
import { makeSubmitBatches } from '../../src/activities/batch-submit';
import { customId } from '../../src/batch/lines';
import { PriceTable } from '../../src/scoring/pricing';
import { buildScoringRequest, promptHash } from '../../src/scoring/prompt';
import { DEFAULT_ROUTING } from '../../src/scoring/routing';
import { callPages } from '../../src/store/paging';
import type { BatchRef } from '../../src/shared/messages';
import { SqliteStore } from '../../src/store/sqlite';
import { call, listing, planned, run } from '../store/fixtures';

const MODEL = DEFAULT_ROUTING.models.small;
const CRITERIA = run('run-1').criteria;
const LINES = 1_234; // more than two chunks of the bulk reads

const listingOf = (i: number) => listing(`job-${i}`, { title: `Engineer ${i}` });

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore(':memory:');
  await store.migrate();
  await store.upsertRun(run('run-1'));
  await store.addPlanChunk(
    'run-1',
    Array.from({ length: LINES }, (_, i) => planned(i, listingOf(i))),
  );
});
afterEach(() => store.close());

/** An output file answering every planned listing but the last, and one line for a stranger. */
function outputFile(): string {
  const answer = (id: string) =>
    JSON.stringify({
      custom_id: customId(id, 0),
      response: {
        status_code: 200,
        body: {
          model: MODEL,
          choices: [{ finish_reason: 'stop', message: { content: '{"score":7}' } }],
          usage: { prompt_tokens: 100, completion_tokens: 20 },
        },
      },
    });
  const ids = Array.from({ length: LINES - 1 }, (_, i) => `job-${i}`);
  return [...ids, 'not-planned'].map(answer).join('\n');
}

function deps(uploaded: string[] = []): ActivityDeps {
  const openai = {
    batches: {
      retrieve: () =>
        Promise.resolve({ id: 'batch_1', status: 'completed', output_file_id: 'out', error_file_id: null }),
      list: () => Promise.resolve({ data: [] }),
      create: () => Promise.resolve({ id: `batch_${uploaded.length}` }),
    },
    files: {
      content: () => Promise.resolve({ text: () => Promise.resolve(outputFile()) }),
      create: async ({ file }: { file: { text(): Promise<string> } }) => {
        uploaded.push(await file.text());
        return { id: `file_${uploaded.length}` };
      },
    },
  };
  return {
    store,
    openai,
    prices: new PriceTable(),
    logger: pino({ level: 'silent' }),
    routing: DEFAULT_ROUTING,
  } as unknown as ActivityDeps;
}

const batch = { batchId: 'batch_1', model: MODEL, lines: LINES, reservedPico: 0, key: 'k' };

describe('batch steps over ranges larger than one bulk chunk', () => {
  it('collect records one call per planned line, with the sync prompt hash, and again records none', async () => {
    const collect = makeCollectBatch(deps());
    const env = new MockActivityEnvironment();
    const reads = vi.spyOn(store, 'getPlannedListings');
    const writes = vi.spyOn(store, 'recordCalls');
    expect(await env.run(collect, { runId: 'run-1', batch })).toStrictEqual({
      recorded: LINES - 1,
      failedLines: 0,
    });
    // One read and one write per chunk of lines, not one per line.
    expect([reads.mock.calls.length, writes.mock.calls.length]).toStrictEqual([3, 3]);
    const calls = [];
    for await (const page of callPages(store, { runId: 'run-1', batchId: 'batch_1' })) calls.push(...page);
    expect(calls.map((c) => c.listingId)).toStrictEqual(
      Array.from({ length: LINES - 1 }, (_, i) => `job-${i}`),
    );
    const last = calls[calls.length - 1];
    expect(last?.promptHash).toBe(promptHash(buildScoringRequest(MODEL, CRITERIA, listingOf(LINES - 2))));
    expect(last).toMatchObject({ route: 'batch', status: 'ok', attempt: 1, promptTokens: 100 });
    expect(await env.run(collect, { runId: 'run-1', batch })).toStrictEqual({ recorded: 0, failedLines: 0 });
  });

  it('submit writes one line per unfinished planned listing, in seq order', async () => {
    const uploaded: string[] = [];
    const submit = makeSubmitBatches(deps(uploaded));
    const refs: BatchRef[] = await new MockActivityEnvironment().run(submit, {
      runId: 'run-1',
      fromSeq: 0,
      toSeq: LINES,
      round: 0,
    });
    expect(refs.reduce((n, r) => n + r.lines, 0)).toBe(LINES);
    const ids = uploaded.flatMap((f) =>
      f
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { custom_id: string }).custom_id),
    );
    expect(ids).toStrictEqual(Array.from({ length: LINES }, (_, i) => customId(`job-${i}`, 0)));
  });

  it('an escalation round sends only low-confidence small-model answers without a large-model answer', async () => {
    const answered = async (i: number, model: string, confidence: number) => {
      const [id] = await store.recordCalls([
        call({ listingId: `job-${i}`, model, route: 'batch', promptHash: `h${i}` }),
      ]);
      await store.setCallVerdict(id ?? 0, { validation: 'valid', score: 5, confidence, reasoning: 'r' });
    };
    const { small, large } = DEFAULT_ROUTING.models;
    await answered(3, small, 0.3); // low: escalates
    await answered(700, small, 0.4); // low, in another chunk: escalates
    await answered(5, small, 0.9); // confident: stays
    await answered(9, small, 0.2);
    await answered(9, large, 0.9); // already escalated
    const uploaded: string[] = [];
    const refs: BatchRef[] = await new MockActivityEnvironment().run(makeSubmitBatches(deps(uploaded)), {
      runId: 'run-1',
      fromSeq: 0,
      toSeq: LINES,
      round: 1,
      escalateBelow: 0.5,
    });
    expect(refs.map((r) => [r.model, r.lines])).toStrictEqual([[large, 2]]);
    const ids = uploaded.flatMap((f) =>
      f
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { custom_id: string }).custom_id),
    );
    expect(ids).toStrictEqual([customId('job-3', 1), customId('job-700', 1)]);
  });
});
