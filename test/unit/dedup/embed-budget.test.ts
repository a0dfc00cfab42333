import { describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../../src/activities';
import { embedListings } from '../../../src/dedup/embed';
import { createLogger } from '../../../src/observability/logger';
import { PriceTable } from '../../../src/scoring/pricing';
import { SqliteStore } from '../../../src/store/sqlite';
import { listing, run } from '../../store/fixtures';

const MODEL = 'text-embedding-3-small';

/** A provider that answers every input with a fixed unit vector and counts what it was asked. */
function provider() {
  const asked: string[][] = [];
  return {
    asked,
    embeddings: {
      create: (body: { input: string[] }) => {
        asked.push(body.input);
        return Promise.resolve({
          data: body.input.map((_, index) => ({ index, embedding: [1, 0, 0] })),
          usage: { prompt_tokens: body.input.join(' ').length },
        });
      },
    },
  };
}

async function setup(limitPico?: number) {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  await store.upsertRun(run('run-1'));
  const r = await store.getRun('run-1');
  if (limitPico !== undefined) await store.setBudgetLimit(`day:${r?.runDate}`, limitPico);
  const openai = provider();
  // Only what the embedding step touches.
  const deps = {
    store,
    openai,
    prices: new PriceTable(),
    logger: createLogger({ level: 'silent', console: false }),
  } as unknown as ActivityDeps;
  const job = {
    runId: 'run-1',
    workflowId: 'wf',
    key: { model: MODEL, dimensions: 3 },
    listings: Array.from({ length: 300 }, (_, seq) => ({
      seq,
      listing: listing(`job-${seq}`, { description: `Role number ${seq}: build and run our services.` }),
    })),
  };
  return { store, openai, deps, job, day: `day:${r?.runDate}` };
}

describe('the embedding step and the budget', () => {
  it('reserves each request against the day and settles it to what was billed', async () => {
    const { store, deps, job, day } = await setup(1_000_000_000_000);
    const r = await embedListings(deps, job);
    expect(r.embedded).toBe(300);
    expect(r.overBudget).toBeUndefined();
    const budget = await store.getBudget(day);
    expect(budget?.reservedPico).toBe(0);
    expect(budget?.spentPico).toBe(r.costPico);
    expect(r.costPico).toBeGreaterThan(0);
  });

  it('stops embedding when the budget has no room, and leaves those listings out of dedup', async () => {
    const { store, openai, deps, job, day } = await setup(1);
    const r = await embedListings(deps, job);
    expect(openai.asked).toHaveLength(0);
    expect(r).toMatchObject({ embedded: 0, calls: 0, overBudget: 300 });
    expect((await store.getBudget(day))?.spentPico).toBe(0);
  });
});
