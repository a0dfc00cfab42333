import { describe, expect, it } from 'vitest';
import type { ContractContext } from '../contract';
import { listing, planned, run, validCall } from '../fixtures';

const KEY = { model: 'text-embedding-3-small', dimensions: 4 };
const vec = (...xs: number[]) => new Float32Array(xs);

export function dedupCases(ctx: ContractContext): void {
  describe('near-duplicates', () => {
    it('caches a vector once per text, model and size, and hands it back exactly', async () => {
      const d = ctx.store.dedup;
      await d.saveEmbeddings(KEY, [{ textHash: 'h1', vector: vec(0.5, -0.25, 0.125, 1) }]);
      await d.saveEmbeddings(KEY, [{ textHash: 'h1', vector: vec(9, 9, 9, 9) }]);
      const found = await d.findEmbeddings(KEY, ['h1', 'h2', 'h1']);
      expect([...found.keys()]).toEqual(['h1']);
      expect([...found.get('h1')!]).toEqual([0.5, -0.25, 0.125, 1]);
      expect((await d.findEmbeddings({ ...KEY, dimensions: 8 }, ['h1'])).size).toBe(0);
    });

    it('pages a run by whole guard blocks, keeps near-duplicates out of the unfinished work, and copies the representative score', async () => {
      const d = ctx.store.dedup;
      await ctx.store.addPlanChunk('run-1', [
        planned(1, listing('job-2')),
        planned(2, listing('job-3', { company: 'Beta' })),
      ]);
      await d.saveEmbeddings(KEY, [
        { textHash: 'a', vector: vec(1, 0, 0, 0) },
        { textHash: 'b', vector: vec(0, 1, 0, 0) },
      ]);
      await d.addItems('run-1', [
        { listingId: 'job-1', seq: 0, textHash: 'a', guardKey: 'company:acme' },
        { listingId: 'job-2', seq: 1, textHash: 'a', guardKey: 'company:acme' },
        { listingId: 'job-3', seq: 2, textHash: 'b', guardKey: 'company:beta' },
      ]);
      const first = await d.blockPage('run-1', KEY, '', 1);
      expect(first.map((c) => c.listingId)).toEqual(['job-1', 'job-2']);
      const second = await d.blockPage('run-1', KEY, 'company:acme', 1);
      expect(second.map((c) => [c.listingId, [...c.vector]])).toEqual([['job-3', [0, 1, 0, 0]]]);
      expect(await d.blockPage('run-1', KEY, 'company:beta', 1)).toEqual([]);

      await d.addNearDuplicates('run-1', [
        { runId: 'run-1', listingId: 'job-2', leaderRunId: 'run-1', leaderListingId: 'job-1', similarity: 1 },
      ]);
      expect((await ctx.store.unfinishedItems('run-1', 0, 10)).map((i) => i.listingId)).toEqual([
        'job-1',
        'job-3',
      ]);
      expect((await d.applyNearDuplicates('run-1')).orphans.map((o) => o.listingId)).toEqual(['job-2']);
      const callId = await validCall(ctx.store, { listingId: 'job-1' });
      await ctx.store.persistValidatedScore('run-1', 'job-1', callId);
      expect((await d.applyNearDuplicates('run-1')).written).toBe(1);
      expect((await d.applyNearDuplicates('run-1')).written).toBe(0);
      const scores = await ctx.store.listScores('run-1', 10, 0);
      expect(scores.map((s) => [s.listingId, s.source, s.callId])).toEqual([
        ['job-1', 'llm', callId],
        ['job-2', 'near_duplicate', callId],
      ]);
      expect(await d.nearDuplicateOf('run-1', 'job-2')).toEqual({
        runId: 'run-1',
        listingId: 'job-2',
        leaderRunId: 'run-1',
        leaderListingId: 'job-1',
        similarity: 1,
      });
      expect((await d.nearDuplicatesOfListing('job-2')).map((n) => n.leaderListingId)).toEqual(['job-1']);
      expect((await ctx.store.runTotals('run-1')).scored).toBe(2);
      const usage = await d.embeddingUsage('run-1');
      expect([usage.nearDuplicates, usage.earlierDay]).toEqual([1, 0]);
    });

    it('offers as earlier leaders only listings the model scored in completed runs with the same criteria, prompt version and dates', async () => {
      const d = ctx.store.dedup;
      await ctx.store.upsertRun(run('run-0', { runDate: '2026-11-28' }));
      await ctx.store.addPlanChunk('run-0', [planned(0, listing('old-1'))]);
      await d.saveEmbeddings(KEY, [{ textHash: 'a', vector: vec(1, 0, 0, 0) }]);
      await d.addItems('run-0', [{ listingId: 'old-1', seq: 0, textHash: 'a', guardKey: 'company:acme' }]);
      const callId = await validCall(ctx.store, { runId: 'run-0', listingId: 'old-1', promptVersion: 'p1' });
      await ctx.store.persistValidatedScore('run-0', 'old-1', callId);
      const filter = {
        ...KEY,
        excludeRunId: 'run-1',
        criteria: run('x').criteria,
        promptVersion: 'p1',
        since: '2026-11-01',
        onOrBefore: '2026-11-29',
      };
      expect(await d.earlierLeaders(filter, ['company:acme'])).toEqual([]);
      await ctx.store.finishRun('run-0', 'completed', '{}', '2026-11-28T10:00:00.000Z');
      const found = await d.earlierLeaders(filter, ['company:acme', 'company:none']);
      expect(found.map((c) => [c.runId, c.listingId])).toEqual([['run-0', 'old-1']]);
      expect(await d.earlierLeaders({ ...filter, criteria: 'other' }, ['company:acme'])).toEqual([]);
      expect(await d.earlierLeaders({ ...filter, promptVersion: 'p2' }, ['company:acme'])).toEqual([]);
      expect(await d.earlierLeaders({ ...filter, onOrBefore: '2026-11-27' }, ['company:acme'])).toEqual([]);
    });

    it('sums the run’s successful embedding calls', async () => {
      const d = ctx.store.dedup;
      const base = {
        runId: 'run-1',
        workflowId: 'wf',
        model: KEY.model,
        route: 'sync' as const,
        startedAt: '2026-11-29T08:00:00.000Z',
        durationMs: 5,
        errorType: null,
        errorMessage: null,
        batchId: null,
      };
      await d.recordEmbeddingCall({
        ...base,
        inputs: 3,
        promptTokens: 300,
        costPico: 6_000_000,
        status: 'ok',
      });
      await d.recordEmbeddingCall({
        ...base,
        inputs: 2,
        promptTokens: 0,
        costPico: 0,
        status: 'error',
        errorType: 'X',
        errorMessage: 'x',
      });
      const usage = await d.embeddingUsage('run-1');
      expect([usage.calls, usage.inputs, usage.promptTokens, usage.costPico]).toEqual([1, 3, 300, 6_000_000]);
    });
  });
}
