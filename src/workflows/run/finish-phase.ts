import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { RunSummary } from '../../shared/messages';
import type { ReviewDecision } from '../../shared/quality';
import { applyNearDuplicates } from '../near-duplicates';
import { show, type RunState } from './state';
import { finishRun, reviewRun } from './steps';

/**
 * Closes the run: near-duplicates get their representative's answer, the summary and the
 * quality gate's verdict are recorded, and a quarantined run waits for its review.
 */
export async function finishPhase(s: RunState): Promise<RunSummary> {
  const { input, runId, view } = s;
  view.phase = 'finishing';
  show(s);
  // Every representative has its final answer now (escalations included): copy it.
  if (view.plan.dedup) await applyNearDuplicates({ runId });
  let summary = await finishRun({
    runId,
    runDate: s.opts.runDate,
    plan: view.plan,
    totals: view.totals,
    startedAt: new Date(view.startedAt).toISOString(),
    executions: input.carry?.executions ?? 1,
    quality: input.quality,
    rerun: input.rerunOf !== undefined,
  });
  const verdict = summary.quality;
  if (verdict?.drift) {
    view.drift = {
      drifted: verdict.drift.drifted,
      summary: verdict.drift.summary,
      publication: verdict.publication,
    };
    if (verdict.publication === 'held') {
      view.phase = 'quarantined';
      show(s);
      await condition(() => s.review !== undefined);
      summary = await reviewRun({ runId, ...(s.review as ReviewDecision) });
      s.reviewed = summary.quality?.publication ?? 'held';
      view.drift.publication = s.reviewed;
    }
  }
  view.phase = 'done';
  show(s);
  await condition(allHandlersFinished);
  return summary;
}
