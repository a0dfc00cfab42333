import type { CallFilter, CallRecord, Store } from './store';

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
