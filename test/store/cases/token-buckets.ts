import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';

/** The shared tokens-per-minute bucket (migration 6): one budget for every worker on the store. */
export function tokenBucketCases(ctx: ContractContext): void {
  describe('token buckets', () => {
    it('takes nothing and asks no wait while no limit is known', async () => {
      expect(await ctx.store.takeTokens('tpm:unknown', 5000)).toStrictEqual({
        waitMs: 0,
        perMinute: undefined,
      });
    });

    it('starts full at the limit, then asks the overdrawing caller to wait for the refill', async () => {
      expect(await ctx.store.takeTokens('tpm:a', 60_000, 60_000)).toMatchObject({
        waitMs: 0,
        perMinute: 60_000,
      });
      const next = await ctx.store.takeTokens('tpm:a', 1000);
      // 1,000 tokens at 1,000 a second: about a second, less what refilled meanwhile.
      expect(next.perMinute).toBe(60_000);
      expect(next.waitMs).toBeGreaterThan(500);
      expect(next.waitMs).toBeLessThanOrEqual(1000);
    });

    it('never lets parallel workers take more than the bucket holds without waiting', async () => {
      const workers = Array.from({ length: 8 }, () => ctx.connect());
      await ctx.store.takeTokens('tpm:race', 0, 8000);
      const waits = await Promise.all(workers.map((s) => s.takeTokens('tpm:race', 2000)));
      // 8 × 2,000 from a bucket of 8,000: at most four pass at once, the rest wait in turn.
      const passed = waits.filter((w) => w.waitMs === 0).length;
      expect(passed).toBeLessThanOrEqual(4);
      const sorted = waits.map((w) => w.waitMs).sort((x, y) => x - y);
      expect(sorted.at(-1)).toBeGreaterThan(50_000);
    });

    it('gives back what a settlement returns, and holds no more than the provider says remains', async () => {
      await ctx.store.takeTokens('tpm:s', 10_000, 10_000);
      await ctx.store.observeTokens('tpm:s', { deltaTokens: 4000, perMinute: 10_000 });
      expect((await ctx.store.takeTokens('tpm:s', 4000)).waitMs).toBe(0);
      await ctx.store.observeTokens('tpm:s', { perMinute: 10_000, remaining: 0 });
      expect((await ctx.store.takeTokens('tpm:s', 1000)).waitMs).toBeGreaterThan(5000);
    });

    it('keeps a limit learned by one worker for the others', async () => {
      await ctx.store.observeTokens('tpm:learned', { perMinute: 120_000, remaining: 120_000 });
      expect(await ctx.connect().takeTokens('tpm:learned', 100)).toMatchObject({
        waitMs: 0,
        perMinute: 120_000,
      });
    });

    it('refuses a negative token count with a message naming it', async () => {
      await expect(ctx.store.takeTokens('tpm:bad', -1, 100)).rejects.toThrow(
        /tokens must be a non-negative number/,
      );
    });
  });
}
