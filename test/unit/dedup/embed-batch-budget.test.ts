import { describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../../src/activities';
import { collectEmbeddingBatches, submitEmbeddingBatches } from '../../../src/dedup/embed-batch';
import { createLogger } from '../../../src/observability/logger';
import { PriceTable } from '../../../src/scoring/pricing';
import { SqliteStore } from '../../../src/store/sqlite';
import { listing, run } from '../../store/fixtures';

const MODEL = 'text-embedding-3-small';

/** A Batch API that runs every submitted embedding line at once, a unit vector per input. */
function batchApi() {
  const inputs = new Map<string, string>();
  const created: string[] = [];
  return {
    created,
    files: {
      create: async (body: { file: { text(): Promise<string> } }) => {
        const id = `file-${inputs.size}`;
        inputs.set(id, await body.file.text());
        return { id };
      },
      content: (id: string) => {
        const lines = (inputs.get(id.replace('out-', '')) ?? '').split('\n').filter((l) => l !== '');
        const out = lines.map((raw) => {
          const line = JSON.parse(raw) as { custom_id: string; body: { input: string } };
          return JSON.stringify({
            custom_id: line.custom_id,
            response: {
              status_code: 200,
              body: { data: [{ embedding: [1, 0, 0] }], usage: { prompt_tokens: line.body.input.length } },
            },
          });
        });
        return Promise.resolve({ text: () => Promise.resolve(out.join('\n')) });
      },
    },
    batches: {
      create: (body: { input_file_id: string }) => {
        created.push(body.input_file_id);
        return Promise.resolve({ id: `batch-${body.input_file_id}` });
      },
      retrieve: (id: string) =>
        Promise.resolve({ id, status: 'completed', output_file_id: `out-${id.replace('batch-', '')}` }),
    },
  };
}

async function setup(limitPico: number) {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  await store.upsertRun(run('run-1'));
  const r = await store.getRun('run-1');
  const day = `day:${r?.runDate}`;
  await store.setBudgetLimit(day, limitPico);
  const openai = batchApi();
  // Only what the embedding batch steps touch.
  const deps = {
    store,
    openai,
    prices: new PriceTable(),
    logger: createLogger({ level: 'silent', console: false }),
  } as unknown as ActivityDeps;
  const key = { model: MODEL, dimensions: 3 };
  const job = {
    runId: 'run-1',
    workflowId: 'wf',
    key,
    listings: Array.from({ length: 120 }, (_, seq) => ({
      seq,
      listing: listing(`job-${seq}`, { description: `Role number ${seq}: build and run our services.` }),
    })),
  };
  return { store, openai, deps, job, day };
}

describe('embedding batches and the budget', () => {
  it('reserve their worst case when submitted and settle to what they cost when collected, once', async () => {
    const { store, deps, job, day } = await setup(1_000_000_000_000);
    const batchIds = await submitEmbeddingBatches(deps, job);
    expect(batchIds).toHaveLength(1);
    const held = await store.getBudget(day);
    expect(held?.reservedPico).toBeGreaterThan(0);
    expect(held?.spentPico).toBe(0);

    const collected = await collectEmbeddingBatches(deps, { ...job, batchIds });
    expect(collected.embedded).toBe(120);
    expect(collected.costPico).toBeGreaterThan(0);
    expect(collected.costPico).toBeLessThanOrEqual(held?.reservedPico ?? 0);
    const settled = await store.getBudget(day);
    expect(settled).toMatchObject({ reservedPico: 0, spentPico: collected.costPico });

    // A retried collect finds the batch booked and settles nothing twice.
    await collectEmbeddingBatches(deps, { ...job, batchIds });
    expect(await store.getBudget(day)).toMatchObject({ reservedPico: 0, spentPico: collected.costPico });
  });

  it('send nothing when the budget has no room for the worst case', async () => {
    const { store, openai, deps, job, day } = await setup(1);
    expect(await submitEmbeddingBatches(deps, job)).toEqual([]);
    expect(openai.created).toEqual([]);
    expect(await store.getBudget(day)).toMatchObject({ reservedPico: 0, spentPico: 0 });
  });
});
