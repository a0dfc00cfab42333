import { describe, expect, it } from 'vitest';
import type { CallFilter } from '../../../src/store/store';
import type { ContractContext } from '../contract';
import { attempt, call } from '../fixtures';

export function callCases(ctx: ContractContext): void {
  describe('the call log', () => {
    it('keeps the batch a call was answered in, and filters by it and by verdict', async () => {
      const a = await ctx.store.recordCall(call({ route: 'batch', batchId: 'batch_1' }));
      await ctx.store.recordCall(call({ route: 'batch', batchId: 'batch_2', promptHash: 'def' }));
      expect((await ctx.store.getCall(a))?.batchId).toBe('batch_1');
      expect((await ctx.store.listCalls({ batchId: 'batch_1' })).map((c) => c.id)).toStrictEqual([a]);
      await ctx.store.setCallVerdict(a, { validation: 'valid', score: 7, confidence: 0.9, reasoning: 'ok' });
      expect((await ctx.store.listCalls({ validation: 'valid' })).map((c) => c.id)).toStrictEqual([a]);
    });

    it('returns a recorded call exactly as written, pending validation', async () => {
      const written = call({ costPico: 5_000_000_000_000, refusal: 'no', errorMessage: 'ünïcødé ✓' });
      const id = await ctx.store.recordCall(written);
      const expected = {
        id,
        ...written,
        batchId: null,
        validation: 'pending',
        validationError: null,
        score: null,
        confidence: null,
        reasoning: null,
      };
      // As JSON text: same values, same types (numbers, not strings), same key order.
      expect(JSON.stringify(await ctx.store.getCall(id))).toBe(JSON.stringify(expected));
      expect(await ctx.store.getCall(id + 1000)).toBeUndefined();
    });

    it('records many calls in one transaction, with their ids in the order given', async () => {
      const rows = [
        call({ route: 'batch', batchId: 'batch_1' }),
        call({ listingId: 'job-2', status: 'error', errorType: 'Batch:expired', toolArguments: null }),
        call({ listingId: 'job-3', attempt: 2 }),
      ];
      const ids = await ctx.store.recordCalls(rows);
      expect(ids).toHaveLength(3);
      expect([...ids].sort((a, b) => a - b)).toStrictEqual(ids);
      for (const [i, id] of ids.entries()) {
        const expected = { id, ...rows[i], batchId: rows[i]?.batchId ?? null };
        expect(await ctx.store.getCall(id)).toMatchObject(expected);
      }
      // The same record as recordCall writes, field for field.
      const single = await ctx.store.getCall(await ctx.store.recordCall(rows[0] ?? call()));
      expect(JSON.stringify({ ...(await ctx.store.getCall(ids[0] ?? 0)), id: 0 })).toBe(
        JSON.stringify({ ...single, id: 0 }),
      );
      expect(await ctx.store.recordCalls([])).toStrictEqual([]);
    });

    it('records none of a bulk write when one of its calls is refused', async () => {
      const bad = call({ listingId: 'job-2', model: null as unknown as string });
      await expect(attempt(() => ctx.store.recordCalls([call(), bad]))).rejects.toThrow();
      expect(await ctx.store.listCalls({})).toStrictEqual([]);
    });

    it('filters by a list of listings, and an empty list matches none', async () => {
      const [a, b, c] = await ctx.store.recordCalls([
        call(),
        call({ listingId: 'job-2' }),
        call({ listingId: 'job-3' }),
      ]);
      const ids = async (f: CallFilter) => (await ctx.store.listCalls(f)).map((r) => r.id);
      expect(await ids({ listingIds: ['job-3', 'job-1'] })).toStrictEqual([a, c]);
      expect(await ids({ listingIds: ['job-2'], runId: 'run-1', afterId: a })).toStrictEqual([b]);
      expect(await ids({ listingIds: ['job-9'] })).toStrictEqual([]);
      expect(await ids({ listingIds: [] })).toStrictEqual([]);
    });

    it('finds a successful call for the same prompt so a retry does not pay again', async () => {
      await ctx.store.recordCall(call({ status: 'error', errorType: 'LlmServerError', costPico: 0 }));
      expect(await ctx.store.findReusableCall('run-1', 'job-1', 'abc')).toBeUndefined();
      const id = await ctx.store.recordCall(call({ attempt: 2 }));
      await ctx.store.recordCall(call({ attempt: 3 }));
      expect((await ctx.store.findReusableCall('run-1', 'job-1', 'abc'))?.id).toBe(id);
      expect(await ctx.store.findReusableCall('run-1', 'job-1', 'other-prompt')).toBeUndefined();
      expect(await ctx.store.findReusableCall('run-2', 'job-1', 'abc')).toBeUndefined();
    });

    it('records the validation verdict, and a later valid verdict clears an earlier error', async () => {
      const id = await ctx.store.recordCall(call());
      await ctx.store.setCallVerdict(id, { validation: 'invalid', error: 'score: must be ≤ 10' });
      expect(await ctx.store.getCall(id)).toMatchObject({
        validation: 'invalid',
        validationError: 'score: must be ≤ 10',
        score: null,
      });
      await ctx.store.setCallVerdict(id, {
        validation: 'valid',
        score: 7,
        confidence: 0.8,
        reasoning: 'fits',
      });
      expect(await ctx.store.getCall(id)).toMatchObject({
        validation: 'valid',
        validationError: null,
        score: 7,
        confidence: 0.8, // exactly: a float4 column would give 0.800000011920929
        reasoning: 'fits',
      });
    });

    describe('listCalls', () => {
      // Six calls over two runs, two listings, two models, both statuses, two prompts, two days.
      const seedCalls = async (): Promise<number[]> => {
        const rows = [
          call({ startedAt: '2026-11-28T23:59:59.999Z' }),
          call({ startedAt: '2026-11-29T00:00:00.000Z', model: 'gpt-4o' }),
          call({ startedAt: '2026-11-29T10:00:00.000Z', status: 'error', errorType: 'LlmRateLimited' }),
          call({ startedAt: '2026-11-29T11:00:00.000Z', listingId: 'job-2', promptHash: 'def' }),
          call({ startedAt: '2026-11-30T00:00:00.000Z', listingId: 'job-2', model: 'gpt-4o' }),
          call({ startedAt: '2026-11-29T12:00:00.000Z', runId: 'run-2' }),
        ];
        const ids: number[] = [];
        for (const r of rows) ids.push(await ctx.store.recordCall(r));
        return ids;
      };
      const ids = async (f: CallFilter) => (await ctx.store.listCalls(f)).map((c) => c.id);

      it('filters by run, listing, model, status and prompt hash, oldest id first', async () => {
        const [a, b, c, d, e, f] = await seedCalls();
        expect(await ids({})).toStrictEqual([a, b, c, d, e, f]);
        expect(await ids({ runId: 'run-1' })).toStrictEqual([a, b, c, d, e]);
        expect(await ids({ listingId: 'job-2' })).toStrictEqual([d, e]);
        expect(await ids({ model: 'gpt-4o' })).toStrictEqual([b, e]);
        expect(await ids({ status: 'error' })).toStrictEqual([c]);
        expect(await ids({ promptHash: 'def' })).toStrictEqual([d]);
        expect(
          await ids({ runId: 'run-1', listingId: 'job-1', model: 'gpt-4o-mini', status: 'ok' }),
        ).toStrictEqual([a]);
        expect(await ids({ model: 'no-such-model' })).toStrictEqual([]);
      });

      it('filters by time: since is inclusive, until exclusive, and a bare date is midnight UTC', async () => {
        const [a, b, c, d, e, f] = await seedCalls();
        expect(await ids({ since: '2026-11-29T00:00:00.000Z' })).toStrictEqual([b, c, d, e, f]);
        expect(await ids({ until: '2026-11-29T00:00:00.000Z' })).toStrictEqual([a]);
        expect(await ids({ since: '2026-11-29', until: '2026-11-30' })).toStrictEqual([b, c, d, f]);
        expect(
          await ids({ since: '2026-11-29T10:00:00.000Z', until: '2026-11-29T11:00:00.001Z' }),
        ).toStrictEqual([c, d]);
        expect(await ids({ runId: 'run-1', since: '2026-11-30T00:00:00.000Z' })).toStrictEqual([e]);
      });

      it('pages by id: afterId returns only later calls, with the other filters', async () => {
        const [a, b, c, d, e, f] = await seedCalls();
        expect(await ids({ afterId: b })).toStrictEqual([c, d, e, f]);
        expect(await ids({ afterId: b, runId: 'run-1', limit: 2 })).toStrictEqual([c, d]);
        expect(await ids({ afterId: f })).toStrictEqual([]);
        expect(await ids({ afterId: a })).toHaveLength(5);
      });

      it('returns at most limit calls, the oldest first, and 1000 by default', async () => {
        const [a, b] = await seedCalls();
        expect(await ids({ limit: 2 })).toStrictEqual([a, b]);
        expect(await ids({ limit: 0 })).toStrictEqual([]);
        await Promise.all(
          Array.from({ length: 1_000 }, (_, i) => ctx.store.recordCall(call({ attempt: i + 2 }))),
        );
        expect(await ctx.store.listCalls({})).toHaveLength(1_000);
        expect(await ctx.store.listCalls({ limit: 2_000 })).toHaveLength(1_006);
      });
    });
  });
}
