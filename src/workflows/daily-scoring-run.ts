import {
  continueAsNew,
  executeChild,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Activities } from '../activities';
import {
  RUN_DEFAULTS,
  type PlanResult,
  type RunInput,
  type RunPhase,
  type RunProgress,
  type RunSummary,
  type ShardProgress,
  type ShardTotals,
} from '../shared/messages';
import { emptyTotals, mergeTotals } from '../shared/totals';
import { planOptions, storeStepOptions } from './activity-options';
import { progressQuery, searchAttributes as SA, shardProgressSignal } from './definitions';
import { scoringShard } from './scoring-shard';

const TEMPORAL_SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

const { planRun } = proxyActivities<Activities>(planOptions);
const { finishRun } = proxyActivities<Activities>(storeStepOptions);

/**
 * The daily run: plan the feed, score it in shard children through a bounded window, and
 * summarise. History holds ids and counts only. Each execution starts at most
 * `shardsPerExecution` shards, then continues as new with its running totals, so a run of
 * any size keeps every history far below Temporal's limits.
 */
export async function dailyScoringRun(input: RunInput): Promise<RunSummary> {
  const opts = { ...RUN_DEFAULTS, ...stripUndefined(input) };
  const runId = workflowInfo().workflowId;
  const runDate = input.runDate ?? scheduledDate(input.timezone ?? 'UTC');
  const feedPath = input.feedPath.replaceAll('{date}', runDate);
  const carry = input.carry;
  const startedAt = carry?.startedAt ?? Date.now();
  let phase: RunPhase = carry ? 'scoring' : 'planning';
  let plan: PlanResult = carry?.plan ?? {
    lines: 0,
    planned: 0,
    toScore: 0,
    cacheHits: 0,
    rejected: 0,
    rejectedSample: [],
  };
  let nextShard = carry?.nextShard ?? 0;
  let scoringStartedAt = carry?.scoringStartedAt ?? 0;
  const totals: ShardTotals = carry?.totals ?? emptyTotals();
  const running = new Map<number, ShardProgress>();
  const finishedShards = new Set<number>();
  let shardsDone = nextShard;
  const shardsTotal = () => Math.ceil(plan.toScore / opts.shardSize);

  setHandler(shardProgressSignal, (p) => {
    if (!finishedShards.has(p.shardIndex)) running.set(p.shardIndex, p);
  });
  setHandler(progressQuery, (): RunProgress => {
    let scored = totals.scored;
    let deadLettered = totals.deadLettered;
    let costPico = totals.costPico;
    let inFlight = 0;
    let shardsInOutage = 0;
    for (const p of running.values()) {
      if (p.outage) shardsInOutage++;
      scored += p.scored;
      deadLettered += p.deadLettered;
      costPico += p.costPico;
      inFlight += p.inFlight;
    }
    const done = scored + deadLettered;
    const elapsed = Date.now() - scoringStartedAt;
    const eta =
      phase === 'scoring' && done > 0 && scoringStartedAt > 0
        ? new Date(Date.now() + (elapsed / done) * (plan.toScore - done)).toISOString()
        : null;
    return {
      runId,
      runDate: runDate,
      phase,
      total: plan.lines,
      rejected: plan.rejected,
      planned: plan.planned,
      cacheHits: plan.cacheHits,
      scored: scored + plan.cacheHits,
      deadLettered,
      inFlight,
      costUsd: costPico / 1e12,
      startedAt: new Date(startedAt).toISOString(),
      updatedAt: new Date().toISOString(),
      estimatedFinishAt: eta,
      shardsDone,
      shardsTotal: shardsTotal(),
      shardsInOutage,
    };
  });

  const showProgress = () => {
    upsertSearchAttributes([
      { key: SA.RunPhase, value: phase },
      { key: SA.ListingsTotal, value: plan.planned },
      { key: SA.ListingsScored, value: totals.scored + plan.cacheHits },
      { key: SA.ListingsDeadLettered, value: totals.deadLettered },
      { key: SA.CostUsd, value: totals.costPico / 1e12 },
    ]);
    setCurrentDetails(
      [
        `**${phase}** · run date ${runDate}`,
        `${plan.cacheHits + totals.scored + totals.deadLettered} / ${plan.planned} listings done (${totals.scored} scored, ${plan.cacheHits} from cache, ${totals.deadLettered} dead-lettered), ${plan.rejected} feed lines rejected`,
        `shards ${shardsDone} / ${shardsTotal()} · cost so far $${(totals.costPico / 1e12).toFixed(4)}`,
      ].join('\n'),
    );
  };

  if (!carry) {
    upsertSearchAttributes([{ key: SA.RunDate, value: runDate }]);
    showProgress();
    plan = await planRun({ runId, runDate, feedPath, criteria: input.criteria, useCache: input.useCache });
    phase = 'scoring';
    scoringStartedAt = Date.now();
    showProgress();
  }

  const endShard = Math.min(shardsTotal(), nextShard + opts.shardsPerExecution);
  const runShard = async (shardIndex: number) => {
    const fromSeq = shardIndex * opts.shardSize;
    const result = await executeChild(scoringShard, {
      workflowId: `${runId}/shard-${shardIndex}`,
      args: [
        {
          runId,
          parentWorkflowId: runId,
          shardIndex,
          fromSeq,
          toSeq: Math.min(plan.toScore, fromSeq + opts.shardSize),
          listingConcurrency: opts.listingConcurrency,
          maxAttempts: opts.maxAttempts,
        },
      ],
      staticSummary: `Shard ${shardIndex} of run ${runDate}`,
    });
    finishedShards.add(shardIndex);
    running.delete(shardIndex);
    mergeTotals(totals, result);
    shardsDone++;
    showProgress();
  };
  const lane = async () => {
    while (nextShard < endShard) await runShard(nextShard++);
  };
  await Promise.all(Array.from({ length: opts.maxConcurrentShards }, lane));

  if (endShard < shardsTotal()) {
    await continueAsNew<typeof dailyScoringRun>({
      ...input,
      runDate,
      feedPath,
      carry: {
        plan,
        nextShard: endShard,
        totals,
        startedAt,
        scoringStartedAt,
        executions: (carry?.executions ?? 1) + 1,
      },
    });
  }

  phase = 'finishing';
  showProgress();
  const summary = await finishRun({
    runId,
    runDate: runDate,
    plan,
    totals,
    startedAt: new Date(startedAt).toISOString(),
    executions: carry?.executions ?? 1,
  });
  phase = 'done';
  showProgress();
  return summary;
}

/** The date a Schedule meant this run for, in its time zone; a manual start means today. */
function scheduledDate(timeZone: string): string {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(TEMPORAL_SCHEDULED_START_TIME);
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(scheduled ?? info.startTime);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
