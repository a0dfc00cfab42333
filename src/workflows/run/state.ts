import {
  getExternalWorkflowHandle,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PlanResult, RunInput, ShardProgress } from '../../shared/messages';
import { picoToUsd } from '../../shared/money';
import type { Publication, ReviewDecision } from '../../shared/quality';
import { emptyTotals } from '../../shared/totals';
import type { budgetChangedSignal, stopScoringSignal } from '../definitions';
import { searchAttributes as SA } from '../definitions';
import { detailsOf, progressOf, type RunView } from '../run-progress';
import { resolveRunOptions, type RunOptions } from './options';

/** What one execution of the run holds: the phases change it, the handlers read and change it. */
export interface RunState {
  readonly input: RunInput;
  readonly opts: RunOptions;
  readonly runId: string;
  readonly view: RunView;
  batchDone: boolean;
  /** The next shard to start; continue-as-new carries it. */
  nextShard: number;
  /** Told to finish early: shards started from now on park their listings. */
  stopped: boolean;
  /** Shards whose result is in: a late progress signal from one must not bring it back. */
  readonly finished: Set<number>;
  /** A quarantined run's review, as the update delivered it, and its recorded outcome. */
  review?: ReviewDecision;
  reviewed?: Publication;
}

const EMPTY_PLAN: PlanResult = {
  lines: 0,
  planned: 0,
  toScore: 0,
  cacheHits: 0,
  rejected: 0,
  rejectedSample: [],
};

export function newRunState(input: RunInput): RunState {
  const opts = resolveRunOptions(input);
  const runId = workflowInfo().workflowId;
  const carry = input.carry;
  return {
    input,
    opts,
    runId,
    view: {
      runId,
      runDate: opts.runDate,
      phase: carry ? 'scoring' : 'planning',
      plan: carry?.plan ?? { ...EMPTY_PLAN, rejectedSample: [] },
      totals: carry?.totals ?? emptyTotals(),
      running: new Map<number, ShardProgress>(),
      startedAt: carry?.startedAt ?? Date.now(),
      scoringStartedAt: carry?.scoringStartedAt ?? 0,
      shardsDone: carry?.nextShard ?? 0,
      shardsTotal: 0,
      budgetUsd: input.budgetUsd ?? null,
      dailyBudgetUsd: input.dailyBudgetUsd ?? null,
      batch: null,
      batchLive: false,
      drift: null,
    },
    batchDone: carry?.batchDone ?? false,
    nextShard: carry?.nextShard ?? 0,
    stopped: false,
    finished: new Set<number>(),
  };
}

/** Publishes the run's state to its search attributes and the Web UI's current details. */
export function show(s: RunState): void {
  const { view } = s;
  const p = progressOf(view, Date.now());
  const waiting =
    p.shardsWaitingForBudget > 0 ? 'waiting_for_budget' : p.shardsInOutage > 0 ? 'outage' : p.phase;
  upsertSearchAttributes([
    { key: SA.RunPhase, value: waiting },
    { key: SA.ListingsTotal, value: p.planned },
    { key: SA.ListingsScored, value: view.totals.scored + view.plan.cacheHits },
    { key: SA.ListingsDeadLettered, value: view.totals.deadLettered },
    { key: SA.CostUsd, value: picoToUsd(view.totals.costPico) },
    ...(view.drift ? [{ key: SA.DriftDetected, value: view.drift.drifted }] : []),
  ]);
  setCurrentDetails(detailsOf(p));
}

/** Signals every running shard (and only those: a shard not started yet reads `stopped` at its start). */
export async function tellShards(
  s: RunState,
  signal: typeof budgetChangedSignal | typeof stopScoringSignal,
): Promise<void> {
  await Promise.all(
    [...s.view.running.keys()].map((i) => getExternalWorkflowHandle(`${s.runId}/shard-${i}`).signal(signal)),
  );
}
