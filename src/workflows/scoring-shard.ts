import {
  condition,
  isCancellation,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ListingOutcome, RouteResult, ShardInput, ShardTotals } from '../shared/messages';
import { picoToUsd } from '../shared/money';
import { ShardDispatch } from '../shared/shard-dispatch';
import { emptyTotals } from '../shared/totals';
import { storeStepOptions } from './activity-options';
import { budgetChangedSignal, shardProgressSignal, stopScoringSignal } from './definitions';
import { createFlatPipeline } from './flat-pipeline';
import { createListingPipeline } from './listing-pipeline';
import { ModelHealth } from './model-health';

const steps = proxyActivities<Activities>(storeStepOptions);

/**
 * One shard of a run: a bounded window of listings through the listing pipeline, with an
 * outage breaker. A listing whose retries ran out on a retryable error is not dead-lettered
 * at once: it goes back in the queue. If failures pile up the breaker opens, dispatch stops,
 * and single probes on a growing durable timer ask whether the API is back; then the queue
 * resumes. So an outage longer than the attempt budget delays listings instead of emptying
 * the run into the dead-letter queue; a listing that fails twice while the API otherwise
 * answers is dead-lettered with its last error. The decisions are `ShardDispatch`'s (a pure
 * state machine in src/shared); this function waits, calls and signals.
 */
