/**
 * Messages shared by the client, the worker's activities and the workflows. Pure types and
 * constants only: this module is bundled into the workflow sandbox.
 */
import type { Route } from '../scoring/pricing';
import type { Publication, QualityOptions, QualityReport } from './quality';
import type { DedupOptions, DedupResult } from './dedup';

export interface RunInput {
  /** The day scored; when absent (a scheduled start) it is the scheduled time's date in `timezone`. */
  runDate?: string;
  /** The feed file; `{date}` is replaced by the run date. Ignored by a re-run. */
  feedPath: string;
  /** Score the open dead letters of an earlier run (a new workflow linked to it) instead of a feed. */
  rerunOf?: RerunSource;
  timezone?: string;
  criteria: string;
  /** Listings per shard child: bounds each child's history (about 13 events per listing). */
  shardSize?: number;
  /** Shard children running at once: bounds in-flight work and pending children. */
  maxConcurrentShards?: number;
  /** Listings a shard works on at once: bounds pending activities per child. */
  listingConcurrency?: number;
  /** Shards one parent execution starts before it continues as new. */
  shardsPerExecution?: number;
  maxAttempts?: number;
  /** Reuse valid answers to identical prompts from earlier runs (default true). */
  useCache?: boolean;
  escalateBelow?: number;
  /** Spend limits in USD for this run and for the run date across all runs (absent: unlimited). */
  budgetUsd?: number;
  dailyBudgetUsd?: number;
  /** 'auto' (default): the Batch API when the provider has one, then a synchronous pass for the rest. */
  route?: RunRoute;
  /** When the scores must be ready (ISO time; default 20 hours after the start). */
  deadline?: string;
  /** How long before the deadline unfinished batches are cancelled and scored synchronously (default 2 h). */
  syncReserveMs?: number;
  batchPollMs?: number;
  /** Canaries and the drift gate (defaults: canaries on, gate 'alarm'). */
  quality?: QualityOptions;
  /** Set only by continue-as-new: where the previous execution stopped. */
  carry?: RunCarry;
}

export interface RunCarry {
  plan: PlanResult;
  batchDone?: boolean;
  nextShard: number;
  totals: ShardTotals;
  startedAt: number;
  scoringStartedAt: number;
  executions: number;
}

export const RUN_DEFAULTS = {
  shardSize: 100,
  maxConcurrentShards: 8,
  listingConcurrency: 25,
  // A parent writes about 23 events per shard (bench: 5,671 at 250), so 200 keeps it under 5,000.
  shardsPerExecution: 200,
  maxAttempts: 3,
  escalateBelow: 0.6,
} as const;

export interface PlanRunInput {
  runId: string;
  runDate: string;
  feedPath: string;
  criteria: string;
  /** false scores every listing again even when an identical prompt has a valid answer. */
  useCache?: boolean;
  /** A re-run: plan the source run's open dead letters instead of reading a feed. */
  rerunOf?: RerunSource;
  /** Add the golden canary listings to the plan (only with the default criteria they are banded for). */
  canaries?: boolean;
}

export interface RerunSource {
  runId: string;
  /** Only these listings (default: every open dead letter of the source run). */
  listingIds?: string[];
}

export interface PlanResult {
  /** Non-blank lines read from the feed. */
  lines: number;
  /** Valid listings: cache hits plus listings to score. */
  planned: number;
  toScore: number;
  cacheHits: number;
  rejected: number;
  /** The first few rejection reasons, for the summary; all of them are in the store. */
  rejectedSample: string[];
  /** Golden listings of the quality gate included in `planned` and `toScore` (never cached). */
  canaries?: number;
}

export interface ShardInput {
  runId: string;
  parentWorkflowId: string;
  shardIndex: number;
  fromSeq: number;
  toSeq: number;
  listingConcurrency: number;
  maxAttempts: number;
  /** A small-model answer below this confidence is escalated to the large model (0 turns it off). */
  escalateBelow: number;
  /** Set when the run was told to finish with what is done: the shard parks its listings. */
  stopped?: boolean;
  /** Set by parents that know the lean dispatch, so a shard needs no patch marker of its own. */
  leanDispatch?: boolean;
}

export interface ModelTotals {
  listings: number;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costPico: number;
}

export interface ShardTotals {
  scored: number;
  deadLettered: number;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costPico: number;
  byModel: Record<string, ModelTotals>;
  /** Count of scores 1..10 at index score-1. */
  histogram: number[];
  deadLetterReasons: Record<string, number>;
  /** Small-model answers escalated to the large model for low confidence. */
  escalations: number;
  /** Models replaced by their fallback after repeated failures (shard-level events). */
  fallbacks: number;
  /** Time shards spent with their outage breaker open (summed over shards) and how often it opened. */
  outageMs: number;
  outages: number;
}

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
}

export interface ModelQueue {
  model: string;
  taskQueue: string;
}

/** A listing's route as planning stored it, with the task queue of each model. */
export interface RouteResult extends ModelQueue {
  /** Where a low-confidence small-model answer is escalated (absent on the large tier). */
  escalation?: ModelQueue;
  /** Replacement models for the run when one keeps failing. */
  fallbacks: Record<string, ModelQueue>;
}

/**
 * What a shard works on: its unfinished listings, each pointing into `routes`, the few
 * distinct routes of the shard, so history carries each route once and not once per listing.
 */
export interface ShardPlan {
  listings: Array<{ id: string; route: number }>;
  routes: RouteResult[];
}

export interface ScoreCallResult {
  callId: number;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costPico: number;
  /** True when a previous attempt's successful call was reused instead of paying again. */
  reused: boolean;
  /** How the answer was obtained: a reused batch answer keeps its route (absent in old histories). */
  route?: Route;
}

