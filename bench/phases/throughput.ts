import { join } from 'node:path';
import type { RunningSimulator } from '../../simulator';
import type { BenchArgs } from '../lib/args';
import { runNaiveProcess } from '../lib/naive-process';
import { runScoreline } from '../lib/scoreline';
import { syncRunInput, withScorelineStack } from '../lib/stack';
import { summarizeRate, splitSeries, type RateSummary } from '../lib/series';
import {
  CRITERIA,
  limitedConfig,
  log,
  sampleLedger,
  startSim,
  sideBySide,
  tempDir,
  writeFeed,
  type CountSample,
} from '../lib/setup';
import { activityTimes, queueWaits, type ActivityTime, type QueueWait } from '../lib/worker-process';

export interface ModelRate extends RateSummary {
  /** perMinute ÷ RPM: over the model's whole active span, opening burst and tail included. */
  spanOverRpm: number;
  /** sustainedPerMinute ÷ RPM: the median 10-second window. */
  sustainedOverRpm: number;
  peakOverRpm: number;
  /** The simulator's own count: most requests received (429s included) in any 60 s. */
  arrivalsPeak60s: number;
}

export interface PipelineThroughput {
  listings: number;
  scored: number;
  failed: number;
  wallMs: number;
  listingsPerMinute: number;
  /** Scored listings per minute ÷ the per-model RPM limit. */
  listingsOverRpm: number;
  models: Record<string, ModelRate>;
  /** The model with the most admitted requests: the one whose limit binds. */
  busiest: string;
  busiestSustainedOverRpm: number;
  requests: number;
  rateLimited: number;
  rateLimitedShare: number;
  activities?: ActivityTime[];
  queueWaits?: QueueWait[];
}

export interface ThroughputResult {
  rpm: number;
  listings: number;
  latency: string;
  scoreline?: PipelineThroughput;
  naive?: PipelineThroughput;
  errors: string[];
}

function measure(
  sim: RunningSimulator,
  samples: CountSample[],
  rpm: number,
  o: { listings: number; scored: number; failed: number; wallMs: number },
): PipelineThroughput {
  const stats = sim.stats();
  const models: Record<string, ModelRate> = {};
  for (const [model, points] of Object.entries(splitSeries(samples))) {
    const r = summarizeRate(points);
    models[model] = {
      ...r,
      spanOverRpm: r.perMinute / rpm,
      sustainedOverRpm: r.sustainedPerMinute / rpm,
      peakOverRpm: r.peakPerWindow / rpm,
      arrivalsPeak60s: stats.maxRequestsPer60s[model] ?? 0,
    };
  }
  const busiest = Object.entries(models).reduce<[string, number]>(
    (best, [m, r]) => (r.admitted > best[1] ? [m, r.admitted] : best),
    ['', -1],
  )[0];
  const rateLimited = stats.rateLimited.requests + stats.rateLimited.tokens;
  const perMinute = (o.scored / Math.max(1, o.wallMs)) * 60_000;
  return {
    ...o,
    listingsPerMinute: perMinute,
    listingsOverRpm: perMinute / rpm,
    models,
    busiest,
    busiestSustainedOverRpm: models[busiest]?.sustainedOverRpm ?? 0,
    requests: stats.totalRequests,
    rateLimited,
    rateLimitedShare: stats.totalRequests > 0 ? rateLimited / stats.totalRequests : 0,
  };
}

/** The same feed through Scoreline and through the baseline, each against a fresh rate-limited simulator. */
export async function throughputPhase(args: BenchArgs): Promise<ThroughputResult> {
  const tmp = tempDir('throughput');
  const result: ThroughputResult = {
    rpm: args.rpm,
    listings: args.throughputListings,
    latency: 'simulator defaults: gpt-4o-mini median 600 ms / p95 1.5 s, gpt-4o 900 ms / 2.5 s (lognormal)',
    errors: [],
  };
  try {
    const feedPath = await writeFeed(join(tmp.dir, 'feed.jsonl'), {
      date: '2026-11-29',
      count: args.throughputListings,
      seed: args.seed,
    });
    Object.assign(
      result,
      await sideBySide(
        result.errors,
        () => scorelineAtLimit(args, tmp.dir, feedPath),
        () => naiveAtLimit(args, tmp.dir, feedPath),
      ),
    );
    return result;
  } finally {
    tmp.remove();
  }
}

async function scorelineAtLimit(args: BenchArgs, dir: string, feedPath: string): Promise<PipelineThroughput> {
  const taskQueue = 'bench-throughput';
  return withScorelineStack(
    {
      dir,
      taskQueue,
      modelRpm: args.rpm,
      logLevel: args.workerLogLevel,
      seed: args.seed,
      sim: limitedConfig(args.rpm),
    },
    async ({ sim, worker, client }) => {
      log(`throughput: Scoreline, ${args.throughputListings} listings at ${args.rpm} RPM per model`);
      const sampler = sampleLedger(sim);
      const run = await runScoreline(client, taskQueue, syncRunInput(feedPath));
      const samples = sampler.stop();
      const out = measure(sim, samples, args.rpm, {
        listings: run.summary.planned,
        scored: run.summary.scored,
        failed: run.summary.deadLettered,
        wallMs: run.wallMs,
      });
      const metrics = await worker.metrics();
      out.activities = activityTimes(metrics);
      out.queueWaits = queueWaits(metrics);
      log(`throughput: Scoreline done in ${(run.wallMs / 1000).toFixed(1)} s`);
      return out;
    },
  );
}

async function naiveAtLimit(args: BenchArgs, dir: string, feedPath: string): Promise<PipelineThroughput> {
  const sim = await startSim(args.seed, limitedConfig(args.rpm));
  try {
    log(`throughput: naive baseline, concurrency ${args.concurrency}`);
    const sampler = sampleLedger(sim);
    const r = await runNaiveProcess(
      dir,
      {
        feedPath,
        criteria: CRITERIA,
        baseURL: sim.baseURL,
        apiKey: 'sk-bench-local-simulator',
        dbPath: join(dir, 'naive-throughput.db'),
        model: 'routed',
        concurrency: args.concurrency,
      },
      'throughput',
    );
    const samples = sampler.stop();
    log(`throughput: naive done in ${(r.wallMs / 1000).toFixed(1)} s (${r.failed} failed)`);
    return measure(sim, samples, args.rpm, {
      listings: r.listings,
      scored: r.scored,
      failed: r.failed,
      wallMs: r.wallMs,
    });
  } finally {
    await sim.close();
  }
}
