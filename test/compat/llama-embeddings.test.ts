import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../src/activities';
import { dot } from '../../src/dedup/cluster';
import { embedListings } from '../../src/dedup/embed';
import { embeddingText, textHash } from '../../src/dedup/embedding-text';
import { startLlamaServer, type LlamaServer } from '../../src/dev/llama-server';
import { createLogger } from '../../src/observability/logger';
import { PriceTable } from '../../src/scoring/pricing';
import { SqliteStore } from '../../src/store/sqlite';
import { listing } from '../store/fixtures';

/**
 * The embedding step against llama.cpp's own server with the compat tier's real model, in
 * embedding mode (its own process: llama.cpp serves embeddings or chat, not both). What a
 * server nobody here wrote returns must go through the same client code, cache and ledger,
 * and a repost must lie closer to its original than another job of the same company does.
 */
let llama: LlamaServer;
let store: SqliteStore;

beforeAll(async () => {
  llama = await startLlamaServer({ alias: 'smollm2-embed', parallel: 1, ctx: 2048, embedding: true });
  store = new SqliteStore(':memory:');
  await store.migrate();
}, 180_000);

afterAll(async () => {
  await store?.close();
  await llama?.stop();
});

const ORIGINAL = listing('job-1', {
  company: 'Northwind Labs',
  title: 'Senior Backend Engineer',
  description:
    'Posted 2026-11-28. We are hiring a senior backend engineer to build our payments platform in Go ' +
    'and PostgreSQL. Requirements: 5+ years of backend work; experience with distributed systems; ' +
    'on-call for services you own. Berlin office or remote within the EU.',
});
const REPOST = listing('job-1-repost', {
  company: 'Northwind Labs',
  title: 'Senior Backend Engineer',
  description:
    'Posted 2026-12-01.  We are hiring a senior backend engineer to build our payments platform in Go ' +
    'and PostgreSQL.\nRequirements: experience with distributed systems; 5+ years of backend work; ' +
    'on-call for services you own. Berlin office or remote within the EU.',
});
const OTHER = listing('job-2', {
  company: 'Northwind Labs',
  title: 'Office Manager',
  description:
    'Posted 2026-11-28. Run our Berlin office: suppliers, travel, events and the welcome of new ' +
    'colleagues. Requirements: German and English, three years in a similar role, calm under pressure.',
});

describe('embeddings from llama.cpp with a real small model', () => {
  it('are cached and ledgered by the pipeline, and put a repost nearer its original than another job', async () => {
    // Only what the embedding step touches; the rest of the activity deps is not used by it.
    const deps = {
      store,
      openai: new OpenAI({ baseURL: llama.baseURL, apiKey: 'local', maxRetries: 0 }),
      prices: new PriceTable().withOverrides({ [llama.alias]: { input: 0, cachedInput: 0, output: 0 } }),
      logger: createLogger({ level: 'silent', console: false }),
    } as unknown as ActivityDeps;
    // llama.cpp ignores `dimensions` and answers in the model's own size (576 for SmolLM2-135M).
    const key = { model: llama.alias, dimensions: 1024 };
    const job = {
      runId: 'run-1',
      workflowId: 'wf-1',
      key,
      listings: [ORIGINAL, REPOST, OTHER].map((l, seq) => ({ seq, listing: l })),
    };
    const first = await embedListings(deps, job);
    expect(first).toMatchObject({ listings: 3, embedded: 3, calls: 1 });
    expect(first.promptTokens).toBeGreaterThan(0);

    const vectors = await store.dedup.findEmbeddings(
      key,
      [ORIGINAL, REPOST, OTHER].map((l) => textHash(embeddingText(l))),
    );
    const [a, b, c] = [ORIGINAL, REPOST, OTHER].map(
      (l) => vectors.get(textHash(embeddingText(l))) as Float32Array,
    );
    expect(a?.length).toBeGreaterThan(100);
    const repost = dot(a as Float32Array, b as Float32Array);
    const other = dot(a as Float32Array, c as Float32Array);
    console.log(`llama.cpp embeddings: repost cosine ${repost.toFixed(3)}, other job ${other.toFixed(3)}`);
    expect(repost).toBeGreaterThan(other);
    expect(repost).toBeGreaterThan(0.9);

    // Paid once: the same texts again are all cache hits, and no request is sent.
    const second = await embedListings(deps, { ...job, runId: 'run-2' });
    expect(second).toMatchObject({ embedded: 0, cached: 3, calls: 0 });
  });
});
