import type { CallFilter, CallRecord, ScoreRecord, Store } from './store';

/** Rows per read when a step walks every call of a batch: bounded memory, few queries. */
export const CALL_PAGE = 5_000;

/**
 * Every call matching `filter`, a page at a time in id order (keyset paging on the id, so a
 * page is one indexed query however far in). For steps that must see all of a batch's calls
 * without loading a 50,000-line batch at once or guessing a limit large enough.
 */
export async function* callPages(
  store: Pick<Store, 'listCalls'>,
  filter: Omit<CallFilter, 'afterId' | 'limit'>,
  pageSize = CALL_PAGE,
): AsyncGenerator<CallRecord[]> {
  let afterId: number | undefined;
  for (;;) {
    const page = await store.listCalls({ ...filter, afterId, limit: pageSize });
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    afterId = page[page.length - 1]?.id;
  }
}

/**
 * Ids per bulk read or write when a step walks a whole range (up to 25,000 lines): one query
 * per chunk, and each statement's parameters stay small.
 */
export const ID_CHUNK = 500;

/** `items` in consecutive slices of at most `size`, in order. */
export function chunked<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Rows per read when a step walks every score of a run. */
export const SCORE_PAGE = 5_000;

/**
 * Every score of a run, a page at a time in `listScores` order. Offset paging is exact here:
 * the order (score, then listing id) is total, and readers walk runs whose scores are written.
 */
export async function* scorePages(
  store: Pick<Store, 'listScores'>,
  runId: string,
  pageSize = SCORE_PAGE,
): AsyncGenerator<ScoreRecord[]> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await store.listScores(runId, pageSize, offset);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
  }
}

/** All pages in one array, for the few readers that need every row at once (reports, tools). */
export async function allPages<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for await (const page of pages) rows.push(...page);
  return rows;
}
