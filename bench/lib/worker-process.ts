import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { modelTaskQueue } from '../../src/config';
import { PROJECT_ROOT } from '../../src/dev/temporal-binary';
import { DEFAULT_ROUTING, servedModels } from '../../src/scoring/routing';
import { parsePrometheusText, sumSamples, type Samples } from '../../src/observability/metrics-text';
import { sleep, spawnTracked, stopTracked } from './children';
import { freePort } from '../../src/dev/free-port';
import { workflowsEntry } from '../../src/worker/create-workers';
import { WORKER_NODE_FLAGS } from '../../src/worker/node-flags';

const quiet = new DefaultLogger('WARN');
import { readCpuMs, readMemKb } from './procfs';

export interface WorkerProcessOptions {
  dir: string;
  address: string;
  simBaseURL: string;
  taskQueue: string;
  /** Becomes SCORELINE_MODEL_RPM: the server-side limit on each model's activity queue. */
  modelRpm: number;
  logLevel: string;
  /** Writes a V8 CPU profile there when the worker exits (`node --cpu-prof`); costs some CPU itself. */
  cpuProfDir?: string;
}

export interface WorkerProcess {
  pid: number;
  dbPath: string;
  cpuMs(): number | undefined;
  mem(): { rssKb: number; hwmKb: number } | undefined;
  /** The worker's Prometheus endpoint (its own metrics merged with the SDK's). */
  metrics(): Promise<Samples>;
  stop(): Promise<void>;
}

/**
 * The real worker (`src/worker/main.ts`, what `npm run worker` runs) as its own process, so
 * its CPU and memory are its own and not the simulator's or the bench's. Configured only
 * through the environment, exactly as in production; everything on 127.0.0.1.
 */
