import { patched } from '@temporalio/workflow';
import { findNearDuplicates } from '../near-duplicates';
import type { RunState } from './state';
import { batchSupported } from './steps';

/** Near-duplicates are found before any call, so the batch pass and the shards skip them. */
export async function nearDuplicatePhase(s: RunState): Promise<void> {
  const { input, opts, view } = s;
  if (input.dedup?.mode !== 'near' || input.rerunOf || view.plan.toScore <= 0 || !patched('near-duplicates'))
    return;
  // On the batch route the embeddings go through the Batch API too, at half price.
  const embedByBatch = opts.route === 'batch' || (opts.route !== 'sync' && (await batchSupported()));
  view.plan.dedup = await findNearDuplicates(
    s.runId,
    opts.runDate,
    view.plan.toScore,
    input.dedup,
    embedByBatch ? { pollMs: opts.batchPollMs } : undefined,
  );
}
