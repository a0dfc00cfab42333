import { condition, setHandler } from '@temporalio/workflow';
import type { ReviewDecision } from '../../shared/quality';
import {
  batchProgressSignal,
  budgetChangedSignal,
  finishEarlyUpdate,
  progressQuery,
  raiseBudgetUpdate,
  reviewRunUpdate,
  shardProgressSignal,
  stopScoringSignal,
} from '../definitions';
import { progressOf } from '../run-progress';
import { show, tellShards, type RunState } from './state';
import { setBudgets } from './steps';

/** Every query, signal and update the run answers, registered before its first await. */
export function registerRunHandlers(s: RunState): void {
  const { view, runId } = s;
  setHandler(progressQuery, () => progressOf(view, Date.now()));
  setHandler(shardProgressSignal, (p) => {
    if (s.finished.has(p.shardIndex)) return;
    const before = view.running.get(p.shardIndex);
    view.running.set(p.shardIndex, p);
    if (before?.outage !== p.outage || before?.budgetBlocked !== p.budgetBlocked) show(s);
  });
  setHandler(batchProgressSignal, (p) => {
    view.batch = p;
  });
  setHandler(raiseBudgetUpdate, async (change) => {
    await setBudgets({ runId, runDate: s.opts.runDate, ...change });
    if (change.budgetUsd !== undefined) view.budgetUsd = change.budgetUsd;
    if (change.dailyBudgetUsd !== undefined) view.dailyBudgetUsd = change.dailyBudgetUsd;
    await tellShards(s, budgetChangedSignal);
    for (const p of view.running.values()) p.budgetBlocked = false;
    show(s);
    return progressOf(view, Date.now());
  });
  // A quarantined run waits for one review; the update answers once the decision is recorded.
  setHandler(
    reviewRunUpdate,
    async (decision) => {
      s.review = decision;
      await condition(() => s.reviewed !== undefined);
      return s.reviewed ?? 'held';
    },
    {
      validator: (decision: ReviewDecision) => {
        if (view.phase !== 'quarantined')
          throw new Error(`run ${runId} is not held for review (phase ${view.phase})`);
        if (s.review !== undefined) throw new Error(`run ${runId} was already reviewed`);
        if (typeof decision.note !== 'string' || decision.note.trim() === '')
          throw new Error('a review needs a note saying why the scores are approved or rejected');
      },
    },
  );
  setHandler(finishEarlyUpdate, async () => {
    s.stopped = true;
    await tellShards(s, stopScoringSignal);
    show(s);
    return progressOf(view, Date.now());
  });
}