export async function startWorkerProcess(o: WorkerProcessOptions): Promise<WorkerProcess> {
  const [metricsPort, temporalMetricsPort] = [await freePort(), await freePort()];
  const dbPath = join(o.dir, 'scoreline.db');
  const logFile = join(o.dir, 'worker.out');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: o.address,
    TEMPORAL_NAMESPACE: 'default',
    SCORELINE_TASK_QUEUE: o.taskQueue,
    OPENAI_BASE_URL: o.simBaseURL,
    OPENAI_API_KEY: 'sk-bench-local-simulator',
    SCORELINE_DATA_DIR: o.dir,
    SCORELINE_DB: dbPath,
    SCORELINE_LOG_FILE: join(o.dir, 'scoreline.log'),
    SCORELINE_MODEL_RPM: String(o.modelRpm),
    SCORELINE_METRICS_HOST: '127.0.0.1',
    SCORELINE_METRICS_PORT: String(metricsPort),
    SCORELINE_TEMPORAL_METRICS_PORT: String(temporalMetricsPort),
    LOG_LEVEL: o.logLevel,
  };
  delete env.SCORELINE_MODEL_TPM;
  // As the Docker image runs it: with the workflow bundle built ahead of time.
  env.SCORELINE_WORKFLOW_BUNDLE = await workflowBundleFile();
  const profile = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
  const flags = [...WORKER_NODE_FLAGS, ...profile];
  const child = spawnTracked(process.execPath, [...flags, '--import', 'tsx', 'src/worker/main.ts'], {
    logFile,
    env,
    cwd: PROJECT_ROOT,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('worker did not start');
  // Ready once the server sees it polling every queue it serves (whatever the log level).
  const queues = [o.taskQueue, ...servedModels(DEFAULT_ROUTING).map((m) => modelTaskQueue(o.taskQueue, m))];
  const conn = await Connection.connect({ address: o.address });
  try {
    const deadline = Date.now() + 180_000;
    while (!(await polled(conn, queues))) {
      if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}): ${tail(logFile)}`);
      if (Date.now() > deadline) {
        await stopTracked(child);
        throw new Error(`worker not ready within 180 s: ${tail(logFile)}`);
      }
      await sleep(500);
    }
  } finally {
    await conn.close();
  }
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  return {
    pid,
    dbPath,
    cpuMs: () => readCpuMs(pid),
    mem: () => readMemKb(pid),
    metrics: async () => {
      const res = await fetch(metricsUrl);
      return parsePrometheusText(await res.text());
    },
    // A clean exit (the SDK drains on SIGTERM) also lets a CPU profile be written.
    stop: () => stopTracked(child, 60_000),
  };
}

let bundleFile: Promise<string> | undefined;

/** The workflow bundle, built once per bench process (src/worker/build-bundle.ts does the same). */
function workflowBundleFile(): Promise<string> {
  bundleFile ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scoreline-bundle-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({ workflowsPath: workflowsEntry(), logger: quiet });
    writeFileSync(path, code);
    return path;
  })();
  return bundleFile;
}

async function polled(conn: Connection, queues: string[]): Promise<boolean> {
  const types = temporal.api.enums.v1.TaskQueueType;
  const first = queues[0] as string;
  const checks = [
    { name: first, type: types.TASK_QUEUE_TYPE_WORKFLOW },
    ...queues.map((name) => ({ name, type: types.TASK_QUEUE_TYPE_ACTIVITY })),
  ];
  for (const c of checks) {
    const res = await conn.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: c.name },
      taskQueueType: c.type,
    });
    if ((res.pollers ?? []).length === 0) return false;
  }
  return true;
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-2000);
  } catch {
    return `(no output at ${path})`;
  }
}

export interface ActivityTime {
  activity: string;
  count: number;
  /** Mean execution time (worker side), ms. */
  meanMs: number;
}

export interface QueueWait {
  /** 'activity <task queue>' or 'workflow tasks' (all queues, sticky ones included). */
  queue: string;
  count: number;
  /** Mean time from scheduled to started: waiting for a rate limit, a free slot or a busy worker, ms. */
  meanMs: number;
}

export const ACTIVITIES = [
  'planRun',
  'loadShard',
  'scoreListing',
  'validateAndPersist',
  'deadLetterListing',
  'finishRun',
];

/** A histogram's sum or count; the SDK names durations with or without a `_seconds` suffix by version. */
function hist(s: Samples, base: string, part: 'sum' | 'count', match: Record<string, string> = {}): number {
  return sumSamples(s, `${base}_${part}`, match) + sumSamples(s, `${base}_seconds_${part}`, match);
}

/** Where the time goes, per activity type, from the SDK's histograms (seconds). */
export function activityTimes(s: Samples): ActivityTime[] {
  const rows: ActivityTime[] = [];
  for (const activity of ACTIVITIES) {
    const match = { activity_type: activity };
    const count = hist(s, 'temporal_activity_execution_latency', 'count', match);
    if (count === 0) continue;
    const sum = hist(s, 'temporal_activity_execution_latency', 'sum', match);
    rows.push({ activity, count, meanMs: (sum / count) * 1000 });
  }
  return rows;
}

/** Schedule-to-start per activity task queue (the SDK labels it by queue), plus workflow tasks overall. */
export function queueWaits(s: Samples): QueueWait[] {
  const queues = new Set<string>();
  for (const key of Object.keys(s)) {
    if (!key.startsWith('temporal_activity_schedule_to_start_latency')) continue;
    const q = /task_queue="([^"]*)"/.exec(key)?.[1];
    if (q) queues.add(q);
  }
  const rows: QueueWait[] = [];
  const add = (queue: string, base: string, match: Record<string, string>) => {
    const count = hist(s, base, 'count', match);
    if (count > 0) rows.push({ queue, count, meanMs: (hist(s, base, 'sum', match) / count) * 1000 });
  };
  for (const q of [...queues].sort())
    add(`activity ${q}`, 'temporal_activity_schedule_to_start_latency', { task_queue: q });
  add('workflow tasks', 'temporal_workflow_task_schedule_to_start_latency', {});
  return rows;
}

/** Workflow task totals: how many, and mean execution time, ms. */
export function workflowTaskTime(s: Samples): { count: number; meanMs: number } {
  const count = hist(s, 'temporal_workflow_task_execution_latency', 'count');
  const sum = hist(s, 'temporal_workflow_task_execution_latency', 'sum');
  return { count, meanMs: count > 0 ? (sum / count) * 1000 : 0 };
}
