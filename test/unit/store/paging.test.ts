import { describe, expect, it } from 'vitest';
import { callPages } from '../../../src/store/paging';
import { SqliteStore } from '../../../src/store/sqlite';
import type { NewCallRecord } from '../../../src/store/store';

const call = (i: number, batchId: string): NewCallRecord => ({
  runId: 'run-1',
  listingId: `job-${i}`,
  workflowId: 'wf',
  attempt: 1,
  model: 'gpt-4o-mini',
  route: 'batch',
  batchId,
  promptHash: `h${i}`,
  promptVersion: 'p',
  schemaVersion: 's',
  startedAt: '2026-12-01T00:00:00.000Z',
  durationMs: 0,
  promptTokens: 1,
  cachedTokens: 0,
  completionTokens: 1,
  costPico: 1,
  status: 'ok',
  errorType: null,
  errorMessage: null,
  finishReason: 'tool_calls',
  toolArguments: null,
  refusal: null,
});

describe('reading every call of a batch in pages', () => {
  it('returns each matching call once, in id order, in pages of at most the page size', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    for (let i = 0; i < 23; i++) await store.recordCall(call(i, i % 3 === 0 ? 'other' : 'batch_1'));
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
