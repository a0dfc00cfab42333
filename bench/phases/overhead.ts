import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchArgs } from '../lib/args';
import { runNaiveProcess } from '../lib/naive-process';
import { RssSampler } from '../lib/procfs';
import { monotonicUs, readProfiles, summarizeProfiles, type ProfileShare } from '../lib/profile';
import { diffCounts, routeActions, serverActions, type RouteActions } from '../lib/actions';
import { historyStats, runScoreline } from '../lib/scoreline';
import { syncRunInput, withScorelineStack, type ScorelineStack } from '../lib/stack';
import { CRITERIA, log, startSim, sideBySide, tempDir, unlimitedConfig, writeFeed } from '../lib/setup';
import {
  activityTimes,
  queueWaits,
  workflowTaskTime,
  type ActivityTime,
  type QueueWait,
} from '../lib/worker-process';

export interface OverheadRow {
  listings: number;
  scored: number;
  wallMs: number;
  listingsPerSecond: number;
  cpuMs: number;
  cpuMsPerListing: number;
  peakRssMb: number;
}

export interface ScorelineOverhead extends OverheadRow {
  devServerCpuMs: number;
  devServerCpuMsPerListing: number;
  /** Events in the parent's executions and every shard child. */
  historyEvents: number;
  eventsPerListing: number;
  maxEvents: number;
  activities: ActivityTime[];
  queueWaits: QueueWait[];
  workflowTasks: { count: number; meanMs: number };
  /** Worker self time by package or project folder, when run with --profile-worker. */
  profile?: ProfileShare[];
  /** Billable actions of this (sync) run, from its histories, with the server's counter beside them. */
  actions?: RouteActions;
  /** The same feed through the Batch API route, on the same stack afterwards. */
  batch?: RouteActions;
}

export interface OverheadResult {
  listings: number;
  scoreline?: ScorelineOverhead;
  naive?: OverheadRow;
  errors: string[];
}

/** Zero latency, no limits: what is left is the pipeline's own cost per listing. */
export async function overheadPhase(args: BenchArgs): Promise<OverheadResult> {
  const tmp = tempDir('overhead');
  const result: OverheadResult = { listings: args.overheadListings, errors: [] };
  try {
    const feedPath = await writeFeed(join(tmp.dir, 'feed.jsonl'), {
      date: '2026-11-29',
      count: args.overheadListings,
      seed: args.seed,
    });
    Object.assign(
      result,
      await sideBySide(
        result.errors,
        () => scorelineOverhead(args, tmp.dir, feedPath),
        () => naiveOverhead(args, tmp.dir, feedPath),
      ),
    );
    return result;
  } finally {
    tmp.remove();
  }
}

async function scorelineOverhead(args: BenchArgs, dir: string, feedPath: string): Promise<ScorelineOverhead> {
  const profDir = join(dir, 'profile');
  mkdirSync(profDir, { recursive: true });
  const taskQueue = 'bench-overhead';
  const window = { fromUs: 0, toUs: 0 };
  // A queue limit far above what two cores can do: the server-side limiter stays out of the way.
  const measured = await withScorelineStack(
    {
      dir,
      taskQueue,
      modelRpm: 6_000_000,
      logLevel: args.workerLogLevel,
      cpuProfDir: args.profileWorker ? profDir : undefined,
      seed: args.seed,
      sim: unlimitedConfig(),
    },
    async ({ server, worker, client }): Promise<ScorelineOverhead> => {
      log(`overhead: Scoreline, ${args.overheadListings} listings, zero latency`);
      const rss = new RssSampler(worker.pid).start();
      const cpu0 = worker.cpuMs() ?? 0;
      const server0 = server.cpuMs() ?? 0;
      const counter0 = await serverActions(server);
      window.fromUs = monotonicUs();
      const run = await runScoreline(client, taskQueue, syncRunInput(feedPath));
      window.toUs = monotonicUs();
      const cpuMs = (worker.cpuMs() ?? 0) - cpu0;
      const devServerCpuMs = (server.cpuMs() ?? 0) - server0;
      const counter1 = await serverActions(server);
      const mem = rss.stop();
      const metrics = await worker.metrics();
      const history = await historyStats(client, run.workflowId);
      const listings = run.summary.planned;
      const actions = await routeActions(client, run.workflowId, {
        listings,
        serverDiff: diffCounts(counter0, counter1),
        workerCpuMs: cpuMs,
        devServerCpuMs,
        wallMs: run.wallMs,
      });
      log(`overhead: sync ${actions.perListing.toFixed(3)} actions per listing (${actions.actions})`);
      const batch = await batchRoute(args, feedPath, { server, worker, client }, taskQueue);
      log(
        `overhead: Scoreline done in ${(run.wallMs / 1000).toFixed(1)} s, worker CPU ${(cpuMs / 1000).toFixed(1)} s`,
      );
      return {
        listings,
        scored: run.summary.scored,
        wallMs: run.wallMs,
        listingsPerSecond: listings / (run.wallMs / 1000),
        cpuMs,
        cpuMsPerListing: cpuMs / listings,
        peakRssMb: mem.peakKb / 1024,
        devServerCpuMs,
        devServerCpuMsPerListing: devServerCpuMs / listings,
        historyEvents: history.totalEvents,
        eventsPerListing: history.totalEvents / listings,
        maxEvents: history.maxEvents,
        activities: activityTimes(metrics),
        queueWaits: queueWaits(metrics),
        workflowTasks: workflowTaskTime(metrics),
        actions,
        ...(batch ? { batch } : {}),
      };
    },
  );
  // The profile is written as the worker exits.
  return args.profileWorker ? withProfile(measured, profDir, args.outDir, window) : measured;
}

