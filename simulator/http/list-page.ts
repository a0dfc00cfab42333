import { invalidRequest, type ApiError } from '../shared/errors';

/** OpenAI's cursor page: the SDK reads `data` and `has_more`, and asks for more with `after=<last id>`. */
export interface ListPage<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/**
 * One page of `items` (already in list order) after the `after` cursor, at most `limit` long.
 * An unknown cursor yields an empty page rather than restarting, so a client never loops.
 */
export function cursorPage<T extends { id: string }>(
  items: readonly T[],
  query: URLSearchParams,
  limits: { default: number; max: number },
): ListPage<T> | ApiError {
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? limits.default : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.max)
    return invalidRequest(`Invalid 'limit': expected an integer from 1 to ${limits.max}.`, 'limit');
  const after = query.get('after');
  const from = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
  const data = from === 0 && after !== null ? [] : items.slice(from, from + limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
    has_more: data.length > 0 && from + data.length < items.length,
  };
}
