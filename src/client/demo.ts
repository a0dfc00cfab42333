import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { createDataConverter } from '../codec';
import type { Config } from '../config';
import { ensureDevServer } from '../dev/dev-server';
import { defaultCriteria, writeFeedFile } from '../feed/generate';
import { createLogger } from '../observability/logger';
import { servedModels } from '../scoring/routing';
import { startSimulator } from '../simulator';
import { dailyScoringRun } from '../workflows';
import { createWorkers, runWorkers } from '../worker/create-workers';
import { installRuntime } from '../worker/runtime';
import { buildDeps } from '../worker/wiring';
import { connectClient, uiUrl } from './connect';
import { followRun } from './follow';
import { report } from './commands/report';
import { formatSummary, int, usd } from './format';

export interface DemoOptions {
  listings: number;
  date: string;
  seed: number;
  uiPort: number;
  /** Also score the feed with the large model only (sync, no cache) and report agreement with it. */
  reference?: boolean;
}

/**
 * The main job on embedded defaults: a local Temporal dev server (started or reused, kept
 * running afterwards for the Web UI), the OpenAI-compatible simulator, a worker in this
 * process, a generated feed for the day, one daily run followed live, and its summary.
 */
export async function runDemo(base: Config, o: DemoOptions): Promise<void> {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const dataDir = resolve(base.dataDir);
  const server = await ensureDevServer({
    address: base.temporal.address,
    namespace: base.temporal.namespace,
    uiPort: o.uiPort,
    dbFile: join(dataDir, 'temporal.db'),
    logFile: join(dataDir, 'logs', 'temporal.log'),
  });
  out(
    `Temporal   ${server.started ? 'started' : 'reused'} dev server at ${server.address} · Web UI ${server.uiUrl}`,
  );

  // Realistic per-model latency, scaled down so the demo takes a minute, not an hour.
  const sim = await startSimulator({ port: 0, seed: o.seed, config: { latencyScale: 0.5 } });
  out(`Simulator  OpenAI-compatible API at ${sim.baseURL}`);
  const config: Config = {
    ...base,
    openai: { ...base.openai, baseURL: sim.baseURL, apiKey: base.openai.apiKey ?? 'sk-local-simulator' },
  };

  const feedPath = join(dataDir, 'feeds', `${o.date}.jsonl`);
  mkdirSync(join(dataDir, 'feeds'), { recursive: true });
  const feed = await writeFeedFile(feedPath, {
    date: o.date,
    count: o.listings,
    seed: o.seed,
    nearDuplicateRate: 0.03,
    injectionRate: 0.01,
    malformedRate: 0.003,
  });
  out(`Feed       ${int(feed.lines)} lines for ${o.date} at ${feedPath}`);

  const logger = createLogger({
    file: config.logFile,
    level: config.logLevel,
    console: 'error',
    secrets: [config.openai.apiKey],
  });
  installRuntime(logger, 'WARN');
  const deps = await buildDeps(config, logger);
  const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  const workers = await createWorkers({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps,
    models: servedModels(deps.routing),
    modelRpm: config.modelRpm,
    maxConcurrentActivities: config.maxConcurrentActivities,
    // The same codec as connectClient's, so the workers read what the client encrypted.
    dataConverter: config.codecKeys ? createDataConverter(config.codecKeys) : undefined,
  });
  // The reference run's workers: both tiers are the large model, on task queues of their own.
  const referenceQueue = `${config.temporal.taskQueue}-reference`;
  const large = deps.routing.models.large;
  const referenceDeps = {
    ...deps,
    routing: { ...deps.routing, models: { small: large, large } },
    taskQueue: referenceQueue,
  };
  if (o.reference) {
    workers.push(
      ...(await createWorkers({
        connection: nativeConnection,
        namespace: config.temporal.namespace,
        taskQueue: referenceQueue,
        deps: referenceDeps,
        models: servedModels(referenceDeps.routing),
        modelRpm: config.modelRpm,
        maxConcurrentActivities: config.maxConcurrentActivities,
        dataConverter: config.codecKeys ? createDataConverter(config.codecKeys) : undefined,
      })),
    );
  }
  const workersDone = runWorkers(workers);
  const { client, connection } = await connectClient(config);
  try {
    const workflowId = `daily-${o.date}-${new Date().toISOString().slice(11, 19).replace(/:/g, '')}`;
    const handle = await client.workflow.start(dailyScoringRun, {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [{ runDate: o.date, feedPath, criteria: defaultCriteria, batchPollMs: 1000 }],
      staticSummary: `Daily scoring run for ${o.date} (demo, ${int(o.listings)} listings)`,
    });
    out(`Run        ${workflowId}`);
    out();
    await followRun(handle);
    const summary = await handle.result();
    const ledger = sim.ledger();
    out();
    out(formatSummary(summary));
    out(
      `  provider's bill (simulator ledger): $${ledger.total.usd.toFixed(4)} for ${int(ledger.total.requests)} billed calls`,
    );
    if (o.reference) {
      // An evaluation run, not a production one: no cache, no canaries, not judged by the drift
      // gate (so it never joins a baseline), and priced apart in its own report.
      const referenceId = `reference-${workflowId}`;
      out();
      out(`Reference  ${referenceId}: the same feed, ${large} only, synchronous, no cache`);
      const reference = await client.workflow.execute(dailyScoringRun, {
        taskQueue: referenceQueue,
        workflowId: referenceId,
        args: [
          {
            runDate: o.date,
            feedPath,
            criteria: defaultCriteria,
            route: 'sync',
            useCache: false,
            quality: { canaries: false, gate: 'off' },
          },
        ],
        staticSummary: `All-${large} reference for ${workflowId}`,
      });
      out(`           ${int(reference.scored)} scored for ${usd(reference.costUsd)}`);
      out();
      out(await report(config, workflowId, { against: referenceId }));
    }
    out();
    out('Where to look next');
    out(`  Temporal UI   ${uiUrl(config, server.uiUrl, workflowId)}`);
    out(`  database      ${resolve(config.dbPath)}   (npm run cli -- results ${workflowId})`);
    out(`  call log      ${resolve(config.logFile)}   (npm run cli -- calls --run ${workflowId})`);
    out(`  dev server    keeps running for the UI; stop it with: npm run cli -- dev stop`);
  } finally {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await workersDone;
    await nativeConnection.close();
    await connection.close();
    await sim.close();
    await deps.store.close();
    logger.flush();
  }
}
