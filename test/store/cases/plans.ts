import { describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/feed/hash';
import type { ContractContext } from '../contract';
import { attempt, call, letter, listing, planned, run } from '../fixtures';

export function planCases(ctx: ContractContext): void {
  describe('plans', () => {
    it('re-plans a run idempotently and keeps both versions of a listing whose content changed', async () => {
      const changed = listing('job-1', { title: 'Staff Backend Engineer' });
      await ctx.store.addPlanChunk('run-1', [planned(0, listing('job-1'))]);
      await ctx.store.upsertRun(run('run-2', { runDate: '2026-11-30' }));
      await ctx.store.addPlanChunk('run-2', [planned(0, changed)]);
      expect((await ctx.store.runTotals('run-1')).planned).toBe(1);
      expect((await ctx.store.getPlannedListing('run-1', 'job-1'))?.listing.title).toBe(
        'Senior Backend Engineer',
      );
      expect((await ctx.store.getPlannedListing('run-2', 'job-1'))?.listing.title).toBe(
        'Staff Backend Engineer',
      );
    });

    it('hands back the planned listing and its content hash exactly', async () => {
      const l = listing('job-1');
      expect(await ctx.store.getPlannedListing('run-1', 'job-1')).toStrictEqual({
        listing: l,
        contentHash: contentHash(l),
      });
      // Key order survives too, so re-hashing or re-serialising gives the same text.
      expect(JSON.stringify((await ctx.store.getPlannedListing('run-1', 'job-1'))?.listing)).toBe(
        JSON.stringify(l),
      );
      expect(await ctx.store.getPlannedListing('run-1', 'job-2')).toBeUndefined();
      expect(await ctx.store.getPlannedListing('run-2', 'job-1')).toBeUndefined();
    });

    it('hands back many planned listings in one read, by id, without the ones the run did not plan', async () => {
      const l2 = listing('job-2', { title: 'Platform Engineer' });
      await ctx.store.addPlanChunk('run-1', [planned(1, l2)]);
      const found = await ctx.store.getPlannedListings('run-1', ['job-2', 'job-1', 'job-9', 'job-2']);
      expect([...found.keys()].sort()).toStrictEqual(['job-1', 'job-2']);
      expect(found.get('job-2')).toStrictEqual({ listing: l2, contentHash: contentHash(l2) });
      expect(JSON.stringify(found.get('job-1')?.listing)).toBe(JSON.stringify(listing('job-1')));
      expect(found.get('job-1')).toStrictEqual(await ctx.store.getPlannedListing('run-1', 'job-1'));
      expect((await ctx.store.getPlannedListings('run-2', ['job-1'])).size).toBe(0);
      expect((await ctx.store.getPlannedListings('run-1', [])).size).toBe(0);
    });

    it('reads a whole chunk of planned listings at once', async () => {
      const items = Array.from({ length: 600 }, (_, i) => planned(i + 1, listing(`bulk-${i}`)));
      await ctx.store.addPlanChunk('run-1', items);
      const found = await ctx.store.getPlannedListings(
        'run-1',
        items.map((p) => p.listing.id),
      );
      expect(found.size).toBe(600);
      expect(found.get('bulk-599')?.contentHash).toBe(items[599]?.contentHash);
    });

    it('lists only unfinished plan rows: no score and no dead letter yet', async () => {
      await ctx.store.addPlanChunk('run-1', [planned(1, listing('job-2')), planned(2, listing('job-3'))]);
      const id = await ctx.store.recordCall(call());
      await ctx.store.setCallVerdict(id, { validation: 'valid', score: 7, confidence: 0.9, reasoning: 'ok' });
      await ctx.store.persistValidatedScore('run-1', 'job-1', id);
      await ctx.store.deadLetter(letter({ listingId: 'job-3' }));
      expect((await ctx.store.unfinishedItems('run-1', 0, 10)).map((i) => i.listingId)).toStrictEqual([
        'job-2',
      ]);
    });

    it('pages plan items by half-open seq range, in seq order', async () => {
      await ctx.store.upsertRun(run('run-2'));
      const items = Array.from({ length: 10 }, (_, i) => planned(i, listing(`job-${i}`)));
      await ctx.store.addPlanChunk('run-2', items.slice(5));
      await ctx.store.addPlanChunk('run-2', items.slice(0, 5).reverse());
      expect(await ctx.store.planItems('run-2', 3, 6)).toStrictEqual([
        { seq: 3, listingId: 'job-3' },
        { seq: 4, listingId: 'job-4' },
        { seq: 5, listingId: 'job-5' },
      ]);
      expect(await ctx.store.planItems('run-2', 10, 20)).toStrictEqual([]);
      expect(await ctx.store.planItems('run-2', 0, 100)).toHaveLength(10);
    });

    it('plans a large chunk in one call, and the same chunk again changes nothing', async () => {
      await ctx.store.upsertRun(run('run-2'));
      const items = Array.from({ length: 2_000 }, (_, i) => planned(i, listing(`job-${i}`)));
      await ctx.store.addPlanChunk('run-2', items);
      await ctx.store.addPlanChunk('run-2', items);
      await ctx.store.addPlanChunk('run-2', []);
      expect((await ctx.store.runTotals('run-2')).planned).toBe(2_000);
      expect(await ctx.store.planItems('run-2', 1_998, 2_000)).toStrictEqual([
        { seq: 1_998, listingId: 'job-1998' },
        { seq: 1_999, listingId: 'job-1999' },
      ]);
    });

    it('replaces the plan row when a seq is planned again with another listing', async () => {
      await ctx.store.addPlanChunk('run-1', [planned(0, listing('job-9'))]);
      expect(await ctx.store.planItems('run-1', 0, 1)).toStrictEqual([{ seq: 0, listingId: 'job-9' }]);
      expect(await ctx.store.getPlannedListing('run-1', 'job-1')).toBeUndefined();
    });

    it('refuses a chunk that plans one listing twice in a run, and writes none of it', async () => {
      await ctx.store.upsertRun(run('run-2'));
      await expect(
        attempt(() =>
          ctx.store.addPlanChunk('run-2', [planned(0, listing('job-a')), planned(1, listing('job-a'))]),
        ),
      ).rejects.toThrow();
      expect((await ctx.store.runTotals('run-2')).planned).toBe(0);
    });

    it('keeps the route planning chose on the plan row and hands it to the shard with the id', async () => {
      await ctx.store.upsertRun(run('run-2'));
      const route = {
        model: 'gpt-4o-mini',
        escalation: 'gpt-4o',
        fallbacks: { 'gpt-4o-mini': 'gpt-4.1-mini' },
      };
      await ctx.store.addPlanChunk('run-2', [
        { ...planned(0, listing('job-a')), route },
        { ...planned(1, listing('job-b')), route: { model: 'gpt-4o', escalation: null, fallbacks: {} } },
        planned(2, listing('job-c')),
      ]);
      expect(await ctx.store.unfinishedItems('run-2', 0, 3)).toStrictEqual([
        { seq: 0, listingId: 'job-a', route },
        { seq: 1, listingId: 'job-b', route: { model: 'gpt-4o', escalation: null, fallbacks: {} } },
        { seq: 2, listingId: 'job-c', route: null },
      ]);
    });

    it('routes the rows planned without a route later, and lists only those until then', async () => {
      await ctx.store.upsertRun(run('run-2'));
      const route = { model: 'gpt-4o', escalation: null, fallbacks: { 'gpt-4o': 'gpt-4.1' } };
      await ctx.store.addPlanChunk('run-2', [
        { ...planned(0, listing('job-a')), route },
        planned(1, listing('job-b')),
        planned(2, listing('job-c')),
      ]);
      const unrouted = await ctx.store.unroutedListings('run-2', 0, 10);
      expect(unrouted.map((u) => [u.seq, u.listing.id])).toStrictEqual([
        [1, 'job-b'],
        [2, 'job-c'],
      ]);
      expect(unrouted[0]?.listing).toStrictEqual(listing('job-b'));
      await ctx.store.setPlanRoutes('run-2', [{ seq: 1, route }]);
      await ctx.store.setPlanRoutes('run-2', []);
      expect((await ctx.store.unroutedListings('run-2', 0, 10)).map((u) => u.seq)).toStrictEqual([2]);
      expect((await ctx.store.unfinishedItems('run-2', 1, 2))[0]?.route).toStrictEqual(route);
    });

    it('keeps one rejected line per line number however often it is recorded', async () => {
      const rejected = [
        { line: 3, listingId: 'job-3', reason: 'title: must not be empty or blank' },
        { line: 7, reason: 'not JSON' },
      ];
      await ctx.store.addRejectedLines('run-1', rejected);
      await ctx.store.addRejectedLines('run-1', rejected);
      await ctx.store.addRejectedLines('run-1', []);
      expect((await ctx.store.runTotals('run-1')).rejected).toBe(2);
    });
  });
}
