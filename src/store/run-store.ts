import type { Route } from '../scoring/pricing';
import type { CallStatus } from './call-store';

/** A run's lifecycle and what is reported about it afterwards (the summary, the CLI's `report`). */
export interface RunStore {
  upsertRun(run: RunRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  finishRun(runId: string, status: RunStatus, summaryJson: string, finishedAt: string): Promise<void>;
  runTotals(runId: string): Promise<RunTotals>;
  /**
   * What the run's summary says about outcomes, from the rows themselves, so a run reset from
   * the UI (whose workflow totals restart) still reports what happened to every listing.
   */
  runOutcomes(runId: string): Promise<RunOutcomes>;

  // ── Read-only reporting queries (the CLI's `report`) ─────────────────────────────────────
  /** The run's call attempts summed by model, route and status, ordered by those keys. */
  callUsage(runId: string): Promise<CallUsage[]>;
  /** The tokens of the earlier calls the run's cache hits reused, counted once per hit. */
  cacheSourceUsage(runId: string): Promise<CacheSourceUsage>;
  /** How many of the run's scores (cache hits included) have each value: index score − 1. */
  scoreHistogram(runId: string): Promise<number[]>;
}

/**
 * 'quarantined': finished, but the quality gate found drift and the scores are held from
 * publication until a person approves them ('completed') or rejects them ('rejected').
 */
export type RunStatus = 'running' | 'completed' | 'failed' | 'quarantined' | 'rejected';

/** Runs whose answers may not be reused as cache hits: nobody has vouched for their scores. */
export const UNPUBLISHED_STATUSES: readonly RunStatus[] = ['quarantined', 'rejected'];

export interface RunRecord {
  runId: string;
  runDate: string;
  feedPath: string;
  criteria: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string | null;
  summaryJson?: string | null;
}

/** One group of a run's call attempts (see `Store.callUsage`). */
export interface CallUsage {
  model: string;
  route: Route;
  status: CallStatus;
  calls: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costPico: number;
}

/** What the reused answers of a run's cache hits cost to obtain (see `Store.cacheSourceUsage`). */
export interface CacheSourceUsage {
  hits: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

export interface RunOutcomes {
  /** Listings scored by each model in this run (cache hits not included), by model name. */
  listingsByModel: Record<string, number>;
  deadLetterReasons: Record<string, number>;
  /** Listings that called the escalation model their plan row names: the cascade's second step. */
  escalations: number;
}

export interface RunTotals {
  planned: number;
  rejected: number;
  scored: number;
  /** Of `scored`, how many reused an earlier run's answer. */
  cached: number;
  deadLettered: number;
  calls: number;
  costPico: number;
  byModel: Array<{
    model: string;
    calls: number;
    promptTokens: number;
    completionTokens: number;
    costPico: number;
  }>;
}
