import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';
import { letter, listing, planned } from '../fixtures';

export function deadLetterCases(ctx: ContractContext): void {
  describe('dead letters', () => {
    it('keeps one dead letter per listing and run when dead-lettering is retried', async () => {
      await ctx.store.deadLetter(letter());
      await ctx.store.deadLetter(letter({ attempts: 3 }));
      expect(await ctx.store.listDeadLetters('run-1')).toHaveLength(1);
    });

    it('returns a dead letter exactly as written, open and without a note', async () => {
      await ctx.store.deadLetter(letter({ model: null }));
      const [stored] = await ctx.store.listDeadLetters('run-1');
      expect(JSON.stringify(stored)).toBe(
        JSON.stringify({ ...letter({ model: null }), status: 'open', note: null }),
      );
    });

    it('takes the latest failure on a repeat but keeps when the listing was first dead-lettered', async () => {
      await ctx.store.deadLetter(letter());
      await ctx.store.deadLetter(
        letter({
          reason: 'validation_failed',
          errorType: 'NotValidated',
          lastError: 'score: must be ≤ 10',
          attempts: 5,
          model: 'gpt-4o',
          createdAt: '2026-11-30T09:00:00.000Z',
        }),
      );
      expect(await ctx.store.listDeadLetters('run-1')).toStrictEqual([
        {
          ...letter({
            reason: 'validation_failed',
            errorType: 'NotValidated',
            lastError: 'score: must be ≤ 10',
            attempts: 5,
            model: 'gpt-4o',
          }),
          status: 'open',
          note: null,
        },
      ]);
    });

    it('lists one run or every run, oldest first', async () => {
      await ctx.store.deadLetter(letter({ listingId: 'job-2', createdAt: '2026-11-29T10:00:00.000Z' }));
      await ctx.store.deadLetter(letter({ runId: 'run-2', createdAt: '2026-11-28T10:00:00.000Z' }));
      await ctx.store.deadLetter(letter({ listingId: 'job-1', createdAt: '2026-11-29T09:00:00.000Z' }));
      const keys = (rows: Array<{ runId: string; listingId: string }>) =>
        rows.map((r) => `${r.runId}/${r.listingId}`);
      expect(keys(await ctx.store.listDeadLetters('run-1'))).toStrictEqual(['run-1/job-1', 'run-1/job-2']);
      expect(keys(await ctx.store.listDeadLetters())).toStrictEqual([
        'run-2/job-1',
        'run-1/job-1',
        'run-1/job-2',
      ]);
      expect(await ctx.store.listDeadLetters('run-3')).toStrictEqual([]);
    });

    it('resolves a letter by hand with the reviewer note, and says when there is none', async () => {
      await ctx.store.deadLetter(letter());
      expect(await ctx.store.resolveDeadLetter('run-1', 'job-1', 'checked by hand: spam listing')).toBe(true);
      expect(await ctx.store.getDeadLetter('run-1', 'job-1')).toMatchObject({
        status: 'resolved',
        note: 'checked by hand: spam listing',
      });
      expect(await ctx.store.resolveDeadLetter('run-1', 'nope', 'x')).toBe(false);
      expect(await ctx.store.getDeadLetter('run-1', 'nope')).toBeUndefined();
    });

    it('plans a re-run from the open letters of a run, marks them requeued, and does it once', async () => {
      await ctx.store.addPlanChunk('run-1', [planned(1, listing('job-2')), planned(2, listing('job-3'))]);
      for (const id of ['job-1', 'job-2', 'job-3']) await ctx.store.deadLetter(letter({ listingId: id }));
      await ctx.store.resolveDeadLetter('run-1', 'job-3', 'not worth it');
      await ctx.store.upsertRun({
        runId: 'rerun-1',
        runDate: '2026-11-30',
        feedPath: 'rerun',
        criteria: 'c',
        status: 'running',
        startedAt: '2026-11-30T06:00:00.000Z',
      });
      expect(await ctx.store.planFromDeadLetters('rerun-1', 'run-1')).toBe(2);
      expect(await ctx.store.planFromDeadLetters('rerun-1', 'run-1')).toBe(2);
      expect((await ctx.store.planItems('rerun-1', 0, 10)).map((i) => i.listingId)).toStrictEqual([
        'job-1',
        'job-2',
      ]);
      expect((await ctx.store.getPlannedListing('rerun-1', 'job-2'))?.listing.id).toBe('job-2');
      expect((await ctx.store.getDeadLetter('run-1', 'job-1'))?.status).toBe('requeued');
      expect((await ctx.store.getDeadLetter('run-1', 'job-3'))?.status).toBe('resolved');
    });

    it('plans a re-run of chosen listings only', async () => {
      await ctx.store.addPlanChunk('run-1', [planned(1, listing('job-2'))]);
      for (const id of ['job-1', 'job-2']) await ctx.store.deadLetter(letter({ listingId: id }));
      await ctx.store.upsertRun({
        runId: 'rerun-2',
        runDate: '2026-11-30',
        feedPath: 'rerun',
        criteria: 'c',
        status: 'running',
        startedAt: '2026-11-30T06:00:00.000Z',
      });
      expect(await ctx.store.planFromDeadLetters('rerun-2', 'run-1', ['job-2'])).toBe(1);
      expect((await ctx.store.getDeadLetter('run-1', 'job-1'))?.status).toBe('open');
    });
  });
}
