import { describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/feed/hash';
import type { ContractContext } from '../contract';
import { attempt, call, listing, planned, run, validCall } from '../fixtures';

export function scoreCases(ctx: ContractContext): void {
  describe('scores', () => {
    it('refuses to persist a score the validation step has not marked valid', async () => {
      const id = await ctx.store.recordCall(call());
      expect(await ctx.store.persistValidatedScore('run-1', 'job-1', id)).toBe('not-validated');
      await ctx.store.setCallVerdict(id, { validation: 'invalid', error: 'schema violation' });
      expect(await ctx.store.persistValidatedScore('run-1', 'job-1', id)).toBe('not-validated');
      expect(await ctx.store.listScores('run-1', 10, 0)).toHaveLength(0);
    });

    it('persists a validated score once, however often the write is retried', async () => {
      const id = await validCall(ctx.store);
      for (let i = 0; i < 3; i++)
        expect(await ctx.store.persistValidatedScore('run-1', 'job-1', id)).toBe('written');
      const scores = await ctx.store.listScores('run-1', 10, 0);
      expect(scores).toHaveLength(1);
      const [score] = scores;
      expect(JSON.stringify({ ...score, scoredAt: 'checked below' })).toBe(
        JSON.stringify({
          runId: 'run-1',
          listingId: 'job-1',
          callId: id,
          model: 'gpt-4o-mini',
          score: 7,
          confidence: 0.8,
          reasoning: 'ok',
          contentHash: contentHash(listing('job-1')),
          scoredAt: 'checked below',
          source: 'llm',
        }),
      );
      expect(new Date(score?.scoredAt ?? '').toISOString()).toBe(score?.scoredAt);
    });

    it('persists many validated scores at once, as one at a time would, and only validated ones', async () => {
      await ctx.store.addPlanChunk('run-1', [planned(1, listing('job-2')), planned(2, listing('job-3'))]);
      const a = await validCall(ctx.store);
      const b = await validCall(
        ctx.store,
        { listingId: 'job-2' },
        { score: 3, confidence: 0.6, reasoning: 'meh' },
      );
      const pending = await ctx.store.recordCall(call({ listingId: 'job-3' }));
      const otherRun = await validCall(ctx.store, { runId: 'run-2', listingId: 'job-3' });
      const picks = [
        { listingId: 'job-1', callId: a },
        { listingId: 'job-2', callId: b },
        { listingId: 'job-3', callId: pending },
        { listingId: 'job-3', callId: otherRun },
      ];
      expect(await ctx.store.persistValidatedScores('run-1', picks)).toStrictEqual(new Set([a, b]));
      // Again changes nothing: the same scores, still one per listing.
      expect(await ctx.store.persistValidatedScores('run-1', picks)).toStrictEqual(new Set([a, b]));
      const scores = await ctx.store.listScores('run-1', 10, 0);
      expect(scores.map((s) => [s.listingId, s.callId, s.score])).toStrictEqual([
        ['job-1', a, 7],
        ['job-2', b, 3],
      ]);
      const bulk = scores.find((s) => s.listingId === 'job-1');
      await ctx.store.persistValidatedScore('run-1', 'job-1', a);
      const single = (await ctx.store.listScores('run-1', 10, 0)).find((s) => s.listingId === 'job-1');
      expect({ ...bulk, scoredAt: '' }).toStrictEqual({ ...single, scoredAt: '' });
      expect(await ctx.store.persistValidatedScores('run-1', [])).toStrictEqual(new Set());
    });

    it('keeps the last pick of a listing named twice in one bulk write', async () => {
      const first = await validCall(ctx.store);
      const last = await validCall(
        ctx.store,
        { attempt: 2 },
        { score: 9, confidence: 0.9, reasoning: 'better' },
      );
      const picks = [
        { listingId: 'job-1', callId: first },
        { listingId: 'job-1', callId: last },
      ];
      expect(await ctx.store.persistValidatedScores('run-1', picks)).toStrictEqual(new Set([last]));
      expect((await ctx.store.listScores('run-1', 10, 0)).map((s) => [s.callId, s.score])).toStrictEqual([
        [last, 9],
      ]);
    });

    it('refuses a valid call that belongs to another listing or run, or a listing the run did not plan', async () => {
      const id = await validCall(ctx.store);
      expect(await ctx.store.persistValidatedScore('run-1', 'job-2', id)).toBe('not-validated');
      expect(await ctx.store.persistValidatedScore('run-2', 'job-1', id)).toBe('not-validated');
      const unplanned = await validCall(ctx.store, { listingId: 'job-2' });
      expect(await ctx.store.persistValidatedScore('run-1', 'job-2', unplanned)).toBe('not-validated');
      expect(await ctx.store.persistValidatedScore('run-1', 'job-1', id + 1000)).toBe('not-validated');
      expect(await ctx.store.listScores('run-1', 10, 0)).toHaveLength(0);
    });

    it('replaces the score when a later valid call for the same listing is persisted', async () => {
      const first = await validCall(ctx.store);
      await ctx.store.persistValidatedScore('run-1', 'job-1', first);
      const second = await validCall(
        ctx.store,
        { attempt: 2, model: 'gpt-4o', promptHash: 'def' },
        { score: 9, confidence: 0.95, reasoning: 'strong match' },
      );
      expect(await ctx.store.persistValidatedScore('run-1', 'job-1', second)).toBe('written');
      expect(await ctx.store.listScores('run-1', 10, 0)).toMatchObject([
        { callId: second, model: 'gpt-4o', score: 9, confidence: 0.95, reasoning: 'strong match' },
      ]);
    });

    it('refuses a validated score outside the schema bounds rather than storing it', async () => {
      const id = await validCall(ctx.store, {}, { score: 11, confidence: 0.5, reasoning: 'out of range' });
      await expect(attempt(() => ctx.store.persistValidatedScore('run-1', 'job-1', id))).rejects.toThrow();
      const long = await validCall(
        ctx.store,
        { attempt: 2 },
        { score: 5, confidence: 0.5, reasoning: 'x'.repeat(201) },
      );
      await expect(attempt(() => ctx.store.persistValidatedScore('run-1', 'job-1', long))).rejects.toThrow();
      expect(await ctx.store.listScores('run-1', 10, 0)).toHaveLength(0);
    });

    it('lists scores best first, ties by listing id byte-wise, paged by limit and offset', async () => {
      await ctx.store.upsertRun(run('run-2'));
      // Mixed case on purpose: byte order puts 'Job-B' before 'job-a'; a locale collation would not.
      const ids = ['job-a', 'Job-B', 'job-c', 'job-d'];
      await ctx.store.addPlanChunk(
        'run-2',
        ids.map((id, i) => planned(i, listing(id))),
      );
      const scores: Record<string, number> = { 'job-a': 8, 'Job-B': 8, 'job-c': 3, 'job-d': 10 };
      for (const listingId of ids) {
        const score = scores[listingId] ?? 1;
        const id = await validCall(
          ctx.store,
          { runId: 'run-2', listingId },
          { score, confidence: 0.5, reasoning: 'r' },
        );
        await ctx.store.persistValidatedScore('run-2', listingId, id);
      }
      const page = async (limit: number, offset: number) =>
        (await ctx.store.listScores('run-2', limit, offset)).map((s) => s.listingId);
      expect(await page(10, 0)).toStrictEqual(['job-d', 'Job-B', 'job-a', 'job-c']);
      expect(await page(2, 1)).toStrictEqual(['Job-B', 'job-a']);
      expect(await page(10, 4)).toStrictEqual([]);
      expect(await ctx.store.listScores('run-1', 10, 0)).toStrictEqual([]);
    });
  });
}
