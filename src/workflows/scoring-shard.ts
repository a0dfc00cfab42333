import {
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setCurrentDetails,
  sleep,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { newBreaker, recordOutcome, recordProbe } from '../shared/breaker';
import type { ShardInput, ShardTotals } from '../shared/messages';
import { addDeadLetter, addScored, emptyTotals } from '../shared/totals';
import { storeStepOptions } from './activity-options';
import { shardProgressSignal } from './definitions';
import { createListingPipeline, type ListingOutcome } from './listing-pipeline';

const steps = proxyActivities<Activities>(storeStepOptions);

/** Progress goes to the parent at most this often, so signals stay a small part of history. */
const REPORT_EVERY_LISTINGS = 20;
const REPORT_EVERY_MS = 2000;
/** Rounds a listing may fail on its own (API otherwise healthy) before it is dead-lettered. */
const HEALTHY_FAILURE_ROUNDS = 2;

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
  const ids = await steps.loadShard({ runId: input.runId, fromSeq: input.fromSeq, toSeq: input.toSeq });
  const totals = emptyTotals();
  const scoreOne = createListingPipeline(input, totals);
  const breaker = newBreaker();
  const pending = [...ids];
  const healthyFailures = new Map<string, number>();
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  let inFlight = 0;
  let done = 0;
  let probing: Promise<void> | undefined;
  const probes: Array<Promise<void>> = [];
  let reported = { done: 0, at: Date.now(), open: false };

  const report = async (force: boolean) => {
    const due = done - reported.done >= REPORT_EVERY_LISTINGS && Date.now() - reported.at >= REPORT_EVERY_MS;
    if (!force && !due && reported.open === breaker.open) return;
    reported = { done, at: Date.now(), open: breaker.open };
    await parent.signal(shardProgressSignal, {
      shardIndex: input.shardIndex,
      done,
      inFlight,
      scored: totals.scored,
      deadLettered: totals.deadLettered,
      costPico: totals.costPico,
      outage: breaker.open,
    });
  };

  const settle = async (listingId: string, outcome: ListingOutcome, probe: boolean) => {
    if (outcome.kind === 'transient') {
      if (probe) {
        pending.unshift(listingId);
        return;
      }
      recordOutcome(breaker, false, Date.now());
      if (breaker.open) {
        pending.push(listingId);
        if (!probing) {
          probing = probeUntilClosed();
          probes.push(probing);
        }
        return;
      }
      const rounds = (healthyFailures.get(listingId) ?? 0) + 1;
      healthyFailures.set(listingId, rounds);
      if (rounds < HEALTHY_FAILURE_ROUNDS) {
        pending.push(listingId);
        return;
      }
      outcome = { ...outcome, kind: 'dead', reason: 'retries_exhausted' };
    } else if (!probe) {
      recordOutcome(breaker, true, Date.now());
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
    while (breaker.open) {
      await sleep(breaker.probeDelayMs);
      await condition(() => pending.length > 0);
      const listingId = pending.shift() as string;
      inFlight++;
      const outcome = await scoreOne(listingId, true);
      inFlight--;
      recordProbe(breaker, outcome.kind !== 'transient', Date.now());
      await settle(listingId, outcome, true);
    }
    probing = undefined;
    setCurrentDetails(`Shard ${input.shardIndex}: provider answers again, dispatch resumed`);
    await report(true);
  };

  const lane = async () => {
    for (;;) {
      await condition(() => !breaker.open && (pending.length > 0 || inFlight === 0));
      const listingId = pending.shift();
      if (listingId === undefined) return;
      inFlight++;
      const outcome = await scoreOne(listingId);
      inFlight--;
      await settle(listingId, outcome, false);
      await report(false);
    }
  };

  setCurrentDetails(
    `Shard ${input.shardIndex}: ${ids.length} listings (seq ${input.fromSeq}–${input.toSeq - 1})`,
  );
  await Promise.all(Array.from({ length: Math.min(input.listingConcurrency, ids.length) }, lane));
  await Promise.all(probes);
  totals.outageMs += breaker.openMs;
  totals.outages += breaker.opened;
  await report(true);
  setCurrentDetails(
    `Shard ${input.shardIndex} done: ${totals.scored} scored, ${totals.deadLettered} dead-lettered, $${(totals.costPico / 1e12).toFixed(4)}` +
      (breaker.opened ? `, paused for ${Math.round(breaker.openMs / 1000)} s of outage` : ''),
  );
  return totals;
}
