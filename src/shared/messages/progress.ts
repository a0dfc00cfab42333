/** What a run tells while it runs (the progress query, shard signals) and when it ends (the summary). */
import type { Publication, QualityReport } from '../quality';
import type { BatchProgress } from './batch';
import type { ModelTotals } from './shard';

export interface ShardProgress {
  shardIndex: number;
  done: number;
  inFlight: number;
  scored: number;
  deadLettered: number;
  costPico: number;
  /** The shard's outage breaker is open: it is probing, not dispatching. */
  outage: boolean;
  /** The shard is waiting for budget: a call could not reserve its worst-case cost. */
  budgetBlocked: boolean;
}

/** 'quarantined': finished, the drift gate holds the scores until a person reviews them. */
export type RunPhase =
  'waiting_for_feed' | 'planning' | 'batch' | 'scoring' | 'finishing' | 'quarantined' | 'done';

export interface RunProgress {
  runId: string;
  runDate: string;
  phase: RunPhase;
  total: number;
  rejected: number;
  planned: number;
  cacheHits: number;
  scored: number;
  deadLettered: number;
  inFlight: number;
  costUsd: number;
  startedAt: string;
  updatedAt: string;
  estimatedFinishAt: string | null;
  shardsDone: number;
  shardsTotal: number;
  /** Shards currently paused by their outage breaker. */
  shardsInOutage: number;
  /** Shards waiting for budget; raise it with the raiseBudget update or finish early. */
  shardsWaitingForBudget: number;
  budgetUsd: number | null;
  dailyBudgetUsd: number | null;
  /** The Batch API pass, while it runs or after it ran; null when the run did not use it. */
  batch: BatchProgress | null;
  /** The quality gate's verdict once the run is judged (the summary has every check). */
  drift: { drifted: boolean; summary: string; publication: Publication } | null;
  /** Set while the run waits for its feed file to appear. */
  feedWait?: FeedWait;
}

export interface FeedWait {
  path: string;
  since: string;
  /** When the run gives up and fails with FeedNotFound. */
  until: string;
}

export interface RunSummary {
  runId: string;
  runDate: string;
  lines: number;
  planned: number;
  rejected: number;
  rejectedSample: string[];
  /** Listings with a score, including cache hits. */
  scored: number;
  cacheHits: number;
  deadLettered: number;
  deadLetterReasons: Record<string, number>;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  byModel: Record<string, ModelTotals & { costUsd: number }>;
  histogram: number[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  executions: number;
  outageMs: number;
  outages: number;
  escalations: number;
  fallbacks: number;
  /** The quality gate: figures, drift verdict, publication (absent in summaries from before it). */
  quality?: QualityReport;
  /** Near-duplicates and the embedding calls that found them; absent when dedup was off. */
  nearDuplicates?: {
    listings: number;
    reused: number;
    earlierDay: number;
    embeddingCalls: number;
    embeddingTokens: number;
    embeddingCostUsd: number;
  };
}
