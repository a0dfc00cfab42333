import type { V1Exchange } from './files-handler';
import { apiError, notFoundRoute, unparseableJson } from '../shared/errors';
import { parseJson, readBody } from './http-util';
import { isApiError } from '../chat/chat-request';
import { cursorPage } from './list-page';

const noSuchBatch = (id: string) =>
  apiError(404, `No batch found with id '${id}'.`, 'invalid_request_error', 'batch_id');

/**
 * The Batch API: POST /v1/batches, GET /v1/batches, GET /v1/batches/:id and
 * POST /v1/batches/:id/cancel. Each call first brings the batch up to the present.
 */
export async function handleBatches(x: V1Exchange, method: string, path: string): Promise<void> {
  const [, id, sub, ...rest] = path.slice('/v1'.length).split('/').slice(1);
  const batchId = id === undefined ? undefined : decodeURIComponent(id);
  const batches = x.engine.batches;
  const now = Date.now();
  if (batchId === undefined && method === 'POST') {
    const parsed = parseJson(await readBody(x.req));
    if (!parsed) return x.fail(unparseableJson());
    const created = batches.create(parsed.value, now);
    return isApiError(created) ? x.fail(created) : x.ok(created);
  }
  if (batchId === undefined && method === 'GET') {
    const page = cursorPage(batches.list(now), x.query, { default: 20, max: 100 });
    return isApiError(page) ? x.fail(page) : x.ok(page);
  }
  if (batchId !== undefined && sub === undefined && method === 'GET') {
    const batch = batches.get(batchId, now);
    return batch ? x.ok(batch) : x.fail(noSuchBatch(batchId));
  }
  if (batchId !== undefined && sub === 'cancel' && rest.length === 0 && method === 'POST') {
    const result = batches.cancel(batchId, now);
    if (!result) return x.fail(noSuchBatch(batchId));
    return isApiError(result) ? x.fail(result) : x.ok(result);
  }
  x.fail(notFoundRoute(method, path));
}