export async function scoringShard(input: ShardInput): Promise<ShardTotals> {
  const plan = await steps.loadShard({ runId: input.runId, fromSeq: input.fromSeq, toSeq: input.toSeq });
  const ids = plan.listings.map((l) => l.id);
  const routeOf = new Map(plan.listings.map((l) => [l.id, plan.routes[l.route] as RouteResult]));
  const totals = emptyTotals();
  const health = new ModelHealth((from, to) => {
    totals.fallbacks++;
    log.warn('model replaced by its fallback for the rest of the shard', {
      from,
      to,
      shard: input.shardIndex,
    });
  });
  // Every promise a workflow creates costs a captured stack trace (the SDK's promise hook for
  // the stack-trace query), and that hook was 40% of the workflow thread's CPU in the bench's
  // profile; an await on a condition that already holds makes several such promises for
  // nothing (its saving alone was not separable from noise). Skipping them changes the order in
  // which lanes schedule calls, so executions recorded before replay the old way. The parent
  // says so in the input: a patch marker per shard would be an action per 100 listings.
  const lean = input.leanDispatch ?? patched('shard-lean-dispatch');
  // The callback pipeline goes further the same way (about one promise per listing instead of
  // twenty). Its callbacks skip the awaits' extra microtask hops, so when several results land
  // in one activation it can schedule the next calls in another order: only shards whose
  // parent says so run it.
  const flat = lean && input.flatDispatch === true;
  const scoreOne = flat
    ? createFlatPipeline(input, totals, health)
    : createListingPipeline(input, totals, health, lean);
  const waiters: Array<Promise<void>> = [];
  const probes: Array<Promise<void>> = [];
  const d = new ShardDispatch(ids, totals, { stopped: input.stopped ?? false, now: Date.now() });
  setHandler(budgetChangedSignal, () => d.budgetChanged());
  setHandler(stopScoringSignal, () => d.stop());
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);

  const report = async (force: boolean) => {
    if (!force && !d.reportDue(Date.now())) return;
    await parent.signal(shardProgressSignal, d.report(input.shardIndex, Date.now()));
  };

  /** The shard's bookkeeping for a listing that came back; what is left to await is the caller's. */
  const decide = (listingId: string, outcome: ListingOutcome, probe: boolean, epoch: number) => {
    const step = d.settle(listingId, outcome, {
      probe,
      epoch,
      now: Date.now(),
      raceFixed: () => patched('budget-raise-race'),
    });
    // Whoever finds the breaker open with nobody probing starts the probe.
    if (step.startProbe) probes.push(background(probeUntilClosed()));
    if (step.next === 'drain')
      waiters.push(background(condition(() => d.drainWaitOver()).then(() => d.drained())));
    if (step.next === 'pause')
      setCurrentDetails(`Shard ${input.shardIndex}: waiting for budget (${step.lastError})`);
    return step;
  };

  /** Shards recorded with the async pipeline replay these awaits (they set their call order). */
  const settle = async (listingId: string, outcome: ListingOutcome, probe: boolean, epoch: number) => {
    const step = decide(listingId, outcome, probe, epoch);
    if (step.next === 'pause') await report(true);
    if (step.next === 'dead') {
      await steps.deadLetterListing(deadLetterOf(input.runId, listingId, step.dead));
      d.deadLettered(step.dead.reason);
    }
  };

  /** `settle` for the flat dispatch: no promise unless there is something to wait for. */
  const settleNow = (listingId: string, outcome: ListingOutcome, probe: boolean, epoch: number) => {
    const step = decide(listingId, outcome, probe, epoch);
    if (step.next === 'pause') return report(true);
    if (step.next === 'dead') return deadLetter(listingId, step.dead);
    return undefined;
  };
  const deadLetter = async (listingId: string, dead: DeadOutcome) => {
    await steps.deadLetterListing(deadLetterOf(input.runId, listingId, dead));
    d.deadLettered(dead.reason);
  };
  const settleAny = flat ? settleNow : settle;

  const probeUntilClosed = async () => {
    setCurrentDetails(`Shard ${input.shardIndex}: provider outage suspected, dispatch paused, probing`);
    await report(true);
    while (d.keepProbing()) {
      await sleep(d.breaker.probeDelayMs);
      // Nothing left to probe with: the shard is done, whatever the breaker says.
      await condition(() => d.probeReady());
      if (d.stopped) break;
      const next = d.take();
      if (next === undefined) break;
      const outcome = await scoreOne(next.listingId, routeOf.get(next.listingId) as RouteResult, true);
      d.returned();
      d.probed(outcome, Date.now());
      const settling = settleAny(next.listingId, outcome, true, next.epoch);
      if (settling) await settling;
    }
    d.probeEnded();
    setCurrentDetails(`Shard ${input.shardIndex}: provider answers again, dispatch resumed`);
    await report(true);
  };

  const lane = async () => {
    for (;;) {
      if (!lean || !d.laneReady()) await condition(() => d.laneReady());
      if (d.stopped) return;
      const next = d.take();
      if (next === undefined) return;
      const outcome = await scoreOne(next.listingId, routeOf.get(next.listingId) as RouteResult);
      d.returned();
      const settling = settleAny(next.listingId, outcome, false, next.epoch);
      if (settling) await settling;
      if (!lean || d.reportDue(Date.now())) await report(false);
    }
  };

  setCurrentDetails(
    `Shard ${input.shardIndex}: ${ids.length} listings (seq ${input.fromSeq}–${input.toSeq - 1})`,
  );
  // Twice as many lanes as LLM calls allowed in flight: while half wait for their validation
  // wave, the other half keep the model's queue busy (the pipeline bounds the calls).
  await Promise.all(Array.from({ length: Math.min(2 * input.listingConcurrency, ids.length) }, lane));
  await Promise.all([...probes, ...waiters]);
  if (d.stopped) {
    // Told to finish with what is done: what is left is parked for review and requeue.
    await condition(() => d.inFlight === 0);
    const left = d.takeLeft();
    if (left.length > 0) {
      await steps.deadLetterMany({
        runId: input.runId,
        listingIds: left,
        reason: 'budget_exhausted',
        errorType: 'BudgetExhausted',
        lastError: 'run finished early with what was done',
      });
      d.parked(left.length, 'budget_exhausted');
    }
  }
  const { breaker } = d;
  d.close();
  // No closing signal: the parent takes the shard's totals from its result.
  setCurrentDetails(
    `Shard ${input.shardIndex} done: ${totals.scored} scored, ${totals.deadLettered} dead-lettered, $${picoToUsd(totals.costPico).toFixed(4)}` +
      (breaker.opened ? `, paused for ${Math.round(breaker.openMs / 1000)} s of outage` : ''),
  );
  return totals;
}

/**
 * A helper task the shard awaits only at its end. If the shard is cancelled first (a reset
 * replacing an orphan), the task's cancellation must not surface as an unhandled rejection,
 * which would fail the workflow task instead of letting the shard close as cancelled.
 */
function background(task: Promise<void>): Promise<void> {
  return task.catch((err: unknown) => {
    if (!isCancellation(err)) throw err;
  });
}

type DeadOutcome = Extract<ListingOutcome, { kind: 'dead' }>;

/** The dead-letter row for a listing the shard gives up on. */
function deadLetterOf(runId: string, listingId: string, dead: DeadOutcome) {
  const { reason, errorType, lastError, attempts, model } = dead;
  return { runId, listingId, reason, errorType, lastError, attempts, model };
}
