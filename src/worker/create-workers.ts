import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { Worker, type WorkerPlugin, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { modelTaskQueue } from '../config';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Models this process serves; each gets its own rate-limited activity queue. */
  models: string[];
  /** Requests per minute per model, enforced by the server across every worker on the queue. */
  modelRpm: number;
  maxConcurrentActivities: number;
  /** A pre-built bundle (tests build it once per file); otherwise the worker bundles ./workflows. */
  workflowBundle?: WorkflowBundleOption;
  maxCachedWorkflows?: number;
  /** Payload encryption; client and every worker must share it. */
  dataConverter?: DataConverter;
  /** Worker plugins (OpenTelemetry tracing, see observability/tracing.ts). */
  plugins?: WorkerPlugin[];
}

/**
 * One worker for the workflows and store-bound activities, and one per model queue for the
 * LLM calls. `maxTaskQueueActivitiesPerSecond` is a server-side limit: it holds however
 * many worker processes poll the queue, which a per-process limiter cannot promise.
 */
export async function createWorkers(s: WorkerSetup): Promise<Worker[]> {
  const activities = createActivities(s.deps);
  const main = await Worker.create({
    connection: s.connection,
    namespace: s.namespace,
    taskQueue: s.taskQueue,
    ...(s.workflowBundle ? { workflowBundle: s.workflowBundle } : { workflowsPath: workflowsEntry() }),
    // Everything but the LLM call itself, which runs on the per-model rate-limited queues.
    activities: withoutLlmCall(activities),
    maxConcurrentActivityTaskExecutions: s.maxConcurrentActivities,
    // Big runs keep many shard children open; an unbounded cache would hold them all in memory.
    maxCachedWorkflows: s.maxCachedWorkflows ?? 400,
    dataConverter: s.dataConverter,
    plugins: s.plugins,
  });
  const llm = await Promise.all(
    [...new Set(s.models)].map((model) =>
      Worker.create({
        connection: s.connection,
        namespace: s.namespace,
        taskQueue: modelTaskQueue(s.taskQueue, model),
        activities: { scoreListing: activities.scoreListing },
        maxConcurrentActivityTaskExecutions: s.maxConcurrentActivities,
        maxTaskQueueActivitiesPerSecond: s.modelRpm / 60,
        dataConverter: s.dataConverter,
        plugins: s.plugins,
      }),
    ),
  );
  return [main, ...llm];
}

/** Runs until every worker stops (on shutdown or a fatal error, which stops the rest). */
export async function runWorkers(workers: Worker[]): Promise<void> {
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  }
}

/** The workflows module as a file path, whether this code runs from TypeScript (tsx, vitest) or compiled JS. */
export function workflowsEntry(): string {
  const ts = join(__dirname, '..', 'workflows', 'index.ts');
  return existsSync(ts) ? ts : join(__dirname, '..', 'workflows', 'index.js');
}

function withoutLlmCall<T extends { scoreListing: unknown }>(activities: T): Omit<T, 'scoreListing'> {
  const { scoreListing: _llm, ...rest } = activities;
  return rest;
}
