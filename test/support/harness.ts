import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  type WorkerPlugin,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { ActivityDeps } from '../../src/activities';
import { createDataConverter } from '../../src/codec';
import { createOpenAiClient } from '../../src/llm/client';
import { createLogger } from '../../src/observability/logger';
import { PriceTable } from '../../src/scoring/pricing';
import { DEFAULT_ROUTING, servedModels } from '../../src/scoring/routing';
import { startSimulator, type RunningSimulator, type SimulatorConfigPatch } from '../../simulator';
import { SqliteStore } from '../../src/store/sqlite';
import { createWorkers, runWorkers, workflowsEntry } from '../../src/worker/create-workers';
import { defaultCriteria, generateFeed } from '../../feedgen/generate';
import type { RunInput } from '../../src/shared/messages';
import { loadConfig, type Config } from '../../src/config';
import { installRuntime } from '../../src/worker/runtime';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * The run most tests start: the test date, the default criteria and no canaries, so a feed of
 * N listings plans exactly N (the drift gate's own test runs with canaries).
 */
export function feedRun(feedPath: string, over: Partial<RunInput> = {}): RunInput {
  return {
    runDate: '2026-11-29',
    feedPath,
    criteria: defaultCriteria,
    quality: { canaries: false },
    ...over,
  };
}

/** Bundling takes seconds; one bundle serves every worker of a test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: workflowsEntry(),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  return bundle;
}

export interface HarnessOptions {
  address: string;
  simulator?: SimulatorConfigPatch;
  seed?: number;
  modelRpm?: number;
  backoff?: ActivityDeps['backoff'];
  callTimeoutMs?: number;
  /** Encrypt payloads (SCORELINE_CODEC_KEYS format) in the client and the workers. */
  codecKeys?: string;
  apiKey?: string;
}

/**
 * A real stack for one test: the shared dev server, a fresh simulator, a fresh SQLite file,
 * and workers on a task queue no other test uses.
 */
export class Harness {
  readonly taskQueue = `test-${randomUUID()}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'scoreline-test-'));
  readonly store = new SqliteStore(join(this.dir, 'scoreline.db'));
  readonly logFile = join(this.dir, 'scoreline.log');
  sim!: RunningSimulator;
  get apiKey(): string {
    return this.opts.apiKey ?? 'sk-test-secret-key-0123456789';
  }
  client!: Client;
  deps!: ActivityDeps;
  private connection!: Connection;
  private nativeConnection!: NativeConnection;

  constructor(private readonly opts: HarnessOptions) {}

  async start(): Promise<this> {
    const logger = createLogger({
      file: this.logFile,
      level: 'info',
      console: false,
      secrets: [this.apiKey],
    });
    installRuntime(logger, 'WARN');
    await this.store.migrate();
    this.sim = await startSimulator({
      port: 0,
      seed: this.opts.seed ?? 7,
      config: this.opts.simulator ?? { latencyScale: 0.02 },
    });
    this.deps = {
      store: this.store,
      openai: createOpenAiClient({
        baseURL: this.sim.baseURL,
        apiKey: this.apiKey,
        timeoutMs: this.opts.callTimeoutMs ?? 10_000,
      }),
      prices: new PriceTable(),
      logger,
      routing: DEFAULT_ROUTING,
      backoff: this.opts.backoff ?? { initialMs: 50, maxMs: 500, multiplier: 2 },
      taskQueue: this.taskQueue,
    };
    this.connection = await Connection.connect({ address: this.opts.address });
    this.client = new Client({
      connection: this.connection,
      dataConverter: this.opts.codecKeys ? createDataConverter(this.opts.codecKeys) : undefined,
    });
    this.nativeConnection = await NativeConnection.connect({ address: this.opts.address });
    return this;
  }

  writeFeed(opts: {
    count: number;
    date?: string;
    seed?: number;
    malformedRate?: number;
    injectionRate?: number;
    repostRate?: number;
    nearDuplicateRate?: number;
  }): string {
    const path = join(this.dir, `feed-${randomUUID()}.jsonl`);
    const lines = generateFeed({ date: opts.date ?? '2026-11-29', seed: opts.seed ?? 11, ...opts });
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }

  /**
   * Runs the workers while `fn` runs, then shuts them down. Plugins make the worker bundle the
   * workflows itself: a prebuilt bundle cannot take a plugin's workflow interceptors.
   */
  async withWorkers<T>(fn: () => Promise<T>, plugins?: WorkerPlugin[]): Promise<T> {
    const workers = await createWorkers({
      connection: this.nativeConnection,
      namespace: 'default',
      taskQueue: this.taskQueue,
      deps: this.deps,
      models: servedModels(this.deps.routing),
      modelRpm: this.opts.modelRpm ?? 60_000,
      maxConcurrentActivities: 100,
      ...(plugins ? { plugins } : { workflowBundle: await workflowBundle() }),
      dataConverter: this.opts.codecKeys ? createDataConverter(this.opts.codecKeys) : undefined,
    });
    const running = runWorkers(workers);
    try {
      return await fn();
    } finally {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
    }
  }

  /** The CLI's configuration, pointed at this test's server, task queue and database. */
  cliConfig(): Config {
    return loadConfig({
      TEMPORAL_ADDRESS: this.opts.address,
      SCORELINE_TASK_QUEUE: this.taskQueue,
      SCORELINE_DATA_DIR: this.dir,
      SCORELINE_DB: join(this.dir, 'scoreline.db'),
    });
  }

  workflowId(label: string): string {
    return `${label}-${randomUUID()}`;
  }

  async stop(): Promise<void> {
    await this.sim?.close();
    await this.connection?.close();
    await this.nativeConnection?.close();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
