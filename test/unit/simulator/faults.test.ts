import OpenAI, { type APIConnectionError, type APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunningSimulator } from '../../../simulator';
import { adminURL, makeListings, scoringRequest, startTestSimulator, toolArguments } from './helpers';

let sim: RunningSimulator;
let client: OpenAI;
beforeAll(async () => {
  ({ sim, client } = await startTestSimulator({ seed: 3 }));
});
afterAll(() => sim.close());
afterEach(() => {
  // Every test starts from a quiet provider.
  sim.configure({
    rateLimits: DEFAULT_CONFIG.rateLimits,
    errorRates: DEFAULT_CONFIG.errorRates,
    outputFaults: DEFAULT_CONFIG.outputFaults,
    insufficientQuota: false,
    random429Rate: 0,
    outage: null,
  });
});

const listings = makeListings(30);
/** Error codes along the cause chain (the SDK wraps fetch's TypeError, which wraps the socket error). */
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error as { cause?: unknown; code?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'string') codes.push(e.code);
  }
  return codes;
}
const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('rate limits', () => {
  it('answers 429 RateLimitError with retry-after and x-ratelimit headers once rpm is used up', async () => {
    sim.configure({ rateLimits: { 'gpt-4o-mini': { rpm: 3, tpm: 1_000_000 } } });
    const results = [];
    for (const l of listings.slice(0, 5))
      results.push(await settle(client.chat.completions.create(scoringRequest(l))));
    expect(results.slice(0, 3).every((r) => 'value' in r)).toBe(true);
    const rejected = results[3]!;
    expect('error' in rejected && rejected.error).toBeInstanceOf(OpenAI.RateLimitError);
    const error = (rejected as { error: APIError }).error;
    expect(error.type).toBe('requests');
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toMatch(
      /Rate limit reached for gpt-4o-mini .* on requests per min \(RPM\): Limit 3/,
    );
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(error.headers?.get('retry-after-ms'))).toBeGreaterThan(0);
    expect(error.headers?.get('x-ratelimit-limit-requests')).toBe('3');
    expect(error.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(error.headers?.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?s$/);
    expect(error.headers?.get('x-ratelimit-limit-tokens')).toBe('1000000');
    expect(sim.stats().rateLimited.requests).toBeGreaterThanOrEqual(2);
  });

  it('answers 429 of type tokens when a request does not fit the remaining tpm', async () => {
    sim.configure({ rateLimits: { 'gpt-4o-mini': { rpm: 1000, tpm: 400 } } });
    await client.chat.completions.create(scoringRequest(listings[0]!));
    await client.chat.completions.create(scoringRequest(listings[1]!));
    const error = (await settle(client.chat.completions.create(scoringRequest(listings[2]!)))) as {
      error: APIError;
    };
    expect(error.error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.error.type).toBe('tokens');
  });

  it('answers random 429 bursts at random429Rate with retry headers', async () => {
    sim.configure({ random429Rate: 1 });
    const { error } = (await settle(client.chat.completions.create(scoringRequest(listings[0]!)))) as {
      error: APIError;
    };
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.headers?.get('retry-after')).toBe('1');
    expect(sim.stats().rateLimited.random).toBe(1);
  });

  it('answers insufficient_quota with its own 429 type and code', async () => {
    sim.configure({ insufficientQuota: true });
    const { error } = (await settle(client.chat.completions.create(scoringRequest(listings[0]!)))) as {
      error: APIError;
    };
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.type).toBe('insufficient_quota');
    expect(error.code).toBe('insufficient_quota');
    expect(error.message).toContain('You exceeded your current quota');
  });
});

