import {
  ActivityFailure,
  ApplicationFailure,
  getExternalWorkflowHandle,
  proxyActivities,
  setCurrentDetails,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ScoreCallResult, ShardInput, ShardTotals } from '../shared/messages';
import { addCall, addDeadLetter, addScored, emptyTotals } from '../shared/totals';
import { llmCallOptions, storeStepOptions } from './activity-options';
import { shardProgressSignal } from './definitions';

const steps = proxyActivities<Activities>(storeStepOptions);

/** Progress goes to the parent at most this often, so signals stay a small part of history. */
const REPORT_EVERY_LISTINGS = 20;
const REPORT_EVERY_MS = 2000;

/**
 * One shard of a run: a bounded window of listings, each through
 * route → score → validate → persist, or into the dead-letter queue.
 */
export async function scoringShard(input: ShardInput): Promise<ShardTotals> {
  const ids = await steps.loadShard({ runId: input.runId, fromSeq: input.fromSeq, toSeq: input.toSeq });
  const totals = emptyTotals();
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  const llmQueues = new Map<string, Pick<Activities, 'scoreListing'>>();
  const llmFor = (taskQueue: string) => {
    let proxy = llmQueues.get(taskQueue);
    if (!proxy) {
      proxy = proxyActivities<Activities>(llmCallOptions(taskQueue, input.maxAttempts));
      llmQueues.set(taskQueue, proxy);
    }
    return proxy;
  };

  let next = 0;
  let done = 0;
  let inFlight = 0;
  let reported = { done: 0, at: Date.now() };
  const report = async (force: boolean) => {
    const due = done - reported.done >= REPORT_EVERY_LISTINGS && Date.now() - reported.at >= REPORT_EVERY_MS;
    if (!force && !due) return;
    reported = { done, at: Date.now() };
    await parent.signal(shardProgressSignal, {
      shardIndex: input.shardIndex,
      done,
      inFlight,
      scored: totals.scored,
      deadLettered: totals.deadLettered,
      costPico: totals.costPico,
    });
  };

  const deadLetter = async (
    listingId: string,
    reason: string,
    errorType: string,
    lastError: string,
    attempts: number,
    model: string | null,
  ) => {
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
  };

  const scoreOne = async (listingId: string) => {
    const route = await steps.routeModel({ runId: input.runId, listingId });
    let call: ScoreCallResult;
    try {
      call = await llmFor(route.taskQueue).scoreListing({
        runId: input.runId,
        listingId,
        model: route.model,
      });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
      const attempts = attemptsFrom(cause) ?? input.maxAttempts;
      const reason = cause?.nonRetryable ? 'non_retryable_error' : 'retries_exhausted';
      await deadLetter(
        listingId,
        reason,
        cause?.type ?? 'Unknown',
        cause?.message ?? err.message,
        attempts,
        route.model,
      );
      return;
    }
    addCall(totals, call);
    const verdict = await steps.validateScore({ callId: call.callId });
    if (!verdict.valid) {
      await deadLetter(listingId, 'invalid_output', 'InvalidModelOutput', verdict.reason, 1, route.model);
      return;
    }
    await steps.persistScore({ runId: input.runId, listingId, callId: call.callId });
    addScored(totals, call.model, verdict.score);
  };

  const lane = async () => {
    while (next < ids.length) {
      const listingId = ids[next++] as string;
      inFlight++;
      await scoreOne(listingId);
      inFlight--;
      done++;
      await report(false);
    }
  };
  setCurrentDetails(
    `Shard ${input.shardIndex}: ${ids.length} listings (seq ${input.fromSeq}–${input.toSeq - 1})`,
  );
  await Promise.all(Array.from({ length: Math.min(input.listingConcurrency, ids.length) }, lane));
  await report(true);
  setCurrentDetails(
    `Shard ${input.shardIndex} done: ${totals.scored} scored, ${totals.deadLettered} dead-lettered, $${(totals.costPico / 1e12).toFixed(4)}`,
  );
  return totals;
}

function attemptsFrom(failure: ApplicationFailure | undefined): number | undefined {
  const detail = failure?.details?.[0] as { attempt?: unknown } | undefined;
  return typeof detail?.attempt === 'number' ? detail.attempt : undefined;
}
