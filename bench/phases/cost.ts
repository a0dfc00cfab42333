import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchArgs } from '../lib/args';
import { runNaiveProcess } from '../lib/naive-process';
import { agreement, errorVsTruth, type Agreement, type TruthError } from '../lib/quality';
import {
  readScorelineScores,
  runScoreline,
  scoresOnly,
  type BenchRoute,
  type BenchRunInput,
  type ScoreRow,
} from '../lib/scoreline';
import { withScorelineStack } from '../lib/stack';
import { CRITERIA, log, startSim, tempDir, truthOf, unlimitedConfig, writeFeed } from '../lib/setup';
import { readNaiveScores, type NaiveModelChoice } from '../naive/pipeline';

export interface CostDay {
  date: string;
  listings: number;
  /** The provider's bill (simulator ledger) for Scoreline's run, USD. */
  scorelineUsd: number;
  /** Scoreline's own accounting for the same run, USD. */
  pipelineUsd: number;
  allSmallUsd: number;
  allLargeUsd: number;
  scorelineOverLarge: number;
  allSmallOverLarge: number;
  scorelineCalls: Record<string, number>;
  /** Calls billed through the Batch API (ledger's batch route): 0 until the batch route exists. */
  batchCalls: number;
  cacheHits: number;
  /**
   * Cache hits whose score differs from the score the previous day persisted for the same
   * listing (day two only): a cache that returns another answer than the one that was kept.
   */
  cacheHitsChangedScore: number;
  escalations: number;
  deadLettered: number;
  agreementWithLarge: Agreement;
  allSmallAgreementWithLarge: Agreement;
  truth: { scoreline: TruthError; allSmall: TruthError; allLarge: TruthError };
}

export interface CostRoute {
  route: BenchRoute;
  days: CostDay[];
}

export interface CostResult {
  listings: number;
  method: string;
  /** One entry per Scoreline route asked for (`--route sync,batch`), against the same baselines. */
  routes: CostRoute[];
  errors: string[];
}

const DAYS = ['2026-11-29', '2026-11-30'];

/** Day one and a day two with 80% of listings unchanged: Scoreline against all-small and all-large. */
export async function costPhase(args: BenchArgs): Promise<CostResult> {
  const tmp = tempDir('cost');
  const result: CostResult = {
    listings: args.costListings,
    routes: [],
    method:
      'all-small and all-large: the naive client (no routing, no cascade, no cache) through a fresh simulator at zero latency, billed by its ledger',
    errors: [],
  };
  try {
    const feeds: string[] = [];
    for (const date of DAYS) {
      feeds.push(
        await writeFeed(join(tmp.dir, `feed-${date}.jsonl`), {
          date,
          count: args.costListings,
          seed: args.seed,
          churn: 0.2,
        }),
      );
    }
    // The baselines do not depend on Scoreline's route: computed once per day.
    const baselines = [];
    for (const [i, date] of DAYS.entries()) {
      const feedPath = feeds[i] as string;
      baselines.push({
        small: await naiveDay(args, tmp.dir, feedPath, 'small', date),
        large: await naiveDay(args, tmp.dir, feedPath, 'large', date),
        truth: await truthOf(feedPath),
      });
    }
    for (const route of args.routes) {
      const scoreline = await scorelineDays(args, join(tmp.dir, route), feeds, route).catch(
        (err: unknown) => {
          result.errors.push(`scoreline (${route}): ${String(err)}`);
          return [];
        },
      );
      const days: CostDay[] = [];
      for (const [i, date] of DAYS.entries()) {
        const day = scoreline[i];
        const base = baselines[i];
        if (!day || !base) continue;
        const { small, large, truth } = base;
        days.push({
          date,
          listings: day.listings,
          scorelineUsd: day.usd,
          pipelineUsd: day.pipelineUsd,
          allSmallUsd: small.usd,
          allLargeUsd: large.usd,
          scorelineOverLarge: day.usd / large.usd,
          allSmallOverLarge: small.usd / large.usd,
          scorelineCalls: day.calls,
          batchCalls: day.batchCalls,
          cacheHits: day.cacheHits,
          cacheHitsChangedScore: i === 0 ? 0 : changedByCache(scoreline[i - 1], day),
          escalations: day.escalations,
          deadLettered: day.deadLettered,
          agreementWithLarge: agreement(day.scores, large.scores),
          allSmallAgreementWithLarge: agreement(small.scores, large.scores),
          truth: {
            scoreline: errorVsTruth(day.scores, truth),
            allSmall: errorVsTruth(small.scores, truth),
            allLarge: errorVsTruth(large.scores, truth),
          },
        });
      }
      result.routes.push({ route, days });
    }
  } catch (err) {
    result.errors.push(String(err));
  } finally {
    tmp.remove();
  }
  return result;
}