/**
 * The same feed through the Batch API route (fresh run, no cache), on the stack the sync run
 * used: what the batch route costs in actions, history and CPU per listing. Polls every
 * half second; the zero-latency simulator finishes a batch in about that.
 */
async function batchRoute(
  args: BenchArgs,
  feedPath: string,
  stack: Pick<ScorelineStack, 'server' | 'worker' | 'client'>,
  taskQueue: string,
): Promise<RouteActions | undefined> {
  const { server, worker, client } = stack;
  try {
    log(`overhead: Scoreline batch route, ${args.overheadListings} listings`);
    const cpu0 = worker.cpuMs() ?? 0;
    const server0 = server.cpuMs() ?? 0;
    const counter0 = await serverActions(server);
    const run = await runScoreline(client, taskQueue, {
      ...syncRunInput(feedPath),
      runDate: '2026-11-30',
      route: 'batch',
      batchPollMs: 500,
    });
    const workerCpuMs = (worker.cpuMs() ?? 0) - cpu0;
    const devServerCpuMs = (server.cpuMs() ?? 0) - server0;
    const counter1 = await serverActions(server);
    const batch = await routeActions(client, run.workflowId, {
      listings: run.summary.planned,
      serverDiff: diffCounts(counter0, counter1),
      workerCpuMs,
      devServerCpuMs,
      wallMs: run.wallMs,
    });
    log(`overhead: batch ${batch.perListing.toFixed(4)} actions per listing (${batch.actions})`);
    return batch;
  } catch (err) {
    log(`overhead: batch route failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function withProfile(
  measured: ScorelineOverhead,
  profDir: string,
  outDir: string,
  window: { fromUs: number; toUs: number },
): ScorelineOverhead {
  const profiles = readProfiles(profDir);
  // Kept next to the results so a flame graph can be opened in DevTools or speedscope.
  const keep = join(outDir, 'profiles');
  rmSync(keep, { recursive: true, force: true });
  cpSync(profDir, keep, { recursive: true });
  log(`overhead: worker CPU profiles kept in ${keep}`);
  return profiles.length ? { ...measured, profile: summarizeProfiles(profiles, window) } : measured;
}

async function naiveOverhead(args: BenchArgs, dir: string, feedPath: string): Promise<OverheadRow> {
  const sim = await startSim(args.seed, unlimitedConfig());
  try {
    log('overhead: naive baseline, zero latency');
    const r = await runNaiveProcess(
      dir,
      {
        feedPath,
        criteria: CRITERIA,
        baseURL: sim.baseURL,
        apiKey: 'sk-bench-local-simulator',
        dbPath: join(dir, 'naive-overhead.db'),
        model: 'routed',
        concurrency: args.concurrency,
      },
      'overhead',
    );
    return {
      listings: r.listings,
      scored: r.scored,
      wallMs: r.wallMs,
      listingsPerSecond: r.listings / (r.wallMs / 1000),
      cpuMs: r.cpuMs,
      cpuMsPerListing: r.cpuMs / r.listings,
      peakRssMb: r.peakRssMb,
    };
  } finally {
    await sim.close();
  }
}
