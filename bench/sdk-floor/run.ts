/**
 * The Temporal TypeScript SDK's own CPU per activity on this machine: `shards` workflows of
 * `perShard` no-op activities each (lanes like Scoreline's), on a fresh dev server, with the
 * worker in this process. Prints worker CPU (this process, every thread, from /proc) and dev
 * server CPU per activity, to set Scoreline's per-listing figures against what the SDK itself
 * needs. `--separate-queue` puts the activities on a queue of their own, served by a second
 * worker in the same process, as Scoreline's LLM calls are: that turns off eager dispatch.
 * Usage: npx tsx bench/sdk-floor/run.ts [--shards 50] [--per-shard 100] [--lanes 8] [--separate-queue]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { ensureDevServer } from '../../src/dev/dev-server';
import { freePort } from '../../src/dev/free-port';
import { readCpuMs } from '../lib/procfs';
import * as activities from './activities';
import { floorShard } from './workflows';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const shards = flag('--shards', 50);
  const perShard = flag('--per-shard', 100);
  const lanes = flag('--lanes', 8);
  const separate = process.argv.includes('--separate-queue');
  Runtime.install({ logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
  const dir = mkdtempSync(join(tmpdir(), 'sdk-floor-'));
  const address = `127.0.0.1:${await freePort()}`;
  const server = await ensureDevServer({
    address,
    namespace: 'default',
    uiPort: await freePort(),
    dbFile: join(dir, 'temporal.db'),
    logFile: join(dir, 'temporal.log'),
  });
  try {
    const taskQueue = `floor-${Date.now().toString(36)}`;
    const activityQueue = separate ? `${taskQueue}-activities` : undefined;
    const connection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: require.resolve('./workflows'),
      activities: separate ? {} : activities,
      maxConcurrentActivityTaskExecutions: 200,
      maxCachedWorkflows: 400,
    });
    const activityWorker = activityQueue
      ? await Worker.create({
          connection,
          taskQueue: activityQueue,
          activities,
          maxConcurrentActivityTaskExecutions: 200,
        })
      : undefined;
    const running = activityWorker?.run();
    const client = new Client({ connection: await Connection.connect({ address }) });
    await worker.runUntil(async () => {
      // A warm-up shard: bundling and the first workflow's start are not the steady state.
      await client.workflow.execute(floorShard, {
        taskQueue,
        workflowId: `${taskQueue}-warm`,
        args: [50, lanes, activityQueue],
      });
      const cpu0 = readCpuMs(process.pid) ?? 0;
      const server0 = server.pid ? (readCpuMs(server.pid) ?? 0) : 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: shards }, (_, s) =>
          client.workflow.execute(floorShard, {
            taskQueue,
            workflowId: `${taskQueue}-${s}`,
            args: [perShard, lanes, activityQueue],
          }),
        ),
      );
      const wallMs = Date.now() - started;
      const n = shards * perShard;
      const workerMs = (readCpuMs(process.pid) ?? 0) - cpu0;
      const serverMs = server.pid ? (readCpuMs(server.pid) ?? 0) - server0 : NaN;
      console.log(
        JSON.stringify({
          activities: n,
          shards,
          lanes,
          activityQueue: separate ? 'separate' : 'same (eager dispatch)',
          wallMs,
          activitiesPerSecond: Math.round(n / (wallMs / 1000)),
          workerCpuMsPerActivity: Number((workerMs / n).toFixed(3)),
          devServerCpuMsPerActivity: Number((serverMs / n).toFixed(3)),
        }),
      );
    });
    activityWorker?.shutdown();
    await running;
  } finally {
    if (server.started && server.pid) process.kill(server.pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
