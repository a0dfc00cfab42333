import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';
import { call, letter, listing, planned, run, validCall } from '../fixtures';

export function totalsCases(ctx: ContractContext): void {
  describe('run totals', () => {
    it('sums cost per model exactly in pico-dollars', async () => {
      await ctx.store.recordCall(call());
      await ctx.store.recordCall(call({ promptHash: 'def', model: 'gpt-4o', costPico: 1_234_567 }));
      const totals = await ctx.store.runTotals('run-1');
      expect(totals.costPico).toBe(27_000_000 + 1_234_567);
      expect(totals.byModel.map((m) => m.model)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    });

    it('counts every stage of one run and breaks calls down per model', async () => {
      await ctx.store.addPlanChunk('run-1', [planned(1, listing('job-2')), planned(2, listing('job-3'))]);
      await ctx.store.addRejectedLines('run-1', [{ line: 9, reason: 'not JSON' }]);
      const scored = await validCall(ctx.store);
      await ctx.store.persistValidatedScore('run-1', 'job-1', scored);
      await ctx.store.recordCall(
        call({ listingId: 'job-2', status: 'error', promptTokens: 0, completionTokens: 0, costPico: 0 }),
      );
      // Beyond 2^31 pico-dollars ($0.002) per call and in sum: the columns and sums are 64-bit.
      await ctx.store.recordCall(
        call({
          listingId: 'job-3',
          model: 'gpt-4o',
          promptTokens: 5_000,
          completionTokens: 300,
          costPico: 3e12,
        }),
      );
      await ctx.store.recordCall(
        call({
          listingId: 'job-3',
          model: 'gpt-4o',
          promptTokens: 7,
          completionTokens: 1,
          costPico: 4e12 + 1,
        }),
      );
      await ctx.store.deadLetter(letter({ listingId: 'job-2' }));
      // Another run's rows must not leak in.
      await ctx.store.upsertRun(run('run-2'));
      await ctx.store.addPlanChunk('run-2', [planned(0, listing('job-1'))]);
      await ctx.store.recordCall(call({ runId: 'run-2', costPico: 99 }));
      await ctx.store.deadLetter(letter({ runId: 'run-2' }));

      expect(await ctx.store.runTotals('run-1')).toStrictEqual({
        planned: 3,
        cached: 0,
        rejected: 1,
        scored: 1,
        deadLettered: 1,
        calls: 4,
        costPico: 27_000_000 + 7e12 + 1,
        byModel: [
          { model: 'gpt-4o', calls: 2, promptTokens: 5_007, completionTokens: 301, costPico: 7e12 + 1 },
          { model: 'gpt-4o-mini', calls: 2, promptTokens: 100, completionTokens: 20, costPico: 27_000_000 },
        ],
      });
    });

    it('reports zeros, not nulls, for a run with nothing in it', async () => {
      expect(await ctx.store.runTotals('no-such-run')).toStrictEqual({
        planned: 0,
        cached: 0,
        rejected: 0,
        scored: 0,
        deadLettered: 0,
        calls: 0,
        costPico: 0,
        byModel: [],
      });
    });

    it('derives the summary outcomes from the rows: listings per model, dead-letter reasons, escalations', async () => {
      const small = { model: 'gpt-4o-mini', escalation: 'gpt-4o', fallbacks: {} };
      await ctx.store.addPlanChunk('run-1', [
        { ...planned(0, listing('job-1')), route: small },
        { ...planned(1, listing('job-2')), route: small },
        { ...planned(2, listing('job-3')), route: { model: 'gpt-4o', escalation: null, fallbacks: {} } },
        { ...planned(3, listing('job-4')), route: small },
      ]);
      // job-1: small answer escalated, the large one kept; job-2: small only; job-3: large tier.
      await validCall(ctx.store, { listingId: 'job-1', promptHash: 'h1' });
      const large = await validCall(ctx.store, { listingId: 'job-1', model: 'gpt-4o', promptHash: 'h2' });
      await ctx.store.persistValidatedScore('run-1', 'job-1', large);
      const kept = await validCall(ctx.store, { listingId: 'job-2', promptHash: 'h3' });
      await ctx.store.persistValidatedScore('run-1', 'job-2', kept);
      const tier = await validCall(ctx.store, { listingId: 'job-3', model: 'gpt-4o', promptHash: 'h4' });
      await ctx.store.persistValidatedScore('run-1', 'job-3', tier);
      // job-4: escalated, the large call failed twice, then dead-lettered.
      for (const h of ['h5', 'h6'])
        await ctx.store.recordCall(
          call({ listingId: 'job-4', model: 'gpt-4o', status: 'error', promptHash: h }),
        );
      await ctx.store.deadLetter(letter({ listingId: 'job-4' }));
      expect(await ctx.store.runOutcomes('run-1')).toStrictEqual({
        listingsByModel: { 'gpt-4o': 2, 'gpt-4o-mini': 1 },
        deadLetterReasons: { retries_exhausted: 1 },
        escalations: 2,
      });
      expect(await ctx.store.runOutcomes('no-such-run')).toStrictEqual({
        listingsByModel: {},
        deadLetterReasons: {},
        escalations: 0,
      });
    });
  });
}
