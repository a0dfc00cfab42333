import { ApplicationFailure } from '@temporalio/activity';
import { canarySet } from '../feed/canaries';
import { DEFAULT_MIN_BASELINE_RUNS } from '../quality/drift';
import { DEFAULT_BASELINE_RUNS, judgeRun, runQualityOf } from '../quality/gate';
import { PipelineErrorType, type PlanResult, type RunSummary, type ShardTotals } from '../shared/messages';
import type { QualityOptions, QualityReport } from '../shared/quality';
import type { RunStatus } from '../store/store';
import type { ActivityDeps } from './deps';
import { picoToUsd } from '../shared/money';

const CANARY_BANDS = new Map(canarySet().map((c) => [c.listing.id, c.expectedBand]));

export interface FinishRunInput {
  runId: string;
  runDate: string;
  plan: PlanResult;
  totals: ShardTotals;
  startedAt: string;
  executions: number;
  quality?: QualityOptions;
  rerun?: boolean;
}

export function makeFinishRun(deps: ActivityDeps) {
  /**
   * Builds the run's summary from the store, which is the authority on what was scored,
   * dead-lettered and billed (it also counts failed call attempts, which workflows never
   * see as results), records it, and returns it as the workflow's result.
   */
  return async function finishRun(input: FinishRunInput): Promise<RunSummary> {
    // Outcomes and the start come from the store too: a run reset from the UI restarts its
    // workflow totals and its start time, but not its rows.
    const [t, outcomes, run] = await Promise.all([
      deps.store.runTotals(input.runId),
      deps.store.runOutcomes(input.runId),
      deps.store.getRun(input.runId),
    ]);
    const startedAt = run?.startedAt ?? input.startedAt;
    const embeddings = input.plan.dedup ? await deps.store.dedup.embeddingUsage(input.runId) : undefined;
    const finishedAt = new Date().toISOString();
    const byModel: RunSummary['byModel'] = {};
    for (const m of t.byModel) {
      byModel[m.model] = {
        listings: outcomes.listingsByModel[m.model] ?? 0,
        calls: m.calls,
        promptTokens: m.promptTokens,
        completionTokens: m.completionTokens,
        costPico: m.costPico,
        costUsd: picoToUsd(m.costPico),
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
      deadLetterReasons: outcomes.deadLetterReasons,
      calls: t.calls,
      promptTokens: t.byModel.reduce((s, m) => s + m.promptTokens, 0),
      completionTokens: t.byModel.reduce((s, m) => s + m.completionTokens, 0),
      // The embedding calls are on the same bill as the chat calls.
      costUsd: picoToUsd(t.costPico + (embeddings?.costPico ?? 0)),
      byModel,
      // From the store: every score of the run, cache hits included.
      histogram: await deps.store.scoreHistogram(input.runId),
      startedAt,
      finishedAt,
      durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
      executions: input.executions,
      outageMs: input.totals.outageMs,
      outages: input.totals.outages,
      escalations: outcomes.escalations,
      fallbacks: input.totals.fallbacks,
      ...(embeddings && input.plan.dedup
        ? {
            nearDuplicates: {
              listings: input.plan.dedup.listings,
              reused: embeddings.nearDuplicates,
              earlierDay: embeddings.earlierDay,
              embeddingCalls: embeddings.calls,
              embeddingTokens: embeddings.promptTokens,
              embeddingCostUsd: picoToUsd(embeddings.costPico),
            },
          }
        : {}),
    };
    summary.quality = await judge(deps, input, summary);
    const status: RunStatus = summary.quality.publication === 'held' ? 'quarantined' : 'completed';
    await deps.store.finishRun(input.runId, status, JSON.stringify(summary), finishedAt);
    const { byModel: _m, histogram: _h, rejectedSample: _r, quality, ...headline } = summary;
    deps.logger.info(
      { event: 'run_finished', ...headline, status, drifted: quality?.drift?.drifted ?? null },
      'run finished',
    );
    return summary;
  };
}

/** The drift gate: this run's figures against the baseline of earlier runs with the same criteria. */
async function judge(deps: ActivityDeps, input: FinishRunInput, summary: RunSummary): Promise<QualityReport> {
  const opts = input.quality ?? {};
  const baselineRuns = opts.baselineRuns ?? DEFAULT_BASELINE_RUNS;
  const [counts, run] = await Promise.all([
    deps.store.runQualityCounts(input.runId),
    deps.store.getRun(input.runId),
  ]);
  const quality = runQualityOf(
    {
      runId: input.runId,
      runDate: input.runDate,
      counts,
      llmScored: summary.scored - summary.cacheHits,
      escalations: summary.escalations,
      planned: summary.planned,
      deadLettered: summary.deadLettered,
    },
    CANARY_BANDS,
  );
  const previous = run
    ? await deps.store.previousRuns({
        criteria: run.criteria,
        onOrBefore: input.runDate,
        excludeRunId: input.runId,
        limit: baselineRuns * 3,
      })
    : [];
  const report = judgeRun(quality, previous, {
    gate: opts.gate ?? 'alarm',
    baselineRuns,
    minBaselineRuns: opts.minBaselineRuns ?? DEFAULT_MIN_BASELINE_RUNS,
    rerun: input.rerun === true,
  });
  if (report.drift?.drifted) {
    deps.logger.warn(
      {
        event: 'drift_detected',
        runId: input.runId,
        runDate: input.runDate,
        publication: report.publication,
        failed: report.drift.checks.filter((c) => c.failed).map((c) => c.name),
        baselineRuns: report.drift.baselineRuns,
      },
      report.drift.summary,
    );
    deps.errors?.drift({
      runId: input.runId,
      runDate: input.runDate,
      summary: report.drift.summary,
      failed: report.drift.checks.filter((c) => c.failed).map((c) => c.name),
      publication: report.publication,
    });
  }
  return report;
}

export function makeReviewRun(deps: ActivityDeps) {
  /**
   * Records a person's decision on a quarantined run: approved scores are published (and become
   * cache sources and baseline material), rejected ones stay out of both for good.
   */
  return async function reviewRun(input: {
    runId: string;
    approve: boolean;
    note: string;
    reviewer?: string;
  }): Promise<RunSummary> {
    const run = await deps.store.getRun(input.runId);
    const summary = run?.summaryJson ? (JSON.parse(run.summaryJson) as RunSummary) : undefined;
    if (!summary?.quality) {
      throw ApplicationFailure.nonRetryable(
        `run ${input.runId} has no quality verdict to review`,
        PipelineErrorType.NothingToReview,
      );
    }
    const at = new Date().toISOString();
    summary.quality.publication = input.approve ? 'published' : 'rejected';
    summary.quality.review = { approve: input.approve, note: input.note, at };
    if (input.reviewer !== undefined) summary.quality.review.reviewer = input.reviewer;
    const status: RunStatus = input.approve ? 'completed' : 'rejected';
    await deps.store.finishRun(input.runId, status, JSON.stringify(summary), run?.finishedAt ?? at);
    deps.logger.warn(
      { event: 'run_reviewed', runId: input.runId, status, note: input.note, reviewer: input.reviewer },
      `run ${input.approve ? 'approved' : 'rejected'} after drift review`,
    );
    return summary;
  };
}
