import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';

/** Budgets, and the shared tokens-per-minute buckets (migration 6) beside them. */
export function budgetCases(ctx: ContractContext): void {
  describe('budgets', () => {
    it('treats a scope without a limit as unlimited', async () => {
      expect(await ctx.store.getBudget('run:run-1')).toBeUndefined();
      expect(await ctx.store.reserveBudget(['run:run-1'], 1e15)).toStrictEqual({ ok: true });
      await ctx.store.settleBudget(['run:run-1'], 1e15, 5);
      expect(await ctx.store.getBudget('run:run-1')).toBeUndefined();
    });

    it('sets and raises a limit without touching what is reserved or spent', async () => {
      await ctx.store.setBudgetLimit('day:2026-11-29', 5e12);
      await ctx.store.reserveBudget(['day:2026-11-29'], 1e12);
      await ctx.store.setBudgetLimit('day:2026-11-29', 8e12);
      expect(JSON.stringify(await ctx.store.getBudget('day:2026-11-29'))).toBe(
        JSON.stringify({ scope: 'day:2026-11-29', limitPico: 8e12, reservedPico: 1e12, spentPico: 0 }),
      );
    });

    it('reserves in every scope or in none, and names the first scope without room', async () => {
      await ctx.store.setBudgetLimit('run:run-1', 100);
      await ctx.store.setBudgetLimit('day:2026-11-29', 50);
      await ctx.store.setBudgetLimit('day:2026-11-30', 10);
      expect(await ctx.store.reserveBudget(['run:run-1', 'day:2026-11-29'], 50)).toStrictEqual({ ok: true });
      expect(
        await ctx.store.reserveBudget(['run:run-1', 'day:2026-11-29', 'day:2026-11-30'], 20),
      ).toStrictEqual({
        ok: false,
        scope: 'day:2026-11-29',
      });
      expect(await ctx.store.reserveBudget(['day:2026-11-30', 'day:2026-11-29'], 20)).toStrictEqual({
        ok: false,
        scope: 'day:2026-11-30',
      });
      expect(await ctx.store.getBudget('run:run-1')).toMatchObject({ reservedPico: 50 });
      expect(await ctx.store.getBudget('day:2026-11-30')).toMatchObject({ reservedPico: 0 });
      // Exactly full is allowed: the check is spent + reserved + amount <= limit.
      expect(await ctx.store.reserveBudget(['run:run-1'], 50)).toStrictEqual({ ok: true });
    });

    it('settles a reservation into what the call really cost, never below zero reserved', async () => {
      await ctx.store.setBudgetLimit('run:run-1', 1_000);
      await ctx.store.reserveBudget(['run:run-1'], 300);
      await ctx.store.settleBudget(['run:run-1'], 300, 120);
      expect(await ctx.store.getBudget('run:run-1')).toMatchObject({ reservedPico: 0, spentPico: 120 });
      await ctx.store.settleBudget(['run:run-1'], 300, 0);
      expect(await ctx.store.getBudget('run:run-1')).toMatchObject({ reservedPico: 0, spentPico: 120 });
      expect(await ctx.store.reserveBudget(['run:run-1'], 881)).toStrictEqual({
        ok: false,
        scope: 'run:run-1',
      });
    });

    it('never lets parallel reservations overshoot a limit', async () => {
      await ctx.store.setBudgetLimit('run:run-1', 5);
      await ctx.store.setBudgetLimit('day:2026-11-29', 1_000);
      const stores = Array.from({ length: 8 }, () => ctx.connect());
      // Half list the scopes the other way round: a store that locks in list order would deadlock.
      const results = await Promise.all(
        stores.map((s, i) =>
          s.reserveBudget(i % 2 ? ['run:run-1', 'day:2026-11-29'] : ['day:2026-11-29', 'run:run-1'], 1),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(5);
      expect(await ctx.store.getBudget('run:run-1')).toMatchObject({ reservedPico: 5 });
      expect(await ctx.store.getBudget('day:2026-11-29')).toMatchObject({ reservedPico: 5 });
    });
  });

  // The shared tokens-per-minute bucket: one budget for every worker on the store.
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
