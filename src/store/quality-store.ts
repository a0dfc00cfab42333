import type { RunRecord } from './run-store';

/** The quality gate's reads (see src/quality). */
export interface QualityStore {
  /** The run's fresh score distribution and call outcomes, with its canaries (ids `canary-*`) apart. */
  runQualityCounts(runId: string): Promise<RunQualityCounts>;
  /**
   * Earlier runs a run's quality is compared with: finished runs (completed or quarantined)
   * with the same criteria, on or before `onOrBefore`, other than `excludeRunId`, newest first.
   */
  previousRuns(filter: PreviousRunsFilter): Promise<RunRecord[]>;
}

export interface PreviousRunsFilter {
  criteria: string;
  onOrBefore: string;
  excludeRunId: string;
  limit: number;
}

/** Raw figures of one run for the quality gate; canaries are kept out of every figure but their own. */
export interface RunQualityCounts {
  /**
   * Scores 1..10 the model gave in this run (no cache hits: they repeat an earlier run's model,
   * and no canaries) at index score − 1.
   */
  histogram: number[];
  /** Sum of the confidences of those scores. */
  confidenceSum: number;
  /** Answers the run received from the model (status ok), and how many were invalid or refusals. */
  answered: number;
  invalid: number;
  refusals: number;
  canaries: Array<{ listingId: string; score: number }>;
}

/** Listing ids the feed may not use: the golden listings the quality gate adds to every run. */
export const CANARY_ID_PREFIX = 'canary-';
