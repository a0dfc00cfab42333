import { NativeConnection } from '@temporalio/worker';
import { createDataConverter } from '../codec';
import { loadConfig } from '../config';
import { initErrorTracking, type ErrorTracker } from '../observability/error-tracking';
import { createLogger } from '../observability/logger';
import { initTracing } from '../observability/tracing';
import { servedModels } from '../scoring/routing';
import { createMetrics, serveMetrics } from '../observability/metrics';
import { createWorkers, runWorkers } from './create-workers';
import { installRuntime } from './runtime';
import { checkNamespace } from './startup-checks';
import { buildDeps } from './wiring';
import { queueRetuner } from './queue-retuner';

let errors: ErrorTracker | undefined;

/** A standalone worker process: `npm run worker`. Scale out by starting more of them. */
async function main(): Promise<void> {
  const config = loadConfig();
  errors = initErrorTracking({
    dsn: process.env.SENTRY_DSN,
    component: 'worker',
    secrets: [config.openai.apiKey],
  });
  const logger = createLogger({
    file: config.logFile,
    level: config.logLevel,
    secrets: [config.openai.apiKey],
  });
  installRuntime(logger, 'INFO', config.metrics.temporalPort);
  const connection = await NativeConnection.connect(config.temporal.connection);
  // Before anything that keeps the process alive: a refusal must end it.
  await checkNamespace(connection, config, logger).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  const metrics = createMetrics();
  const endpoint = await serveMetrics({
    metrics,
    host: config.metrics.host,
    port: config.metrics.port,
    temporalMetricsUrl: `http://127.0.0.1:${config.metrics.temporalPort}/metrics`,
  });
  logger.info({ url: endpoint.url }, 'metrics endpoint up');
  const retune = queueRetuner(connection, config, logger);
  const deps = { ...(await buildDeps(config, logger, undefined, retune)), metrics, errors };
  const tracing = initTracing(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const workers = await createWorkers({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps,
    models: servedModels(deps.routing),
    modelRpm: config.modelRpm,
    maxConcurrentActivities: config.maxConcurrentActivities,
    dataConverter: config.codecKeys ? createDataConverter(config.codecKeys) : undefined,
    ...(config.workflowBundlePath ? { workflowBundle: { codePath: config.workflowBundlePath } } : {}),
    ...(tracing ? { plugins: [tracing.plugin] } : {}),
  });
  logger.info(
    {
      taskQueue: config.temporal.taskQueue,
      temporal: config.temporal.describe,
      encrypted: Boolean(config.codecKeys),
    },
    'worker started',
  );
  try {
    await runWorkers(workers);
  } finally {
    await connection.close();
    await deps.store.close();
    await endpoint.close();
    await tracing?.shutdown();
  }
}

main().catch(async (err: unknown) => {
  console.error(`worker failed: ${err instanceof Error ? err.message : String(err)}`);
  errors?.error(err, { event: 'worker_failed' });
  await errors?.flush();
  // exitCode rather than exit(): the async log destination gets to flush what it holds.
  process.exitCode = 1;
});
