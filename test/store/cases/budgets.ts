import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';

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
}