interface ScorelineDay {
  listings: number;
  usd: number;
  pipelineUsd: number;
  calls: Record<string, number>;
  batchCalls: number;
  cacheHits: number;
  escalations: number;
  deadLettered: number;
  scores: Map<string, number>;
  rows: Map<string, ScoreRow>;
}

function changedByCache(previous: ScorelineDay | undefined, day: ScorelineDay): number {
  let changed = 0;
  for (const [id, row] of day.rows) {
    const before = previous?.scores.get(id);
    if (row.source === 'cache' && before !== undefined && before !== row.score) changed++;
  }
  return changed;
}

/** Both days on one worker and one database, so day two finds day one's answers in the cache. */
async function scorelineDays(
  args: BenchArgs,
  dir: string,
  feeds: string[],
  route: BenchRoute,
): Promise<ScorelineDay[]> {
  mkdirSync(dir, { recursive: true });
  const taskQueue = `bench-cost-${route}`;
  return withScorelineStack(
    {
      dir,
      taskQueue,
      modelRpm: 6_000_000,
      logLevel: args.workerLogLevel,
      seed: args.seed,
      sim: unlimitedConfig(),
    },
    async ({ sim, worker, client }) => {
      const days: ScorelineDay[] = [];
      for (const [i, date] of DAYS.entries()) {
        sim.resetLedger();
        log(`cost: Scoreline day ${i + 1} (${date}), ${args.costListings} listings, route ${route}`);
        const input: BenchRunInput = {
          runDate: date,
          feedPath: feeds[i] as string,
          criteria: CRITERIA,
          route,
        };
        const run = await runScoreline(client, taskQueue, input);
        const ledger = sim.ledger();
        const calls: Record<string, number> = {};
        for (const [model, entry] of Object.entries(ledger.models)) if (entry) calls[model] = entry.requests;
        days.push({
          listings: run.summary.planned,
          usd: ledger.total.usd,
          pipelineUsd: run.summary.costUsd,
          calls,
          batchCalls: ledger.routes.batch.total.requests,
          cacheHits: run.summary.cacheHits,
          escalations: run.summary.escalations,
          deadLettered: run.summary.deadLettered,
          ...(await readScorelineScores(worker.dbPath, run.summary.runId).then((rows) => ({
            rows,
            scores: scoresOnly(rows),
          }))),
        });
      }
      return days;
    },
  );
}

async function naiveDay(
  args: BenchArgs,
  dir: string,
  feedPath: string,
  model: NaiveModelChoice,
  date: string,
): Promise<{ usd: number; scores: Map<string, number> }> {
  // A fresh simulator each time: no prompt-cache warmth carried over from another run.
  const sim = await startSim(args.seed, unlimitedConfig());
  try {
    log(`cost: all-${model} sync, ${date}`);
    const dbPath = join(dir, `naive-${model}-${date}.db`);
    await runNaiveProcess(
      dir,
      {
        feedPath,
        criteria: CRITERIA,
        baseURL: sim.baseURL,
        apiKey: 'sk-bench-local-simulator',
        dbPath,
        model,
        concurrency: args.concurrency,
      },
      `${model}-${date}`,
    );
    return { usd: sim.ledger().total.usd, scores: readNaiveScores(dbPath) };
  } finally {
    await sim.close();
  }
}