describe('server and network faults', () => {
  it('returns 500/502/503 as InternalServerError at the configured rate and bills none of them', async () => {
    sim.resetLedger();
    sim.configure({ errorRates: { http500: 1 } });
    const { error } = (await settle(client.chat.completions.create(scoringRequest(listings[0]!)))) as {
      error: APIError;
    };
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(500);
    sim.configure({ errorRates: { http500: 0, http503: 1 } });
    const second = (await settle(client.chat.completions.create(scoringRequest(listings[0]!)))) as {
      error: APIError;
    };
    expect(second.error.status).toBe(503);
    expect(sim.ledger().total.requests).toBe(0);
  });

  it('draws faults afresh for a retried body, so a 50% rate does not fail one request forever', async () => {
    sim.configure({ errorRates: { http500: 0.5 } });
    const outcomes = [];
    for (let i = 0; i < 12; i++)
      outcomes.push('value' in (await settle(client.chat.completions.create(scoringRequest(listings[5]!)))));
    expect(outcomes).toContain(true);
    expect(outcomes).toContain(false);
  });

  it('resets the connection so the SDK throws APIConnectionError', async () => {
    sim.configure({ errorRates: { connectionReset: 1 } });
    const { error } = (await settle(client.chat.completions.create(scoringRequest(listings[0]!)))) as {
      error: unknown;
    };
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(sim.stats().connectionsReset).toBeGreaterThanOrEqual(1);
  });

  it('holds a hung request until the client times out', async () => {
    sim.configure({ errorRates: { hang: 1 }, hangMs: 5_000 });
    const impatient = new OpenAI({ baseURL: sim.baseURL, apiKey: 'test', maxRetries: 0, timeout: 300 });
    const { error } = (await settle(impatient.chat.completions.create(scoringRequest(listings[0]!)))) as {
      error: unknown;
    };
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(sim.stats().hangs).toBeGreaterThanOrEqual(1);
  });

  it("refuses connections during a 'refuse' outage and serves again on the same port afterwards", async () => {
    const response = await fetch(adminURL(sim, '/_sim/config'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outage: { mode: 'refuse', durationMs: 400 } }),
    });
    expect(response.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    const during = (await settle(client.chat.completions.create(scoringRequest(listings[0]!)))) as {
      error: APIConnectionError;
    };
    expect(during.error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(causeCodes(during.error)).toContain('ECONNREFUSED');
    await new Promise((r) => setTimeout(r, 500));
    const after = await client.chat.completions.create(scoringRequest(listings[0]!));
    expect(after.choices).toHaveLength(1);
    expect(sim.stats().outage.totalMs).toBeGreaterThanOrEqual(350);
  });

  it("answers 503 to everything during a '503' outage", async () => {
    sim.configure({ outage: { mode: '503', durationMs: 10_000 } });
    const { error } = (await settle(client.chat.completions.create(scoringRequest(listings[0]!)))) as {
      error: APIError;
    };
    expect(error.status).toBe(503);
    expect(sim.stats().outage.active).toBe(true);
    sim.configure({ outage: null });
    expect((await client.chat.completions.create(scoringRequest(listings[0]!))).choices).toHaveLength(1);
  });
});

describe('model-output faults', () => {
  const call = (i: number) => client.chat.completions.create(scoringRequest(listings[i]!));

  it('returns unparseable arguments when invalidJson fires', async () => {
    sim.configure({ outputFaults: { invalidJson: 1 } });
    const args = toolArguments(await call(0));
    expect(() => JSON.parse(args) as unknown).toThrow();
  });

  it('returns arguments that break the schema when schemaViolation fires', async () => {
    sim.configure({ outputFaults: { schemaViolation: 1 } });
    for (let i = 0; i < 8; i++) {
      const args = JSON.parse(toolArguments(await call(i))) as Record<string, unknown>;
      const broken =
        Object.keys(args).length < 3 ||
        (args.score as number) > 10 ||
        (args.confidence as number) > 1 ||
        String(args.reasoning).length > 200;
      expect(broken).toBe(true);
    }
  });

  it('sets message.refusal without a tool call when refusal fires', async () => {
    sim.configure({ outputFaults: { refusal: 1 } });
    const message = (await call(0)).choices[0]!.message;
    expect(message.refusal).toMatch(/can't help/);
    expect(message.tool_calls).toBeUndefined();
    expect(message.content).toBeNull();
  });

  it('cuts the arguments with finish_reason length when truncated fires', async () => {
    sim.configure({ outputFaults: { truncated: 1 } });
    const completion = await call(0);
    expect(completion.choices[0]!.finish_reason).toBe('length');
    expect(() => JSON.parse(toolArguments(completion)) as unknown).toThrow();
  });

  it('bills output faults, since the provider generated the tokens', async () => {
    sim.resetLedger();
    sim.configure({ outputFaults: { invalidJson: 1 } });
    await call(1);
    expect(sim.ledger().total.requests).toBe(1);
  });
});
