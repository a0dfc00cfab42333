import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';
import { call, listing, planned, run, validCall } from '../fixtures';

/** The queries behind the quality gate: a run's figures, its baseline runs, and held runs. */
export function qualityCases(ctx: ContractContext): void {
  describe('quality gate queries', () => {
    it('counts a run’s fresh scores, confidence and answers, with cache hits out and canaries apart', async () => {
      await ctx.store.addPlanChunk('run-1', [
        planned(1, listing('job-2')),
        planned(2, listing('canary-strong')),
        planned(3, listing('job-3')),
        planned(-1, listing('job-4')),
      ]);
      const seven = await validCall(ctx.store);
      const nine = await validCall(
        ctx.store,
        { listingId: 'job-2', promptHash: 'p2' },
        { score: 9, confidence: 0.5, reasoning: 'good' },
      );
      const canary = await validCall(
        ctx.store,
        { listingId: 'canary-strong', promptHash: 'pc' },
        { score: 3, confidence: 0.9, reasoning: 'off' },
      );
      const refused = await ctx.store.recordCall(
        call({ listingId: 'job-3', promptHash: 'p3', toolArguments: null, refusal: 'no' }),
      );
      await ctx.store.setCallVerdict(refused, { validation: 'invalid', error: 'refusal: no' });
      await ctx.store.recordCall(call({ listingId: 'job-3', status: 'error', errorType: 'LlmServerError' }));
      await ctx.store.persistValidatedScore('run-1', 'job-1', seven);
      await ctx.store.persistValidatedScore('run-1', 'job-2', nine);
      await ctx.store.persistValidatedScore('run-1', 'canary-strong', canary);
      await ctx.store.persistCachedScore('run-1', 'job-4', nine);

      const counts = await ctx.store.runQualityCounts('run-1');
      expect(counts.histogram).toStrictEqual([0, 0, 0, 0, 0, 0, 1, 0, 1, 0]);
      expect(counts.confidenceSum).toBeCloseTo(1.3, 9);
      expect(counts).toMatchObject({ answered: 3, invalid: 1, refusals: 1 });
      expect(counts.canaries).toStrictEqual([{ listingId: 'canary-strong', score: 3 }]);
      expect(await ctx.store.runQualityCounts('run-9')).toStrictEqual({
        histogram: Array.from({ length: 10 }, () => 0),
        confidenceSum: 0,
        answered: 0,
        invalid: 0,
        refusals: 0,
        canaries: [],
      });
    });

    it('lists finished earlier runs with the same criteria, newest first, up to the limit', async () => {
      const finish = (id: string, status: 'completed' | 'quarantined' | 'rejected' | 'failed') =>
        ctx.store.finishRun(id, status, `{"runId":"${id}"}`, '2026-11-29T07:00:00.000Z');
      await ctx.store.upsertRun(run('d1', { runDate: '2026-11-26' }));
      await ctx.store.upsertRun(run('d2', { runDate: '2026-11-27' }));
      await ctx.store.upsertRun(run('d3', { runDate: '2026-11-28' }));
      await ctx.store.upsertRun(
        run('held', { runDate: '2026-11-28', startedAt: '2026-11-29T06:30:00.000Z' }),
      );
      await ctx.store.upsertRun(run('other', { runDate: '2026-11-28', criteria: 'Nurses in Chicago' }));
      await ctx.store.upsertRun(run('later', { runDate: '2026-11-30' }));
      await ctx.store.upsertRun(run('bad', { runDate: '2026-11-28' }));
      for (const id of ['d1', 'd2', 'd3', 'other', 'later']) await finish(id, 'completed');
      await finish('held', 'quarantined');
      await finish('bad', 'rejected');

      const ids = async (limit: number) =>
        (
          await ctx.store.previousRuns({
            criteria: 'TypeScript backend, Berlin or remote',
            onOrBefore: '2026-11-29',
            excludeRunId: 'run-1',
            limit,
          })
        ).map((r) => r.runId);
      // run-1 is the asking run and still running; 'other' has other criteria; 'later' is after the date.
      expect(await ids(10)).toStrictEqual(['held', 'd3', 'd2', 'd1']);
      expect(await ids(2)).toStrictEqual(['held', 'd3']);
      const [first] = await ctx.store.previousRuns({
        criteria: 'TypeScript backend, Berlin or remote',
        onOrBefore: '2026-11-27',
        excludeRunId: 'd2',
        limit: 5,
      });
      expect(first).toMatchObject({ runId: 'd1', runDate: '2026-11-26', summaryJson: '{"runId":"d1"}' });
    });

    it('never serves a held or rejected run’s answers as cache hits', async () => {
      const source = await validCall(ctx.store, { promptHash: 'held-prompt' });
      await ctx.store.persistValidatedScore('run-1', 'job-1', source);
      await ctx.store.finishRun('run-1', 'quarantined', '{}', '2026-11-29T07:00:00.000Z');
      expect(await ctx.store.findValidCalls(['held-prompt'], 'run-2')).toStrictEqual(new Map());
      await ctx.store.finishRun('run-1', 'rejected', '{}', '2026-11-29T07:00:00.000Z');
      expect(await ctx.store.findValidCalls(['held-prompt'], 'run-2')).toStrictEqual(new Map());
      await ctx.store.finishRun('run-1', 'completed', '{}', '2026-11-29T07:00:00.000Z');
      expect(await ctx.store.findValidCalls(['held-prompt'], 'run-2')).toStrictEqual(
        new Map([['held-prompt', source]]),
      );
    });
  });
}
