import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';
import { call, listing, planned, run, validCall } from '../fixtures';

export function cacheCases(ctx: ContractContext): void {
  describe('the answer cache', () => {
    /** A run where `listingId`'s prompt `hash` got a valid answer, and `kept` (or that answer) became the score. */
    async function answered(
      runId: string,
      listingId: string,
      hash: string,
      escalateTo?: string,
    ): Promise<number> {
      await ctx.store.upsertRun(run(runId));
      await ctx.store.addPlanChunk(runId, [planned(0, listing(listingId))]);
      const first = await validCall(ctx.store, { runId, listingId, promptHash: hash });
      const kept = escalateTo
        ? await validCall(
            ctx.store,
            { runId, listingId, promptHash: escalateTo, model: 'gpt-4o' },
            { score: 9, confidence: 0.95, reasoning: 'large' },
          )
        : first;
      await ctx.store.persistValidatedScore(runId, listingId, kept);
      return kept;
    }

    it('finds, for each prompt, the answer that was kept as the score in another run', async () => {
      const pending = await ctx.store.recordCall(call({ promptHash: 'p1' }));
      const invalid = await ctx.store.recordCall(call({ promptHash: 'p1' }));
      await ctx.store.setCallVerdict(invalid, { validation: 'invalid', error: 'bad' });
      const kept1 = await answered('run-0', 'job-7', 'p1');
      const kept2 = await answered('run-2', 'job-8', 'p2');
      const found = await ctx.store.findValidCalls(['p2', 'unknown', 'p1', 'p2']);
      expect(found.get('p1')).toBe(kept1);
      expect(found.get('p2')).toBe(kept2);
      expect(found.has('unknown')).toBe(false);
      expect(pending).toBeLessThan(kept1);
      expect((await ctx.store.findValidCalls([])).size).toBe(0);
    });

    it('repeats the escalated answer, not the small model’s doubtful one', async () => {
      const large = await answered('run-0', 'job-7', 'p-small', 'p-large');
      expect((await ctx.store.findValidCalls(['p-small'])).get('p-small')).toBe(large);
    });

    it('has nothing for a prompt whose valid answer was never kept as a score', async () => {
      await validCall(ctx.store, { runId: 'run-0', promptHash: 'p4' });
      expect((await ctx.store.findValidCalls(['p4'])).has('p4')).toBe(false);
    });

    it('never hits calls of the run being planned, so re-planning it gives the same plan', async () => {
      const own = await answered('run-5', 'job-9', 'p3');
      expect((await ctx.store.findValidCalls(['p3'], 'run-5')).has('p3')).toBe(false);
      expect((await ctx.store.findValidCalls(['p3'], 'run-9')).get('p3')).toBe(own);
    });

    it("copies an earlier run's valid answer as this run's score, once", async () => {
      const earlier = await validCall(
        ctx.store,
        { runId: 'run-0' },
        { score: 6, confidence: 0.7, reasoning: 'cached' },
      );
      await ctx.store.upsertRun(run('run-2'));
      await ctx.store.addPlanChunk('run-2', [planned(-1, listing('job-1'))]);
      expect(await ctx.store.persistCachedScore('run-2', 'job-1', earlier)).toBe('written');
      expect(await ctx.store.persistCachedScore('run-2', 'job-1', earlier)).toBe('written');
      expect(await ctx.store.listScores('run-2', 10, 0)).toMatchObject([
        {
          runId: 'run-2',
          listingId: 'job-1',
          callId: earlier,
          score: 6,
          reasoning: 'cached',
          source: 'cache',
        },
      ]);
      expect(await ctx.store.runTotals('run-2')).toMatchObject({
        planned: 1,
        scored: 1,
        cached: 1,
        calls: 0,
      });
    });

    it('never replaces a score the run already has, and refuses an answer that is not valid', async () => {
      const fresh = await validCall(ctx.store, {}, { score: 9, confidence: 0.9, reasoning: 'fresh' });
      await ctx.store.persistValidatedScore('run-1', 'job-1', fresh);
      const earlier = await validCall(
        ctx.store,
        { runId: 'run-0' },
        { score: 2, confidence: 0.2, reasoning: 'old' },
      );
      expect(await ctx.store.persistCachedScore('run-1', 'job-1', earlier)).toBe('written');
      expect(await ctx.store.listScores('run-1', 10, 0)).toMatchObject([{ callId: fresh, source: 'llm' }]);

      await ctx.store.upsertRun(run('run-2'));
      await ctx.store.addPlanChunk('run-2', [planned(-1, listing('job-1'))]);
      const unvalidated = await ctx.store.recordCall(call({ runId: 'run-0' }));
      expect(await ctx.store.persistCachedScore('run-2', 'job-1', unvalidated)).toBe('not-validated');
      expect(await ctx.store.persistCachedScore('run-2', 'job-9', earlier)).toBe('not-validated');
      expect(await ctx.store.listScores('run-2', 10, 0)).toStrictEqual([]);
    });

    it('keeps one cached score when parallel planners copy it at once', async () => {
      const earlier = await validCall(ctx.store, { runId: 'run-0' });
      await ctx.store.upsertRun(run('run-2'));
      await ctx.store.addPlanChunk('run-2', [planned(-1, listing('job-1'))]);
      const stores = Array.from({ length: 8 }, () => ctx.connect());
      const outcomes = await Promise.all(stores.map((s) => s.persistCachedScore('run-2', 'job-1', earlier)));
      expect(new Set(outcomes)).toStrictEqual(new Set(['written']));
      expect(await ctx.store.listScores('run-2', 10, 0)).toHaveLength(1);
    });
  });
}
