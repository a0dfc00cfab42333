import { afterEach, describe, expect, it } from 'vitest';
import { SharedTokenLimiter, type LimitChange } from '../../../src/llm/rate-limits/shared-limiter';
import { SqliteStore } from '../../../src/store/sqlite';

const stores: SqliteStore[] = [];
async function store(): Promise<SqliteStore> {
  const s = new SqliteStore(':memory:');
  await s.migrate();
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe('SharedTokenLimiter', () => {
  it('reserves a worst case before the provider has counted a prompt, and refunds it on settling', async () => {
    const s = await store();
    const limiter = new SharedTokenLimiter(s, { configuredTpm: { m: 10_000 } });
    const first = await limiter.reserve('m', 100, 120);
    expect(first.tokens).toBe(4 * 100 + 120);
    await limiter.settle(first, 100, 120, 150, undefined);
    // The bucket got back what was over-reserved: 10,000 − (150 + 120) is left.
    const second = await limiter.reserve('m', 100, 120);
    expect(second.tokens).toBe(150 + 120);
    expect(second.waitMs).toBe(0);
  });

  it('learns the limit from the first answer and retunes the queue from it', async () => {
    const s = await store();
    const changes: LimitChange[] = [];
    const limiter = new SharedTokenLimiter(s, { onChange: (c) => changes.push(c) });
    const probe = await limiter.reserve('m', 100, 120);
    await limiter.settle(probe, 100, 120, 100, {
      limitTokens: 6000,
      limitRequests: 500,
      remainingTokens: 5780,
    });
    expect(limiter.limitOf('m')).toStrictEqual({ tpm: 6000, source: 'learned' });
    expect(changes).toMatchObject([
      { model: 'm', tokensPerMinute: 6000, meanTokensPerCall: 220, source: 'learned' },
    ]);
    // 5,780 left; 26 calls of 220 take 5,720, the 27th must wait.
    for (let i = 0; i < 26; i++) expect((await limiter.reserve('m', 100, 120)).waitMs).toBe(0);
    expect((await limiter.reserve('m', 100, 120)).waitMs).toBeGreaterThan(0);
  });

  it('sends one probing call at a time while no limit is known', async () => {
    const s = await store();
    const limiter = new SharedTokenLimiter(s);
    const probe = await limiter.reserve('m', 10, 10);
    let second = false;
    const waiting = limiter.reserve('m', 10, 10).then(() => (second = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(second).toBe(false);
    await limiter.settle(probe, 10, 10, 10, { limitTokens: 1000 });
    await waiting;
    expect(second).toBe(true);
  });

  it('stops probing a provider that sends no rate-limit headers', async () => {
    const s = await store();
    const limiter = new SharedTokenLimiter(s);
    const probe = await limiter.reserve('m', 10, 10);
    await limiter.settle(probe, 10, 10, 10, {});
    const both = await Promise.all([limiter.reserve('m', 10, 10), limiter.reserve('m', 10, 10)]);
    expect(both.map((r) => r.waitMs)).toStrictEqual([0, 0]);
  });
});
