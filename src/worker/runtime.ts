import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../observability/logger';

let installed = false;

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Routes the SDK's own logs (worker lifecycle, workflow and activity context loggers)
 * through pino, so everything lands in the same JSON log. The Runtime is process-wide and
 * can be installed once; later calls are no-ops.
 */
export function installRuntime(logger: Logger, level: LogLevel = 'INFO'): void {
  if (installed) return;
  installed = true;
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      sdk[PINO_LEVEL[entry.level]]({ ...entry.meta }, entry.message);
    }),
  });
}
