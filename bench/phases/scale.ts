import { join } from 'node:path';
import type { BenchArgs } from '../lib/args';
import { scanServerLogFile, type ServerLogScan } from '../lib/dev-server';
import { RssSampler } from '../lib/procfs';
import { historyStats, runScoreline } from '../lib/scoreline';
import { syncRunInput, withScorelineStack } from '../lib/stack';
import { log, sampleLedger, tempDir, unlimitedConfig, writeFeed } from '../lib/setup';

export interface ScaleResult {
  listings: number;
  completed: boolean;
  scored: number;
  deadLettered: number;
  wallMs: number;
  listingsPerSecond: number;
  /** Parent executions (continue-as-new chain) and their event counts. */
  parentEvents: number[];
  shards: number;
  maxShardEvents: number;
  maxEvents: number;
  maxWhere: string;
  maxHistoryBytes: number;
  peakRssMb: number;
  /** The kernel's lifetime peak for the worker, start-up bundling included. */
  hwmRssMb: number;
  cpuMsPerListing: number;
  devServerCpuMsPerListing: number;
  serverLog: ServerLogScan;
  error?: string;
}

/** One large run at zero latency: does it finish, how big do histories get, how much memory. */
export async function scalePhase(args: BenchArgs): Promise<ScaleResult> {
  const tmp = tempDir('scale');
  const n = args.scaleListings;
  const result: ScaleResult = {
    listings: n,
    completed: false,
    scored: 0,
    deadLettered: 0,
    wallMs: 0,
    listingsPerSecond: 0,
    parentEvents: [],
    shards: 0,
    maxShardEvents: 0,
    maxEvents: 0,
    maxWhere: '',
    maxHistoryBytes: 0,
    peakRssMb: 0,
    hwmRssMb: 0,
    cpuMsPerListing: 0,
    devServerCpuMsPerListing: 0,
    serverLog: { warnLines: 0, errorLines: 0, historyLimitLines: 0, sample: [] },
  };
  try {
    log(`scale: writing a ${n}-listing feed`);
    const feedPath = await writeFeed(join(tmp.dir, 'feed.jsonl'), {
      date: '2026-11-29',
      count: n,
      seed: args.seed,
    });
    const taskQueue = 'bench-scale';
    let serverLog: string | undefined;
    try {
      await withScorelineStack(
        {
          dir: tmp.dir,
          taskQueue,
          modelRpm: 6_000_000,
          logLevel: args.workerLogLevel,
          seed: args.seed,
          sim: unlimitedConfig(),
        },
        async ({ server, sim, worker, client }) => {
          serverLog = server.logFile;
          log(`scale: Scoreline, ${n} listings, zero latency`);
          const rss = new RssSampler(worker.pid).start();
          const cpu0 = worker.cpuMs() ?? 0;
          const server0 = server.cpuMs() ?? 0;
          const started = Date.now();
          let lastLog = started;
          const sampler = sampleLedger(sim, 5000, (requests) => {
            if (Date.now() - lastLog < 60_000) return;
            lastLog = Date.now();
            const rssMb = (worker.mem()?.rssKb ?? 0) / 1024;
            log(
              `scale: ${requests} calls after ${((Date.now() - started) / 1000).toFixed(0)} s, worker RSS ${rssMb.toFixed(0)} MB`,
            );
          });
          try {
            const run = await runScoreline(client, taskQueue, syncRunInput(feedPath));
            result.completed = true;
            result.scored = run.summary.scored;
            result.deadLettered = run.summary.deadLettered;
            result.wallMs = run.wallMs;
            result.listingsPerSecond = run.summary.planned / (run.wallMs / 1000);
            result.cpuMsPerListing = ((worker.cpuMs() ?? 0) - cpu0) / run.summary.planned;
            result.devServerCpuMsPerListing = ((server.cpuMs() ?? 0) - server0) / run.summary.planned;
            result.listings = run.summary.planned;
            log(`scale: done in ${(run.wallMs / 1000).toFixed(0)} s; collecting history sizes`);
            const h = await historyStats(client, run.workflowId);
            result.parentEvents = h.parentEvents;
            result.shards = h.shardEvents.length;
            result.maxShardEvents = Math.max(0, ...h.shardEvents);
            result.maxEvents = h.maxEvents;
            result.maxWhere = h.maxWhere;
            result.maxHistoryBytes = h.maxBytes;
          } finally {
            sampler.stop();
            result.peakRssMb = rss.stop().peakKb / 1024;
            result.hwmRssMb = (worker.mem()?.hwmKb ?? 0) / 1024;
          }
        },
      );
    } finally {
      if (serverLog) result.serverLog = scanServerLogFile(serverLog);
    }
  } catch (err) {
    result.error = String(err);
  } finally {
    tmp.remove();
  }
  return result;
}
