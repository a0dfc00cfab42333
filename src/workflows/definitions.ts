import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BatchProgress, BudgetChange, RunProgress, ShardProgress } from '../shared/messages';
import type { Publication, ReviewDecision } from '../shared/quality';

export const progressQuery = defineQuery<RunProgress>('progress');

/** Shards report cumulative (not delta) counts, so a repeated signal cannot double-count. */
export const shardProgressSignal = defineSignal<[ShardProgress]>('shardProgress');

/** Batch child → parent: where the Batch API pass stands (cumulative). */
export const batchProgressSignal = defineSignal<[BatchProgress]>('batchProgress');

/** Parent → shards: the budget was raised; blocked shards try again. */
export const budgetChangedSignal = defineSignal('budgetChanged');
/** Parent → shards: finish with what is done; park the rest as dead letters. */
export const stopScoringSignal = defineSignal('stopScoring');

/** Raise (or set) the run's or the day's budget; blocked shards resume. Returns the new progress. */
export const raiseBudgetUpdate = defineUpdate<RunProgress, [BudgetChange]>('raiseBudget');
/** Stop dispatching, park what is left, and close the run with what is done. */
export const finishEarlyUpdate = defineUpdate<RunProgress, []>('finishEarly');
/** Approve or reject the scores of a run the drift gate quarantined. Returns the publication. */
export const reviewRunUpdate = defineUpdate<Publication, [ReviewDecision]>('reviewRun');

/**
 * Custom search attributes: what lets a person find and read a run in the Web UI without
 * opening payloads. The dev server registers them at start (see src/dev); a cluster needs
 * `temporal operator search-attribute create` once (README).
 */
export const searchAttributes = {
  RunDate: defineSearchAttributeKey('RunDate', SearchAttributeType.KEYWORD),
  RunPhase: defineSearchAttributeKey('RunPhase', SearchAttributeType.KEYWORD),
  ListingsTotal: defineSearchAttributeKey('ListingsTotal', SearchAttributeType.INT),
  ListingsScored: defineSearchAttributeKey('ListingsScored', SearchAttributeType.INT),
  ListingsDeadLettered: defineSearchAttributeKey('ListingsDeadLettered', SearchAttributeType.INT),
  CostUsd: defineSearchAttributeKey('CostUsd', SearchAttributeType.DOUBLE),
  /** Set when the run is judged: true when the quality gate found drift. */
  DriftDetected: defineSearchAttributeKey('DriftDetected', SearchAttributeType.BOOL),
} as const;

export const searchAttributeKeys = Object.values(searchAttributes);
