import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store';
import type { ContractContext } from '../contract';
import { call, letter, listing, planned, run, validCall } from '../fixtures';

/** How many workers race in each case: each has its own store instance and connection. */
const WRITERS = 8;

export function concurrencyCases(ctx: ContractContext): void {
  const writers = (): Store[] => Array.from({ length: WRITERS }, () => ctx.connect());

  describe('parallel writers', () => {
    it('keep one score when they persist the same validated call at once', async () => {
      const id = await validCall(ctx.store);
      const outcomes = await Promise.all(writers().map((s) => s.persistValidatedScore('run-1', 'job-1', id)));
      expect(outcomes).toStrictEqual(Array<string>(WRITERS).fill('written'));
      expect(await ctx.store.listScores('run-1', 10, 0)).toMatchObject([{ listingId: 'job-1', callId: id }]);
    });

    it('keep one score, wholly from one of the calls, when they persist different calls at once', async () => {
      const ids: number[] = [];
      for (let i = 0; i < WRITERS; i++) {
        ids.push(
          await validCall(
            ctx.store,
            { attempt: i + 1 },
            { score: i + 1, confidence: 0.5, reasoning: `r${i}` },
          ),
        );
      }
      const stores = writers();
      await Promise.all(stores.map((s, i) => s.persistValidatedScore('run-1', 'job-1', ids[i] ?? -1)));
      const scores = await ctx.store.listScores('run-1', 10, 0);
      expect(scores).toHaveLength(1);
      const winner = ids.indexOf(scores[0]?.callId ?? -1);
      expect(winner).toBeGreaterThanOrEqual(0);
      expect(scores[0]).toMatchObject({ score: winner + 1, reasoning: `r${winner}` });
    });

    it('keep one dead letter when they dead-letter the same listing at once', async () => {
      await Promise.all(writers().map((s, i) => s.deadLetter(letter({ attempts: i + 1 }))));
      const letters = await ctx.store.listDeadLetters('run-1');
      expect(letters).toHaveLength(1);
    });

    it('keep one plan row per seq when they plan the same chunk at once', async () => {
      await ctx.store.upsertRun(run('run-2'));
      const chunk = Array.from({ length: 200 }, (_, i) => planned(i, listing(`job-${i}`)));
      await Promise.all(writers().map((s) => s.addPlanChunk('run-2', chunk)));
      expect((await ctx.store.runTotals('run-2')).planned).toBe(200);
      expect(await ctx.store.planItems('run-2', 0, 1_000)).toHaveLength(200);
      expect((await ctx.store.getPlannedListing('run-2', 'job-199'))?.listing).toStrictEqual(
        listing('job-199'),
      );
    });

    it('keep one run and one row per rejected line when they upsert them at once', async () => {
      const rejected = [
        { line: 1, reason: 'not JSON' },
        { line: 2, listingId: 'job-2', reason: 'title: must not be empty or blank' },
      ];
      await Promise.all(
        writers().map(async (s) => {
          await s.upsertRun(run('run-2'));
          await s.addRejectedLines('run-2', rejected);
        }),
      );
      expect(await ctx.store.getRun('run-2')).toMatchObject({ runId: 'run-2', status: 'running' });
      expect((await ctx.store.runTotals('run-2')).rejected).toBe(2);
    });

    it('record every call attempt once, with distinct ids, when they record at once', async () => {
      // The call log is one row per attempt by design: no attempt may be lost or merged.
      const ids = await Promise.all(writers().map((s, i) => s.recordCall(call({ attempt: i + 1 }))));
      expect(new Set(ids).size).toBe(WRITERS);
      expect((await ctx.store.listCalls({ runId: 'run-1' })).map((c) => c.id)).toStrictEqual(
        [...ids].sort((a, b) => a - b),
      );
      expect((await ctx.store.findReusableCall('run-1', 'job-1', 'abc'))?.id).toBe(Math.min(...ids));
    });
  });
}
