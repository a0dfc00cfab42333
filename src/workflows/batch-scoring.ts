import {
  CancellationScope,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  sleep,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BatchInput, BatchRef, BatchStatus, ShardTotals } from '../shared/messages';
import { emptyTotals, mergeTotals } from '../shared/totals';
import { batchOptions, storeStepOptions } from './activity-options';
import { batchProgressSignal } from './definitions';

const api = proxyActivities<Activities>(batchOptions);
const steps = proxyActivities<Activities>(storeStepOptions);

/** Between batch endings, progress goes to the parent at most this often. */
const PROGRESS_EVERY_MS = 30_000;
/** Polls per execution before continuing as new: a day of polling stays far below history limits. */
const POLLS_PER_EXECUTION = 300;
/**
 * Each poll is two billed actions (its timer and its activity). While no batch ends the wait
 * between polls grows by half up to this multiple of the base interval, and a batch ending
 * resets it: a day-long batch polled every minute costs 2,880 actions, with the backoff about
 * 190 (computed from these constants; the bench's zero-latency batch run went from 100-133
 * actions to 63), and the end of a batch is noticed at most one capped interval late.
 */
const POLL_BACKOFF = 1.5;
const POLL_MAX_MULTIPLE = 16;

/**
 * The Batch API route for a run: submit every unfinished listing as batches (one per model
 * and size cap), wait on durable timers (no sleeping activity), and as each batch ends,
 * collect → validate → persist. At the cutoff before the run's deadline, unfinished batches
 * are cancelled; whatever has no score then (failed, expired, cancelled, invalid or
 * low-confidence lines) is left to the synchronous pass that follows. Low-confidence
 * small-model answers get a second, escalation round to the large model first when the cutoff
 * allows. A cancelled run cancels its batches.
 */
export async function batchScoring(input: BatchInput): Promise<ShardTotals> {
  const totals = input.totals ?? emptyTotals();
  const collected = new Set(input.collected ?? []);
  const batches: BatchRef[] = input.batches ?? [];
  const statuses = new Map<string, BatchStatus>();
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  let cancelledAtCutoff = false;
  let round = input.round ?? 0;
  let lowConfidence = input.lowConfidence ?? 0;
  let sent = { text: '', collected: -1, at: 0 };

  const submit = async (escalateBelow?: number): Promise<BatchRef[]> => {
    const refs: BatchRef[] = [];
    for (let from = 0; from < input.toScore; from += input.rangeSize) {
      const to = Math.min(input.toScore, from + input.rangeSize);
      refs.push(
        ...(await api.submitBatches({
          runId: input.runId,
          fromSeq: from,
          toSeq: to,
          round,
          ...(escalateBelow === undefined ? {} : { escalateBelow }),
        })),
      );
    }
    batches.push(...refs);
    return refs;
  };

  /** Polls until every batch is collected, cancelling what is open at the cutoff. */
  const drain = async () => {
    // Executions recorded before the backoff polled at the base interval, and replay so.
    const backoff = patched('batch-poll-backoff');
    let waitMs = input.pollIntervalMs;
    for (let polls = 0; ; polls++) {
      const collectedBefore = collected.size;
      const open = batches.filter((b) => !collected.has(b.batchId));
      if (open.length === 0) return;
      for (const s of await api.pollBatches({ batchIds: open.map((b) => b.batchId) }))
        statuses.set(s.batchId, s);
      for (const b of open) {
        if (!statuses.get(b.batchId)?.terminal) continue;
        await api.collectBatch({ runId: input.runId, batch: b });
        await steps.validateBatch({ batchId: b.batchId });
        const persisted = await steps.persistBatch({
          runId: input.runId,
          batchId: b.batchId,
          escalateBelow: input.escalateBelow,
        });
        mergeTotals(totals, persisted);
        lowConfidence += persisted.lowConfidence ?? 0;
        collected.add(b.batchId);
      }
      const progress = {
        batches: batches.length,
        lines: batches.reduce((s, b) => s + b.lines, 0),
        completed: [...statuses.values()].reduce((s, x) => s + x.completed, 0),
        failed: [...statuses.values()].reduce((s, x) => s + x.failed, 0),
        persisted: totals.scored,
        costPico: totals.costPico,
        cancelledAtCutoff,
      };
      setCurrentDetails(
        `Batch API${round > 0 ? ' (escalations to the large model)' : ''}: ${collected.size} / ${batches.length} batches done · ${progress.completed} / ${progress.lines} lines answered · ${totals.scored} scores persisted` +
          (cancelledAtCutoff ? ' · cut off before the deadline, the rest goes synchronous' : ''),
      );
      // Each signal is a billed action. The parent hears when a batch ends, and otherwise at
      // most every PROGRESS_EVERY_MS while lines are being answered; a poll that changes nothing
      // sends nothing. Executions recorded before this signalled on every poll, and replay so.
      const text = JSON.stringify(progress);
      const due =
        collected.size !== sent.collected ||
        (text !== sent.text && Date.now() - sent.at >= PROGRESS_EVERY_MS);
      if (due || !patched('batch-progress-on-change')) {
        sent = { text, collected: collected.size, at: Date.now() };
        await parent.signal(batchProgressSignal, progress);
      }
      if (batches.every((b) => collected.has(b.batchId))) return;
      if (!cancelledAtCutoff && Date.now() >= input.cutoffAt) {
        cancelledAtCutoff = true;
        await api.cancelBatches({
          batchIds: batches.filter((b) => !collected.has(b.batchId)).map((b) => b.batchId),
        });
      }
      if (polls >= POLLS_PER_EXECUTION) {
        await continueAsNew<typeof batchScoring>({
          ...input,
          batches,
          collected: [...collected],
          totals,
          round,
          lowConfidence,
        });
      }
      waitMs =
        !backoff || collected.size > collectedBefore
          ? input.pollIntervalMs
          : Math.min(waitMs * POLL_BACKOFF, input.pollIntervalMs * POLL_MAX_MULTIPLE);
      // Never sleep past the cutoff by more than one base interval.
      const untilCutoff = cancelledAtCutoff
        ? waitMs
        : Math.max(input.pollIntervalMs, input.cutoffAt - Date.now());
      await sleep(Math.round(Math.min(waitMs, untilCutoff)));
    }
  };

  try {
    if (!input.batches) await submit();
    await drain();
    // Low-confidence small answers go to the large model through the Batch API as well, at half
    // price, while the deadline leaves room; what this round does not settle, the sync pass does.
    // Executions recorded before this round existed replay without it.
    if (
      round === 0 &&
      lowConfidence > 0 &&
      !cancelledAtCutoff &&
      Date.now() < input.cutoffAt &&
      patched('batch-escalation-round')
    ) {
      round = 1;
      const escalated = await submit(input.escalateBelow);
      totals.escalations += escalated.reduce((s, b) => s + b.lines, 0);
      await drain();
    }
  } catch (err) {
    if (isCancellation(err)) {
      // The run was cancelled: stop paying for work nobody will read.
      const open = batches.filter((b) => !collected.has(b.batchId)).map((b) => b.batchId);
      await CancellationScope.nonCancellable(() => api.cancelBatches({ batchIds: open }));
    }
    throw err;
  }
  return totals;
}
