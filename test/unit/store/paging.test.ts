import { describe, expect, it } from 'vitest';
import { callPages } from '../../../src/store/paging';
import { SqliteStore } from '../../../src/store/sqlite';
import { call } from '../../store/fixtures';

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
