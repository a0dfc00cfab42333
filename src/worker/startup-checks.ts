import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import { ensureSearchAttributes, type OperatorConnection } from '../temporal/search-attributes';
import { searchAttributeKeys } from '../workflows/definitions';

/**
 * A worker that polls a namespace without our search attributes takes every workflow task
 * and fails it (BadSearchAttributes), forever. Checking once at start turns that into one
 * clear refusal (or, on a dev server, a registration) before the first poll.
 */
export async function checkNamespace(
  conn: OperatorConnection,
  config: Config,
  logger: Logger,
): Promise<void> {
  const result = await ensureSearchAttributes(conn, {
    namespace: config.temporal.namespace,
    mode: config.temporal.searchAttributes,
    keys: searchAttributeKeys,
  });
  if (result.state === 'registered')
    logger.info(
      { namespace: config.temporal.namespace, names: result.names },
      'registered search attributes',
    );
  if (result.state === 'unverified')
    logger.warn(
      { namespace: config.temporal.namespace, reason: result.reason },
      'could not check search attributes; workflow tasks fail if they are missing',
    );
}
