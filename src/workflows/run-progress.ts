import type {
  BatchProgress,
  FeedWait,
  PlanResult,
  RunPhase,
  RunProgress,
  ShardProgress,
  ShardTotals,
} from '../shared/messages';
import { picoToUsd } from '../shared/money';

export interface RunView {
  runId: string;
  runDate: string;
  phase: RunPhase;
  plan: PlanResult;
  totals: ShardTotals;
  running: Map<number, ShardProgress>;
  startedAt: number;
  scoringStartedAt: number;
  shardsDone: number;
  shardsTotal: number;
  budgetUsd: number | null;
  dailyBudgetUsd: number | null;
  batch: BatchProgress | null;
  /** True while the batch child runs: its persisted count is not in `totals` yet. */
  batchLive: boolean;
  drift: RunProgress['drift'];
  /** Set while the run waits for a missing feed file. */
  feedWait?: FeedWait;
}

/** The progress query's answer: finished shards' totals plus what running shards last reported. */
export function progressOf(v: RunView, now: number): RunProgress {
  let scored = v.totals.scored + (v.batchLive && v.batch ? v.batch.persisted : 0);
  let deadLettered = v.totals.deadLettered;
  // Like `scored`: while the batch child runs, what it collected is known only from its signal.
  let costPico = v.totals.costPico + (v.batchLive && v.batch ? (v.batch.costPico ?? 0) : 0);
  let inFlight = 0;
  let shardsInOutage = 0;
  let shardsWaitingForBudget = 0;
  for (const p of v.running.values()) {
    scored += p.scored;
    deadLettered += p.deadLettered;
    costPico += p.costPico;
    inFlight += p.inFlight;
    if (p.outage) shardsInOutage++;
    if (p.budgetBlocked) shardsWaitingForBudget++;
  }
  const done = scored + deadLettered;
  const elapsed = now - v.scoringStartedAt;
  const eta =
    v.phase === 'scoring' && done > 0 && v.scoringStartedAt > 0
      ? new Date(now + (elapsed / done) * (v.plan.toScore - done)).toISOString()
      : null;
  return {
    runId: v.runId,
    runDate: v.runDate,
    phase: v.phase,
    total: v.plan.lines,
    rejected: v.plan.rejected,
    planned: v.plan.planned,
    cacheHits: v.plan.cacheHits,
    scored: scored + v.plan.cacheHits,
    deadLettered,
    inFlight,
    costUsd: picoToUsd(costPico),
    startedAt: new Date(v.startedAt).toISOString(),
    updatedAt: new Date(now).toISOString(),
    estimatedFinishAt: eta,
    shardsDone: v.shardsDone,
    shardsTotal: v.shardsTotal,
    shardsInOutage,
    shardsWaitingForBudget,
    budgetUsd: v.budgetUsd,
    dailyBudgetUsd: v.dailyBudgetUsd,
    batch: v.batch,
    drift: v.drift,
    ...(v.feedWait ? { feedWait: v.feedWait } : {}),
  };
}

/** The run as the Web UI shows it (current details, markdown): readable without opening payloads. */
export function detailsOf(p: RunProgress): string {
  const lines = [
    `**${p.phase}** · run date ${p.runDate}`,
    `${p.scored + p.deadLettered} / ${p.planned} listings done (${p.scored} scored, ${p.cacheHits} from cache, ${p.deadLettered} dead-lettered), ${p.rejected} feed lines rejected`,
    `shards ${p.shardsDone} / ${p.shardsTotal} · cost so far $${p.costUsd.toFixed(4)}` +
      (p.budgetUsd !== null ? ` of a $${p.budgetUsd} budget` : ''),
  ];
  if (p.feedWait) {
    lines.push(
      `⏳ waiting for the feed file ${p.feedWait.path}; the run fails at ${p.feedWait.until} if it is still missing`,
    );
  }
  if (p.batch) {
    lines.push(
      `Batch API: ${p.batch.batches} batch(es), ${p.batch.completed} / ${p.batch.lines} lines answered, ${p.batch.persisted} scores persisted` +
        (p.batch.cancelledAtCutoff ? ' · cut off before the deadline' : ''),
    );
  }
  if (p.shardsInOutage > 0) lines.push(`⚠ ${p.shardsInOutage} shard(s) paused by a provider outage, probing`);
  if (p.shardsWaitingForBudget > 0) {
    lines.push(
      `⏸ ${p.shardsWaitingForBudget} shard(s) waiting for budget: send the raiseBudget or finishEarly update`,
    );
  }
  if (p.drift) {
    const held =
      p.drift.publication === 'held'
        ? ': scores held from publication; approve or reject with `quality approve|reject` (the reviewRun update)'
        : p.drift.publication === 'rejected'
          ? ': scores rejected'
          : '';
    lines.push(`${p.drift.drifted ? '⚠ ' : ''}${p.drift.summary}${held}`);
  }
  return lines.join('\n');
}
