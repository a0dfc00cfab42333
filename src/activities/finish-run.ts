import type { PlanResult, RunSummary, ShardTotals } from '../shared/messages';
import type { ActivityDeps } from './deps';

export interface FinishRunInput {
  runId: string;
  runDate: string;
  plan: PlanResult;
  totals: ShardTotals;
  startedAt: string;
  executions: number;
}

export function makeFinishRun(deps: ActivityDeps) {
  /**
   * Builds the run's summary from the store, which is the authority on what was scored,
   * dead-lettered and billed (it also counts failed call attempts, which workflows never
   * see as results), records it, and returns it as the workflow's result.
   */
  return async function finishRun(input: FinishRunInput): Promise<RunSummary> {
    const t = await deps.store.runTotals(input.runId);
    const finishedAt = new Date().toISOString();
    const byModel: RunSummary['byModel'] = {};
    for (const m of t.byModel) {
      byModel[m.model] = {
        listings: input.totals.byModel[m.model]?.listings ?? 0,
        calls: m.calls,
        promptTokens: m.promptTokens,
        completionTokens: m.completionTokens,
        costPico: m.costPico,
        costUsd: m.costPico / 1e12,
      };
    }
    const summary: RunSummary = {
      runId: input.runId,
      runDate: input.runDate,
      lines: input.plan.lines,
      planned: t.planned,
      rejected: t.rejected,
      rejectedSample: input.plan.rejectedSample,
      scored: t.scored,
      cacheHits: t.cached,
      deadLettered: t.deadLettered,
      deadLetterReasons: input.totals.deadLetterReasons,
      calls: t.calls,
      promptTokens: t.byModel.reduce((s, m) => s + m.promptTokens, 0),
      completionTokens: t.byModel.reduce((s, m) => s + m.completionTokens, 0),
      costUsd: t.costPico / 1e12,
      byModel,
      // From the store: every score of the run, cache hits included.
      histogram: await deps.store.scoreHistogram(input.runId),
      startedAt: input.startedAt,
      finishedAt,
      durationMs: Date.parse(finishedAt) - Date.parse(input.startedAt),
      executions: input.executions,
      outageMs: input.totals.outageMs,
      outages: input.totals.outages,
      escalations: input.totals.escalations,
      fallbacks: input.totals.fallbacks,
    };
    await deps.store.finishRun(input.runId, 'completed', JSON.stringify(summary), finishedAt);
    const { byModel: _m, histogram: _h, rejectedSample: _r, ...headline } = summary;
    deps.logger.info({ event: 'run_finished', ...headline }, 'run finished');
    return summary;
  };
}
