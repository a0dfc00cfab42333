import { mergeTotals } from '../../shared/totals';
import type { batchScoring } from '../batch-scoring';
import { startChildReplacingOrphan } from '../start-child';
import { cutoffAt } from './options';
import { show, type RunState } from './state';
import { batchSupported } from './steps';

/** Seq range per submit activity; each range becomes one batch per model (the cap is 50,000 lines). */
const BATCH_RANGE = 25_000;

/**
 * The Batch API pass, once per run (continue-as-new carries `batchDone`): a child scores what
 * it can at half price before the cutoff; the synchronous pass then takes the rest.
 */
export async function batchPass(s: RunState): Promise<void> {
  const { opts, runId, view } = s;
  if (s.batchDone || view.plan.toScore <= 0 || opts.route === 'sync') return;
  if (opts.route === 'batch' || (await batchSupported())) {
    view.phase = 'batch';
    view.batchLive = true;
    show(s);
    const batchChild = await startChildReplacingOrphan<typeof batchScoring>('batchScoring', {
      workflowId: `${runId}/batch`,
      args: [
        {
          runId,
          parentWorkflowId: runId,
          toScore: view.plan.toScore,
          rangeSize: BATCH_RANGE,
          cutoffAt: cutoffAt(opts, view.startedAt),
          pollIntervalMs: opts.batchPollMs,
          escalateBelow: opts.escalateBelow,
        },
      ],
      staticSummary: `Batch API pass of run ${opts.runDate}`,
    });
    const batchTotals = await batchChild.result();
    mergeTotals(view.totals, batchTotals);
    view.batchLive = false;
    view.phase = 'scoring';
  }
  s.batchDone = true;
}
