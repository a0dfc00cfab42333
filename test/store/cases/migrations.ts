import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';
import { listing, planned, run, seed } from '../fixtures';

export function migrationCases(ctx: ContractContext): void {
  describe('migrations', () => {
    it('treats a second migrate() as a no-op that keeps every row', async () => {
      await ctx.store.migrate();
      await ctx.store.migrate();
      expect(await ctx.store.getRun('run-1')).toMatchObject(run('run-1'));
      expect((await ctx.store.runTotals('run-1')).planned).toBe(1);
    });

    it('lets a second instance migrate and read a database another instance created', async () => {
      const other = ctx.connect();
      await other.migrate();
      expect(await other.planItems('run-1', 0, 10)).toStrictEqual([{ seq: 0, listingId: 'job-1' }]);
    });

    it('migrates an empty database safely when several instances start at once', async () => {
      const fixture = await ctx.fresh();
      const stores = Array.from({ length: 4 }, () => fixture.open());
      await Promise.all(stores.map((s) => s.migrate()));
      const [first, second] = stores;
      if (!first || !second) throw new Error('expected two stores');
      await seed(first);
      await second.addPlanChunk('run-1', [planned(1, listing('job-2'))]);
      expect((await first.runTotals('run-1')).planned).toBe(2);
    });
  });
}
