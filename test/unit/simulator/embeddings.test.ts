import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator';
import { startTestSimulator } from './helpers';

let sim: RunningSimulator;
let client: OpenAI;
beforeAll(async () => {
  ({ sim, client } = await startTestSimulator());
});
afterAll(() => sim.close());

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

const ORIGINAL = `Senior Backend Engineer
Acme GmbH
Berlin
We build payment rails for small shops across Europe.
You will own our TypeScript services and their on-call.
- 5 years of Node.js
- PostgreSQL in production
- Kubernetes`;
const REPOST = `Senior Backend Engineer
Acme GmbH
Berlin
Reposted 2026-11-20
We build payment rails for small shops across Europe.

You will own our TypeScript services and their on-call.
- PostgreSQL in production
- 5 years of Node.js
- Kubernetes`;
const OTHER = `Registered Nurse, night shifts
St. Mary Clinic
Dublin
Our ward cares for patients after cardiac surgery.
You will work in a team of twelve nurses on rotating nights.
- Nursing registration
- Two years of ward experience`;

describe('/v1/embeddings', () => {
  it('puts a repost with a date line, other line breaks and reordered requirements close to its original, and another job far away', async () => {
    // The SDK asks for base64 unless told otherwise and decodes it: both encodings are exercised.
    const res = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: [ORIGINAL, REPOST, OTHER],
      dimensions: 512,
    });
    const [a, b, c] = res.data.map((d) => d.embedding);
    expect(a).toHaveLength(512);
    expect(cosine(a!, a!)).toBeCloseTo(1, 5);
    expect(cosine(a!, b!)).toBeGreaterThan(0.9);
    expect(cosine(a!, c!)).toBeLessThan(0.6);
    const floats = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ORIGINAL,
      dimensions: 512,
      encoding_format: 'float',
    });
    // float32 on the wire for base64, so equal to about 7 digits.
    expect(floats.data[0]!.embedding[3]).toBeCloseTo(a![3]!, 6);
  });

  it('bills the prompt tokens it reports at the embedding price, on the ledger', async () => {
    sim.resetLedger();
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: [ORIGINAL, OTHER] });
    expect(res.data[0]!.embedding).toHaveLength(1536);
    expect(res.usage.prompt_tokens).toBeGreaterThan(30);
    const entry = sim.ledger().models['text-embedding-3-small']!;
    expect(entry.requests).toBe(1);
    expect(entry.promptTokens).toBe(res.usage.prompt_tokens);
    // $0.02 per 1M tokens is 20 nano-USD a token.
    expect(entry.nanoUsd).toBe(res.usage.prompt_tokens * 20);
  });

  it('answers an unknown model with 404 and a bad dimensions value with a 400 naming the parameter', async () => {
    sim.resetLedger();
    await expect(client.embeddings.create({ model: 'no-such-embedder', input: 'x' })).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    await expect(
      client.embeddings.create({ model: 'text-embedding-3-small', input: 'x', dimensions: 4096 }),
    ).rejects.toMatchObject({ status: 400, param: 'dimensions' });
    expect(sim.ledger().models['text-embedding-3-small']?.requests ?? 0).toBe(0);
  });
});
