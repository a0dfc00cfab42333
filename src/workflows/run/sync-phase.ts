import { allHandlersFinished, condition, continueAsNew, patched } from '@temporalio/workflow';
import type { RunInput, RunSummary } from '../../shared/messages';
import { mergeTotals } from '../../shared/totals';
import type { scoringShard } from '../scoring-shard';
import { startChildReplacingOrphan } from '../start-child';
import { show, type RunState } from './state';
import { shardsWithWork } from './steps';

/**
 * The synchronous pass: shard children over seq ranges through a window of
 * `maxConcurrentShards` lanes, at most `shardsPerExecution` per execution. Every shard loads
 * only its still-unfinished listings, so after a batch pass it scores what the batch did not
 * (failed, expired, cut off, invalid, escalated). Returns the first shard this execution left
 * for the next one.
 */
export async function syncPass(s: RunState): Promise<number> {
  const { opts, view } = s;
  view.shardsTotal = Math.ceil(view.plan.toScore / opts.shardSize);
  show(s);

  const endShard = Math.min(view.shardsTotal, s.nextShard + opts.shardsPerExecution);
  // Only shards with unfinished listings start: after a batch pass (or a reset) most have none.
  // Executions recorded before this check replay without it.
  const withWork =
    s.nextShard < endShard && patched('skip-finished-shards')
      ? new Set(
          await shardsWithWork({
            runId: s.runId,
            shardSize: opts.shardSize,
            fromShard: s.nextShard,
            toShard: endShard,
          }),
        )
      : undefined;
  const lane = async () => {
    while (s.nextShard < endShard) {
      const shardIndex = s.nextShard++;
      if (withWork && !withWork.has(shardIndex)) {
        view.shardsDone++;
        continue;
      }
      await runShard(s, shardIndex);
    }
  };
  await Promise.all(Array.from({ length: opts.maxConcurrentShards }, lane));
  return endShard;
}

async function runShard(s: RunState, shardIndex: number): Promise<void> {
  const { opts, runId, view } = s;
  const fromSeq = shardIndex * opts.shardSize;
  const child = await startChildReplacingOrphan<typeof scoringShard>('scoringShard', {
    workflowId: `${runId}/shard-${shardIndex}`,
    args: [
      {
        runId,
        parentWorkflowId: runId,
        shardIndex,
        fromSeq,
        toSeq: Math.min(view.plan.toScore, fromSeq + opts.shardSize),
        listingConcurrency: opts.listingConcurrency,
        maxAttempts: opts.maxAttempts,
        escalateBelow: opts.escalateBelow,
        stopped: s.stopped,
        leanDispatch: true,
        flatDispatch: true,
      },
    ],
    staticSummary: `Shard ${shardIndex} of run ${opts.runDate}`,
  });
  // Registered only once started, so a stop or budget signal never targets a shard that does not exist yet.
  view.running.set(shardIndex, {
    shardIndex,
    done: 0,
    inFlight: 0,
    scored: 0,
    deadLettered: 0,
    costPico: 0,
    outage: false,
    budgetBlocked: false,
  });
  const result = await child.result();
  s.finished.add(shardIndex);
  view.running.delete(shardIndex);
  mergeTotals(view.totals, result);
  view.shardsDone++;
  show(s);
}

/** Shards are left: the next execution starts at `nextShard` with the running totals. */
export async function continueWithRest(s: RunState, nextShard: number): Promise<never> {
  const { input, opts, view } = s;
  // Let a budget or stop update that is still running finish before the history is cut.
  await condition(allHandlersFinished);
  return continueAsNew<(next: RunInput) => Promise<RunSummary>>({
    ...input,
    runDate: opts.runDate,
    feedPath: opts.feedPath,
    budgetUsd: view.budgetUsd ?? undefined,
    dailyBudgetUsd: view.dailyBudgetUsd ?? undefined,
    carry: {
      plan: view.plan,
      batchDone: s.batchDone,
      nextShard,
      totals: view.totals,
      startedAt: view.startedAt,
      scoringStartedAt: view.scoringStartedAt,
      executions: (input.carry?.executions ?? 1) + 1,
    },
  });
}
