import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';
import { call, listing, planned, run, validCall } from '../fixtures';

/** The read-only queries behind the CLI's `report`. */
export function reportCases(ctx: ContractContext): void {
  describe('report queries', () => {
    it('sums a run’s calls by model, route and status, 64-bit safe, and nothing of other runs', async () => {
      await ctx.store.recordCall(call({ cachedTokens: 40 }));
      await ctx.store.recordCall(call({ attempt: 2, promptTokens: 50, completionTokens: 5, costPico: 3e12 }));
      await ctx.store.recordCall(call({ route: 'batch', costPico: 13_500_000 }));
      await ctx.store.recordCall(
        call({
          status: 'error',
          promptTokens: 0,
          completionTokens: 0,
          costPico: 0,
          errorType: 'LlmServerError',
        }),
      );
      await ctx.store.recordCall(call({ model: 'gpt-4o', costPico: 450_000_000 }));
      await ctx.store.upsertRun(run('run-2'));
      await ctx.store.recordCall(call({ runId: 'run-2', costPico: 99 }));

      expect(await ctx.store.callUsage('run-1')).toStrictEqual([
        {
          model: 'gpt-4o',
          route: 'sync',
          status: 'ok',
          calls: 1,
          promptTokens: 100,
          cachedTokens: 0,
          completionTokens: 20,
          costPico: 450_000_000,
        },
        {
          model: 'gpt-4o-mini',
          route: 'batch',
          status: 'ok',
          calls: 1,
          promptTokens: 100,
          cachedTokens: 0,
          completionTokens: 20,
          costPico: 13_500_000,
        },
        {
          model: 'gpt-4o-mini',
          route: 'sync',
          status: 'error',
          calls: 1,
          promptTokens: 0,
          cachedTokens: 0,
          completionTokens: 0,
          costPico: 0,
        },
        {
          model: 'gpt-4o-mini',
          route: 'sync',
          status: 'ok',
          calls: 2,
          promptTokens: 150,
          cachedTokens: 40,
          completionTokens: 25,
          costPico: 27_000_000 + 3e12,
        },
      ]);
      expect(await ctx.store.callUsage('run-9')).toStrictEqual([]);
    });

    it('counts the tokens of the calls a run’s cache hits reused, once per hit', async () => {
      expect(await ctx.store.cacheSourceUsage('run-1')).toStrictEqual({
        hits: 0,
        promptTokens: 0,
        cachedTokens: 0,
        completionTokens: 0,
      });
      const source = await validCall(ctx.store, {
        promptTokens: 300,
        cachedTokens: 100,
        completionTokens: 30,
      });
      await ctx.store.upsertRun(run('run-2'));
      await ctx.store.addPlanChunk('run-2', [planned(-1, listing('job-1')), planned(-2, listing('job-2'))]);
      await ctx.store.persistCachedScore('run-2', 'job-1', source);
      await ctx.store.persistCachedScore('run-2', 'job-2', source);
      expect(await ctx.store.cacheSourceUsage('run-2')).toStrictEqual({
        hits: 2,
        promptTokens: 600,
        cachedTokens: 200,
        completionTokens: 60,
      });
      // The source run's own score is not a cache hit.
      await ctx.store.persistValidatedScore('run-1', 'job-1', source);
      expect((await ctx.store.cacheSourceUsage('run-1')).hits).toBe(0);
    });

    it('counts a run’s scores by value, cache hits included', async () => {
      await ctx.store.addPlanChunk('run-1', [planned(1, listing('job-2')), planned(2, listing('job-3'))]);
      const seven = await validCall(ctx.store);
      const ten = await validCall(
        ctx.store,
        { listingId: 'job-2', promptHash: 'p2' },
        { score: 10, confidence: 0.9, reasoning: 'great' },
      );
      await ctx.store.persistValidatedScore('run-1', 'job-1', seven);
      await ctx.store.persistValidatedScore('run-1', 'job-2', ten);
      await ctx.store.persistCachedScore('run-1', 'job-3', seven);
      expect(await ctx.store.scoreHistogram('run-1')).toStrictEqual([0, 0, 0, 0, 0, 0, 2, 0, 0, 1]);
      expect(await ctx.store.scoreHistogram('run-2')).toStrictEqual(Array.from({ length: 10 }, () => 0));
    });
  });
}
