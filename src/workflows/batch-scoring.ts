import {
  CancellationScope,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
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

/** Polls per execution before continuing as new: a day of polling stays far below history limits. */
const POLLS_PER_EXECUTION = 300;

/**
 * The Batch API route for a run: submit every unfinished listing as batches (one per model
 * and size cap), wait on durable timers (no sleeping activity), and as each batch ends,
 * collect → validate → persist. At the cutoff before the run's deadline, unfinished batches
 * are cancelled; whatever has no score then (failed, expired, cancelled, invalid or
 * low-confidence lines) is left to the synchronous pass that follows. A cancelled run
 * cancels its batches.
 */
export async function batchScoring(input: BatchInput): Promise<ShardTotals> {
  const totals = input.totals ?? emptyTotals();
  const collected = new Set(input.collected ?? []);
  const batches: BatchRef[] = input.batches ?? [];
  const statuses = new Map<string, BatchStatus>();
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  let cancelledAtCutoff = false;

  try {
    if (!input.batches) {
      for (let from = 0; from < input.toScore; from += input.rangeSize) {
        const to = Math.min(input.toScore, from + input.rangeSize);
        batches.push(
          ...(await api.submitBatches({ runId: input.runId, fromSeq: from, toSeq: to, round: 0 })),
        );
      }
    }
    for (let polls = 0; ; polls++) {
      const open = batches.filter((b) => !collected.has(b.batchId));
      if (open.length === 0) break;
      for (const s of await api.pollBatches({ batchIds: open.map((b) => b.batchId) }))
        statuses.set(s.batchId, s);
      for (const b of open) {
        if (!statuses.get(b.batchId)?.terminal) continue;
        await api.collectBatch({ runId: input.runId, batch: b });
        await steps.validateBatch({ batchId: b.batchId });
        mergeTotals(
          totals,
          await steps.persistBatch({
            runId: input.runId,
            batchId: b.batchId,
            escalateBelow: input.escalateBelow,
          }),
        );
        collected.add(b.batchId);
      }
      const progress = {
        batches: batches.length,
        lines: batches.reduce((s, b) => s + b.lines, 0),
        completed: [...statuses.values()].reduce((s, x) => s + x.completed, 0),
        failed: [...statuses.values()].reduce((s, x) => s + x.failed, 0),
        persisted: totals.scored,
        cancelledAtCutoff,
      };
      setCurrentDetails(
        `Batch API: ${collected.size} / ${batches.length} batches done · ${progress.completed} / ${progress.lines} lines answered · ${totals.scored} scores persisted` +
          (cancelledAtCutoff ? ' · cut off before the deadline, the rest goes synchronous' : ''),
      );
      await parent.signal(batchProgressSignal, progress);
      if (batches.every((b) => collected.has(b.batchId))) break;
      if (!cancelledAtCutoff && Date.now() >= input.cutoffAt) {
        cancelledAtCutoff = true;
        await api.cancelBatches({
          batchIds: batches.filter((b) => !collected.has(b.batchId)).map((b) => b.batchId),
        });
      }
      if (polls >= POLLS_PER_EXECUTION) {
        await continueAsNew<typeof batchScoring>({ ...input, batches, collected: [...collected], totals });
      }
      await sleep(input.pollIntervalMs);
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
