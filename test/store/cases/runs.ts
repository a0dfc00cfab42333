import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';
import { call, letter, listing, planned, run, validCall } from '../fixtures';

/** Runs and what is reported about them: the lifecycle, the summary's totals, the CLI's `report`. */
export function runCases(ctx: ContractContext): void {
  describe('runs', () => {
    it('returns a run exactly as it was written, then as it was finished', async () => {
      expect(JSON.stringify(await ctx.store.getRun('run-1'))).toBe(
        JSON.stringify({ ...run('run-1'), finishedAt: null, summaryJson: null }),
      );
      await ctx.store.finishRun('run-1', 'completed', '{"scored":1}', '2026-11-29T07:30:00.000Z');
      expect(await ctx.store.getRun('run-1')).toStrictEqual({
        ...run('run-1'),
        status: 'completed',
        finishedAt: '2026-11-29T07:30:00.000Z',
        summaryJson: '{"scored":1}',
      });
      expect(await ctx.store.getRun('no-such-run')).toBeUndefined();
    });

    it('does not rewind a finished run when planning is retried, but takes the new feed and criteria', async () => {
      await ctx.store.finishRun('run-1', 'completed', '{}', '2026-11-29T07:30:00.000Z');
      await ctx.store.upsertRun(
        run('run-1', {
          feedPath: 'feeds/other.jsonl',
          criteria: 'new',
          startedAt: '2026-11-30T00:00:00.000Z',
        }),
      );
      expect(await ctx.store.getRun('run-1')).toMatchObject({
        status: 'completed',
        feedPath: 'feeds/other.jsonl',
        criteria: 'new',
        startedAt: '2026-11-29T06:00:00.000Z',
        finishedAt: '2026-11-29T07:30:00.000Z',
      });
    });
  });

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

  // The read-only queries behind the CLI's `report`.
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
