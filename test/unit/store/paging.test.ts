import { describe, expect, it } from 'vitest';
import { allPages, callPages, chunked, scorePages } from '../../../src/store/paging';
import { SqliteStore } from '../../../src/store/sqlite';
import { call, listing, planned, run, validCall } from '../../store/fixtures';

describe('reading every call of a batch in pages', () => {
  it('returns each matching call once, in id order, in pages of at most the page size', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    for (let i = 0; i < 23; i++)
      await store.recordCall(call({ listingId: `job-${i}`, batchId: i % 3 === 0 ? 'other' : 'batch_1' }));
    const read = async (size: number) => {
      const pages: number[][] = [];
      for await (const page of callPages(store, { batchId: 'batch_1' }, size))
        pages.push(page.map((c) => c.id));
      return pages;
    };
    expect((await read(5)).map((p) => p.length)).toStrictEqual([5, 5, 5]);
    const pages = await read(4);
    expect(pages.map((p) => p.length)).toStrictEqual([4, 4, 4, 3]);
    const ids = pages.flat();
    expect([...ids].sort((x, y) => x - y)).toStrictEqual(ids);
    expect(new Set(ids).size).toBe(15);
    await store.close();
  });
});

describe('reading every score of a run in pages', () => {
  it('returns each score once, in listScores order, and all pages together', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    await store.upsertRun(run('run-1'));
    await store.addPlanChunk(
      'run-1',
      Array.from({ length: 11 }, (_, i) => planned(i, listing(`job-${i}`))),
    );
    for (let i = 0; i < 11; i++)
      await validCall(
        store,
        { listingId: `job-${i}` },
        { score: (i % 10) + 1, confidence: 0.5, reasoning: 'r' },
      ).then((id) => store.persistValidatedScore('run-1', `job-${i}`, id));
    const sizes: number[] = [];
    for await (const page of scorePages(store, 'run-1', 4)) sizes.push(page.length);
    expect(sizes).toStrictEqual([4, 4, 3]);
    const all = await allPages(scorePages(store, 'run-1', 5));
    expect(all).toStrictEqual(await store.listScores('run-1', 100, 0));
    expect(await allPages(scorePages(store, 'no-run'))).toStrictEqual([]);
    await store.close();
  });
});

describe('chunks of ids for bulk reads', () => {
  it('keeps order and splits at the size', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toStrictEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([], 2)).toStrictEqual([]);
  });
});