/** One recorded answer for the validation gate (`validateAndPersist`), as part of a wave. */
export interface GateItem {
  listingId: string;
  /** The recorded call whose answer is judged. */
  callId: number;
  /** A valid answer below this confidence is held, not persisted: the shard escalates it. */
  holdBelow?: number;
  /** An earlier valid answer persisted instead when this one is invalid (an escalation that failed). */
  otherwise?: number;
}

/** The gate's word on one item: the verdict on `callId`, and what (if anything) is now the score. */
export interface GateResult {
  callId: number;
  verdict: ValidationResult;
  /** The call persisted as the listing's score (`callId` or `otherwise`), with its model and score. */
  persisted: { callId: number; model: string; score: number; route: Route } | null;
}

export type ValidationResult =
  { valid: true; score: number; confidence: number } | { valid: false; reason: string };

export type RunRoute = 'auto' | 'batch' | 'sync';

export interface BatchRef {
  batchId: string;
  model: string;
  lines: number;
  /** Worst-case cost reserved against the budgets at submit, settled at collect. */
  reservedPico: number;
  key: string;
}

export interface BatchStatus {
  batchId: string;
  status: string;
  terminal: boolean;
  total: number;
  completed: number;
  failed: number;
}

export interface BatchInput {
  runId: string;
  parentWorkflowId: string;
  toScore: number;
  /** Seq range per submit activity (each may still make several batches: one per model and cap). */
  rangeSize: number;
  /** Epoch ms after which unfinished batches are cancelled and their listings go synchronous. */
  cutoffAt: number;
  pollIntervalMs: number;
  escalateBelow: number;
  /** Carried by continue-as-new. */
  batches?: BatchRef[];
  collected?: string[];
  totals?: ShardTotals;
  /** 0: the first pass; 1: the escalation round (carried by continue-as-new). */
  round?: number;
  /** Low-confidence small-model answers seen so far: what the escalation round sends. */
  lowConfidence?: number;
}

export interface BatchProgress {
  batches: number;
  lines: number;
  completed: number;
  failed: number;
  persisted: number;
  /** What the collected batches cost (absent in signals recorded before it was sent). */
  costPico?: number;
  cancelledAtCutoff: boolean;
}

export interface BudgetChange {
  budgetUsd?: number;
  dailyBudgetUsd?: number;
}

/** Why a listing was parked for review: the only words a dead letter, its metric and the report use. */
export const DEAD_LETTER_REASONS = [
  'non_retryable_error',
  'invalid_output',
  'retries_exhausted',
  'budget_exhausted',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export interface DeadLetterInput {
  runId: string;
  listingId: string;
  reason: DeadLetterReason;
  errorType: string;
  lastError: string;
  attempts: number;
  model: string | null;
}

/** Failure types raised by our own activities (LLM error types live in scoring/errors). */
export const PipelineErrorType = {
  ListingNotPlanned: 'ListingNotPlanned',
  NotValidated: 'ScoreNotValidated',
  InvalidModelOutput: 'InvalidModelOutput',
  BudgetExhausted: 'BudgetExhausted',
  NothingToReview: 'NothingToReview',
  /** A step was given a run the store does not know: retrying will not make it exist. */
  RunNotFound: 'RunNotFound',
} as const;

// ---------------------------------------------------------------------------------------------
// Feed options and feed faults (issue 11). Kept in one block: the interfaces below merge into
// RunInput, PlanRunInput, PlanResult and RunProgress above.
// ---------------------------------------------------------------------------------------------

/** How the feed is read and when a feed fault fails the run. Every field is optional. */
export interface FeedOptions {
  /** 'jsonl' or 'csv'; default: from the file name (.csv is CSV, anything else JSON lines). */
  format?: 'jsonl' | 'csv';
  /** Listing field → the key or column that holds it in the user's export, e.g. { title: 'job_title' }. */
  mapping?: Record<string, string>;
  /** How long the run waits for a missing feed file, in ms (default 5 minutes; 0 fails at once). */
  waitMs?: number;
  /** Share of the feed's lines that may be rejected before the run fails, 0–1 (default 0.5). */
  maxRejectedShare?: number;
  /** An empty feed (no valid listing) finishes as a run of nothing instead of failing. */
  allowEmpty?: boolean;
}

export const FEED_DEFAULTS = { waitMs: 5 * 60_000, maxRejectedShare: 0.5 } as const;

export interface RunInput {
  feed?: FeedOptions;
}

export interface PlanRunInput {
  /** `waitMs` is the workflow's business; planRun reads the rest. */
  feed?: FeedOptions;
}

export interface PlanResult {
  /** Feed keys or columns that are no listing field, set aside with a warning (first 50). */
  unknownKeys?: string[];
  /** Listings whose language was detected because the feed did not state it. */
  languagesDetected?: number;
}

export interface RunProgress {
  /** Set while the run waits for its feed file to appear. */
  feedWait?: FeedWait;
}

export interface FeedWait {
  path: string;
  since: string;
  /** When the run gives up and fails with FeedNotFound. */
  until: string;
}

/** Failure types of feed faults: all non-retryable, the user has to fix the feed or the options. */
export const FeedErrorType = {
  NotFound: 'FeedNotFound',
  Unreadable: 'FeedUnreadable',
  /** The header or the mapping cannot be used (a required column missing, a mapped column absent). */
  Invalid: 'FeedInvalid',
  Empty: 'FeedEmpty',
  TooManyRejected: 'FeedTooManyRejected',
} as const;

export interface RunInput {
  /** Near-duplicate listings scored once (see src/dedup); off unless `mode: 'near'`. */
  dedup?: DedupOptions;
}

export interface PlanResult {
  /** Set when the run clustered near-duplicates. */
  dedup?: DedupResult;
}

export interface RunSummary {
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
