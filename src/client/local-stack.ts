import { join, resolve } from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../activities';
import { createDataConverter } from '../codec';
import type { Config } from '../config';
import { ensureDevServer, type DevServerHandle } from '../dev/dev-server';
import { createLogger, type Logger } from '../observability/logger';
import { servedModels } from '../scoring/routing';
// Types only here; the simulator itself is imported on use in LocalStack.start.
import type { RunningSimulator, SimulatorConfigPatch } from '../../simulator';
import { createWorkers, runWorkers } from '../worker/create-workers';
import { installRuntime } from '../worker/runtime';
import { buildDeps } from '../worker/wiring';
import { connectClient, ensureNamespaceReady, uiUrl } from './connect';
import type { ProviderChoice } from './provider';
import { formatSummary, int } from './format';
import type { RunSummary } from '../shared/messages';

export interface LocalStackOptions {
  uiPort: number;
  seed: number;
  provider: ProviderChoice;
  /** The simulator's behaviour when it is the provider (default: realistic latency, halved). */
  simulator?: SimulatorConfigPatch;
  out: (line?: string) => void;
}

/**
 * What `demo`, `score` and `calibrate` run on: the local dev server (started or reused, kept
 * running afterwards for the Web UI), the provider (the simulator, or the real one the
 * environment names), the store, a client, and workers in this process on whatever task
 * queues the command asks for. `close()` takes it all down again but the dev server.
 */
export class LocalStack {
  private readonly workers: Worker[] = [];
  private readonly running: Promise<void>[] = [];

  private constructor(
    readonly config: Config,
    readonly server: DevServerHandle,
    readonly sim: RunningSimulator | undefined,
    readonly deps: ActivityDeps,
    readonly logger: Logger,
    readonly client: Client,
    private readonly connection: Connection,
    private readonly nativeConnection: NativeConnection,
  ) {}

  static async start(base: Config, o: LocalStackOptions): Promise<LocalStack> {
    const dataDir = resolve(base.dataDir);
    const server = await ensureDevServer({
      address: base.temporal.address,
      namespace: base.temporal.namespace,
      uiPort: o.uiPort,
      dbFile: join(dataDir, 'temporal.db'),
      logFile: join(dataDir, 'logs', 'temporal.log'),
    });
    o.out(
      `Temporal   ${server.started ? 'started' : 'reused'} dev server at ${server.address} · Web UI ${server.uiUrl}`,
    );
    let sim: RunningSimulator | undefined;
    let config: Config;
    if (o.provider.kind === 'simulator') {
      // The simulator is a test double outside src/: only the local demo, score and calibrate
      // start it, and loading it here, on use, keeps it out of every production module's graph.
      const { startSimulator } = await import('../../simulator');
      sim = await startSimulator({
        port: 0,
        seed: o.seed,
        // Realistic per-model latency, scaled down so a run takes a minute, not an hour.
        config: o.simulator ?? { latencyScale: 0.5 },
      });
      o.out(`Provider   simulator, an OpenAI-compatible API at ${sim.baseURL}`);
      config = { ...base, openai: { ...base.openai, baseURL: sim.baseURL, apiKey: 'sk-local-simulator' } };
    } else {
      o.out(`Provider   ${o.provider.describe}`);
      config = {
        ...base,
        openai: { ...base.openai, baseURL: o.provider.baseURL, apiKey: o.provider.apiKey },
      };
    }
    const logger = createLogger({
      file: config.logFile,
      level: config.logLevel,
      console: 'error',
      secrets: [config.openai.apiKey],
    });
    installRuntime(logger, 'WARN');
    const closeSim = async (err: unknown) => {
      await sim?.close();
      throw err;
    };
    const deps = await buildDeps(config, logger).catch(closeSim);
    const { client, connection } = await connectClient(config).catch(closeSim);
    try {
      await ensureNamespaceReady(config, client.connection, (line) => o.out(`           ${line}`));
    } catch (err) {
      await connection.close();
      await deps.store.close();
      return closeSim(err);
    }
    const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
    return new LocalStack(config, server, sim, deps, logger, client, connection, nativeConnection);
  }

  /**
   * Workers for one task queue, running until close(). `models` forces both routing tiers
   * (an all-large reference run, a calibration run of one model) on queues of their own, so
   * the forced routing never serves the ordinary queue.
   */
  async addWorkers(taskQueue: string, models?: { small: string; large: string }): Promise<void> {
    const deps: ActivityDeps = {
      ...this.deps,
      routing: models ? { ...this.deps.routing, models } : this.deps.routing,
      taskQueue,
    };
    const workers = await createWorkers({
      connection: this.nativeConnection,
      namespace: this.config.temporal.namespace,
      taskQueue,
      deps,
      models: servedModels(deps.routing),
      modelRpm: this.config.modelRpm,
      maxConcurrentActivities: this.config.maxConcurrentActivities,
      // The same codec as connectClient's, so the workers read what the client encrypted.
      dataConverter: this.config.codecKeys ? createDataConverter(this.config.codecKeys) : undefined,
    });
    this.workers.push(...workers);
    this.running.push(runWorkers(workers));
  }

  /** A finished run's summary, and the simulator's own bill beside ours when it is the provider. */
  summaryLines(summary: RunSummary): string[] {
    const ledger = this.sim?.ledger();
    return [
      formatSummary(summary),
      ...(ledger
        ? [
            `  provider's bill (simulator ledger): $${ledger.total.usd.toFixed(4)} for ${int(ledger.total.requests)} billed calls`,
          ]
        : []),
    ];
  }

  /** Where to look after a run: the UI, the results and report commands, the files. */
  whereToLook(workflowId: string): string[] {
    const cli = 'npm run cli --';
    return [
      'Where to look next',
      `  results       ${cli} results ${workflowId}`,
      `  report        ${cli} report ${workflowId} --html report.html`,
      `  Temporal UI   ${uiUrl(this.config, this.server.uiUrl, workflowId)}`,
      `  database      ${resolve(this.config.dbPath)}`,
      `  call log      ${resolve(this.config.logFile)}   (${cli} calls --run ${workflowId})`,
      `  dev server    keeps running for the UI; stop it with: ${cli} dev stop`,
    ];
  }

  async close(): Promise<void> {
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
    for (const r of await Promise.allSettled(this.running)) {
      if (r.status === 'rejected') this.logger.error({ err: r.reason as unknown }, 'worker failed');
    }
    await this.nativeConnection.close();
    await this.connection.close();
    await this.sim?.close();
    await this.deps.store.close();
    this.logger.flush();
  }
}
