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
import { newBreaker, recordOutcome, recordProbe } from '../shared/breaker';
import type { RouteResult, ShardInput, ShardTotals } from '../shared/messages';
import { RequeuePolicy } from '../shared/requeue-policy';
import { addDeadLetter, addScored, emptyTotals } from '../shared/totals';
import { storeStepOptions } from './activity-options';
import { budgetChangedSignal, shardProgressSignal, stopScoringSignal } from './definitions';
import { createListingPipeline, type ListingOutcome } from './listing-pipeline';
import { ModelHealth } from './model-health';
import { picoToUsd } from '../shared/money';

const steps = proxyActivities<Activities>(storeStepOptions);

/**
 * Progress goes to the parent at most this often (both must hold). Every signal is a billed
 * action, and a shard's result carries its totals anyway, so a shard that is done within the
 * first interval (100 listings at low latency) sends none, and a slow one reports every few
 * seconds, about 0.03 signals per listing at the throughput bench's pace. Outage and budget
 * state changes are reported at once.
 */
const REPORT_EVERY_LISTINGS = 25;
const REPORT_EVERY_MS = 5000;

/**
 * One shard of a run: a bounded window of listings through the listing pipeline, with an
 * outage breaker. A listing whose retries ran out on a retryable error is not dead-lettered
 * at once: it goes back in the queue. If failures pile up the breaker opens, dispatch stops,
 * and single probes on a growing durable timer ask whether the API is back; then the queue
 * resumes. So an outage longer than the attempt budget delays listings instead of emptying
 * the run into the dead-letter queue; a listing that fails twice while the API otherwise
 * answers is dead-lettered with its last error.
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
  const scoreOne = createListingPipeline(input, totals, health, lean);
  let budgetBlocked = false;
  let retriedAfterDrain = false;
  const waiters: Array<Promise<void>> = [];
  let stopped = input.stopped ?? false;
  // Counts budget changes, so a refusal that was on its way while the budget was raised is
  // not taken for a refusal of the raised budget (which would wait for yet another raise).
  let budgetEpoch = 0;
  setHandler(budgetChangedSignal, () => {
    budgetBlocked = false;
    budgetEpoch++;
  });
  setHandler(stopScoringSignal, () => {
    stopped = true;
    budgetBlocked = false;
    budgetEpoch++;
  });
  const breaker = newBreaker();
  const pending = [...ids];
  const requeue = new RequeuePolicy();
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  let inFlight = 0;
  let done = 0;
  let probing: Promise<void> | undefined;
  const probes: Array<Promise<void>> = [];
  let reported = { done: 0, at: Date.now(), open: false, budget: false };

  const reportDue = () =>
    (done - reported.done >= REPORT_EVERY_LISTINGS && Date.now() - reported.at >= REPORT_EVERY_MS) ||
    reported.open !== breaker.open ||
    reported.budget !== budgetBlocked;
  const report = async (force: boolean) => {
    if (!force && !reportDue()) return;
    reported = { done, at: Date.now(), open: breaker.open, budget: budgetBlocked };
    await parent.signal(shardProgressSignal, {
      shardIndex: input.shardIndex,
      done,
      inFlight,
      scored: totals.scored,
      deadLettered: totals.deadLettered,
      costPico: totals.costPico,
      outage: breaker.open,
      budgetBlocked,
    });
  };

  const settle = async (listingId: string, outcome: ListingOutcome, probe: boolean, epoch: number) => {
    if (outcome.kind === 'budget') {
      // Nothing was sent. Calls in flight hold worst-case reservations, so first let them
      // settle and try once more; only a refusal with nothing in flight is a real pause,
      // which lasts until a raise (budgetChanged) or the order to finish early.
      pending.unshift(listingId);
      if (budgetBlocked) return;
      // Refused before a raise that has arrived since: try again against the new budget.
      if (epoch !== budgetEpoch && patched('budget-raise-race')) return;
      budgetBlocked = true;
      if (!retriedAfterDrain) {
        retriedAfterDrain = true;
        waiters.push(
          background(
            condition(() => inFlight === 0 || !budgetBlocked).then(() => {
              budgetBlocked = false;
            }),
          ),
        );
        return;
      }
      setCurrentDetails(`Shard ${input.shardIndex}: waiting for budget (${outcome.lastError})`);
      await report(true);
      return;
    }
    if (outcome.kind === 'scored') retriedAfterDrain = false;
    if (outcome.kind === 'transient') {
      if (!probe) recordOutcome(breaker, false, Date.now());
      // Whoever finds the breaker open with nobody probing starts the probe, whatever then
      // happens to this listing.
      if (breaker.open && !probing) {
        probing = probeUntilClosed();
        probes.push(background(probing));
      }
      // A requeued listing (a failed probe's too) goes to the back, so that probes rotate.
      if (requeue.afterTransientFailure(listingId, breaker) === 'requeue') {
        pending.push(listingId);
        return;
      }
      outcome = { ...outcome, kind: 'dead', reason: 'retries_exhausted' };
    } else {
      requeue.succeeded();
      if (!probe) recordOutcome(breaker, true, Date.now());
    }
    if (outcome.kind === 'dead') {
      const { reason, errorType, lastError, attempts, model } = outcome;
      await steps.deadLetterListing({
        runId: input.runId,
        listingId,
        reason,
        errorType,
        lastError,
        attempts,
        model,
      });
      addDeadLetter(totals, reason);
    } else {
      addScored(totals, outcome.model, outcome.score);
    }
    done++;
  };

  const probeUntilClosed = async () => {
    setCurrentDetails(`Shard ${input.shardIndex}: provider outage suspected, dispatch paused, probing`);
    await report(true);
    while (breaker.open && !stopped) {
      await sleep(breaker.probeDelayMs);
      // Nothing left to probe with: the shard is done, whatever the breaker says.
      await condition(() => pending.length > 0 || stopped || inFlight === 0);
      if (stopped || pending.length === 0) break;
      const listingId = pending.shift() as string;
      const epoch = budgetEpoch;
      inFlight++;
      const outcome = await scoreOne(listingId, routeOf.get(listingId) as RouteResult, true);
      inFlight--;
      recordProbe(breaker, outcome.kind !== 'transient', Date.now());
      await settle(listingId, outcome, true, epoch);
    }
    probing = undefined;
    setCurrentDetails(`Shard ${input.shardIndex}: provider answers again, dispatch resumed`);
    await report(true);
  };

  const lane = async () => {
    for (;;) {
      const idle = () => pending.length === 0 && inFlight === 0;
      const ready = () => stopped || idle() || (!breaker.open && !budgetBlocked && pending.length > 0);
      if (!lean || !ready()) await condition(ready);
      if (stopped) return;
      const listingId = pending.shift();
      if (listingId === undefined) return;
      const epoch = budgetEpoch;
      inFlight++;
      const outcome = await scoreOne(listingId, routeOf.get(listingId) as RouteResult);
      inFlight--;
      await settle(listingId, outcome, false, epoch);
      if (!lean || reportDue()) await report(false);
    }
  };

  setCurrentDetails(
    `Shard ${input.shardIndex}: ${ids.length} listings (seq ${input.fromSeq}–${input.toSeq - 1})`,
  );
  // Twice as many lanes as LLM calls allowed in flight: while half wait for their validation
  // wave, the other half keep the model's queue busy (the pipeline bounds the calls).
  await Promise.all(Array.from({ length: Math.min(2 * input.listingConcurrency, ids.length) }, lane));
  await Promise.all([...probes, ...waiters]);
  if (stopped) {
    // Told to finish with what is done: what is left is parked for review and requeue.
    await condition(() => inFlight === 0);
    const left = pending.splice(0, pending.length);
    if (left.length > 0) {
      await steps.deadLetterMany({
        runId: input.runId,
        listingIds: left,
        reason: 'budget_exhausted',
        errorType: 'BudgetExhausted',
        lastError: 'run finished early with what was done',
      });
      for (const _ of left) addDeadLetter(totals, 'budget_exhausted');
      done += left.length;
    }
  }
  totals.outageMs += breaker.openMs;
  totals.outages += breaker.opened;
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
