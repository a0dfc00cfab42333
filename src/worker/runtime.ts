import { IllegalStateError } from '@temporalio/common';
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
export function installRuntime(logger: Logger, level: LogLevel = 'INFO', temporalMetricsPort?: number): void {
  if (installed) return;
  installed = true;
  const sdk = logger.child({ component: 'temporal-sdk' });
  try {
    Runtime.install({
      logger: new DefaultLogger(level, (entry) => {
        sdk[PINO_LEVEL[entry.level]]({ ...entry.meta }, entry.message);
      }),
      // The SDK's exporter needs a fixed port; the worker's endpoint fetches and merges it.
      ...(temporalMetricsPort
        ? {
            telemetryOptions: {
              metrics: {
                prometheus: {
                  bindAddress: `127.0.0.1:${temporalMetricsPort}`,
                  countersTotalSuffix: true,
                  useSecondsForDurations: true,
                },
              },
            },
          }
        : {}),
    });
  } catch (err) {
    // A test environment created earlier in this process already made the Runtime with the
    // SDK's default logger; SDK logs then go to stderr, which is acceptable there.
    if (!(err instanceof IllegalStateError)) throw err;
    logger.debug('Temporal Runtime already installed; SDK logs stay on its default logger');
  }
}
