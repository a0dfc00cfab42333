import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, type Ledger, type RunningSimulator } from '../../../simulator';
import { adminURL, makeListings, scoringRequest, startTestSimulator } from './helpers';

let sim: RunningSimulator;
let client: OpenAI;
beforeAll(async () => {
  ({ sim, client } = await startTestSimulator());
});
afterAll(() => sim.close());

const listings = makeListings(6);

describe('ledger', () => {
  it('sums billed tokens and prices them exactly from the provider table', async () => {
    sim.resetLedger();
    const usages: OpenAI.CompletionUsage[] = [];
    for (const l of listings.slice(0, 3))
      usages.push((await client.chat.completions.create(scoringRequest(l, 'gpt-4o-mini'))).usage!);
    const gpt41 = (await client.chat.completions.create(scoringRequest(listings[3]!, 'gpt-4.1'))).usage!;
    await client.chat.completions
      .create(scoringRequest(listings[0]!, 'no-such-model'))
      .catch(() => undefined);

    const ledger = sim.ledger();
    const mini = ledger.models['gpt-4o-mini']!;
    const sum = (k: 'prompt_tokens' | 'completion_tokens') => usages.reduce((s, u) => s + u[k], 0);
    expect(mini.requests).toBe(3);
    expect(mini.promptTokens).toBe(sum('prompt_tokens'));
    expect(mini.completionTokens).toBe(sum('completion_tokens'));
    // 0.15 / 0.60 USD per 1M tokens = 150 / 600 nano-USD per token; no cache hits on short prompts.
    expect(mini.nanoUsd).toBe(sum('prompt_tokens') * 150 + sum('completion_tokens') * 600);
    expect(ledger.models['gpt-4.1']!.nanoUsd).toBe(
      gpt41.prompt_tokens * 2000 + gpt41.completion_tokens * 8000,
    );
    expect(ledger.total.requests).toBe(4);
    expect(ledger.total.usd).toBeCloseTo(ledger.total.nanoUsd / 1e9, 12);
  });

  it('is served and reset over the admin API', async () => {
    await client.chat.completions.create(scoringRequest(listings[0]!));
    const ledger = (await (await fetch(adminURL(sim, '/_sim/ledger'))).json()) as Ledger;
    expect(ledger.total.requests).toBeGreaterThan(0);
    const reset = await fetch(adminURL(sim, '/_sim/ledger/reset'), { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(sim.ledger().total.requests).toBe(0);
  });
});

describe('admin config', () => {
  it('rejects an invalid config patch with 400 naming the field path', async () => {
    const response = await fetch(adminURL(sim, '/_sim/config'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRates: { http500: 2 } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('errorRates.http500');
    expect(() => sim.configure({ rateLimits: { 'gpt-4o': { rpm: -1, tpm: 10 } } })).toThrow(
      /rateLimits\.gpt-4o\.rpm/,
    );
    expect(() => sim.configure({ latencyScale: 'fast' } as never)).toThrow(ConfigError);
  });

  it('names unknown keys in the patch', () => {
    expect(() => sim.configure({ errorRates: { http418: 0.1 } } as never)).toThrow(/http418/);
  });

  it('merges a valid patch and serves the result', async () => {
    const response = await fetch(adminURL(sim, '/_sim/config'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ random429Rate: 0.25, errorRates: { http502: 0.1 } }),
    });
    expect(response.status).toBe(200);
    const config = (await (await fetch(adminURL(sim, '/_sim/config'))).json()) as {
      random429Rate: number;
      errorRates: { http500: number; http502: number };
    };
    expect(config.random429Rate).toBe(0.25);
    expect(config.errorRates).toMatchObject({ http500: 0, http502: 0.1 });
    sim.configure({ random429Rate: 0, errorRates: { http502: 0 } });
  });

  it('reports health and stats, including the busiest minute per model', async () => {
    expect((await fetch(adminURL(sim, '/_sim/health'))).status).toBe(200);
    for (const l of listings.slice(0, 3))
      await client.chat.completions.create(scoringRequest(l, 'gpt-4.1-nano'));
    const stats = sim.stats();
    expect(stats.maxRequestsPer60s['gpt-4.1-nano']).toBe(3);
    expect(stats.byStatus['200']).toBeGreaterThan(0);
    expect(stats.inFlight).toBeGreaterThanOrEqual(0);
    const served = (await (await fetch(adminURL(sim, '/_sim/stats'))).json()) as { totalRequests: number };
    expect(served.totalRequests).toBeGreaterThan(stats.totalRequests - 1);
  });
});

describe('completion without HTTP', () => {
  it('runs the same model and bills at a discount for the batch processor', async () => {
    const { SimulatorEngine } = await import('../../../simulator');
    const engine = new SimulatorEngine(42);
    const result = engine.complete(scoringRequest(listings[0]!), Date.now(), 0.5);
    if (!result.ok) throw new Error(result.error.body.error.message);
    const usage = result.outcome.completion.usage;
    expect(engine.ledger.snapshot().total.nanoUsd).toBe(
      (usage.prompt_tokens * 150 + usage.completion_tokens * 600) / 2,
    );
    const viaHttp = await client.chat.completions.create(scoringRequest(listings[0]!));
    expect(result.outcome.completion.choices[0]!.message.tool_calls![0]!.function.arguments).toBe(
      viaHttp.choices[0]!.message.tool_calls![0]!.type === 'function'
        ? viaHttp.choices[0]!.message.tool_calls![0]!.function.arguments
        : '',
    );
    const rejected = engine.complete({ model: 'nope', messages: [] }, Date.now());
    expect(rejected.ok).toBe(false);
  });
});
