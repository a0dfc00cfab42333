import type { Listing } from '../feed/listing';
import type { Route } from '../scoring/pricing';
import type { PlanRoute } from '../scoring/routing';
import type { DedupStore } from './dedup-store';
import type { BucketObservation, TakeResult } from './token-bucket';

/**
 * The one interface every persistence backend implements (SQLite embedded, PostgreSQL for
 * production). It owns idempotency: every write is keyed so that a retried, reset or replayed
 * activity cannot create a second row.
 */
export interface Store {
  /** Embeddings and near-duplicates (see dedup-store.ts), on the same database. */
  readonly dedup: DedupStore;
  migrate(): Promise<void>;
  close(): Promise<void>;

  // Runs and their plans
  upsertRun(run: RunRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  finishRun(runId: string, status: RunStatus, summaryJson: string, finishedAt: string): Promise<void>;
  /** Stores listing versions and the run's plan rows; safe to call again with the same rows. */
  addPlanChunk(runId: string, items: PlannedListing[]): Promise<void>;
  addRejectedLines(runId: string, rejected: RejectedLineRecord[]): Promise<void>;
  planItems(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listingId: string }>>;
  /** The plan rows in a range still without a score or a dead letter: what a (re)started shard must do. */
  unfinishedItems(runId: string, fromSeq: number, toSeq: number): Promise<PlanItem[]>;
  /** Sets the route of plan rows planned without one (a re-run's plan copies listings, not routes). */
  setPlanRoutes(runId: string, routes: Array<{ seq: number; route: PlanRoute }>): Promise<void>;
  /** The listings of a seq range whose plan rows have no route yet, in seq order. */
  unroutedListings(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listing: Listing }>>;
  getPlannedListing(
    runId: string,
    listingId: string,
  ): Promise<{ listing: Listing; contentHash: string } | undefined>;

  // The LLM call log: one row per call attempt
  recordCall(call: NewCallRecord): Promise<number>;
  /** A successful call for exactly this prompt in this run, so a retry never pays twice. */
  findReusableCall(runId: string, listingId: string, promptHash: string): Promise<CallRecord | undefined>;
  getCall(callId: number): Promise<CallRecord | undefined>;
  setCallVerdict(callId: number, verdict: CallVerdict): Promise<void>;
  listCalls(filter: CallFilter): Promise<CallRecord[]>;

  // Scores: only rows the validation step marked valid can be copied here.
  persistValidatedScore(runId: string, listingId: string, callId: number): Promise<PersistOutcome>;
  /**
   * The cache: for each prompt hash, the call whose answer was kept (persisted as the score)
   * where that exact prompt got a valid answer — after an escalation, the large model's — from
   * runs other than `excludeRunId`. A run never hits its own calls, so planning it
   * again (a retry, a reset from the UI) produces the same plan.
   */
  findValidCalls(promptHashes: string[], excludeRunId?: string): Promise<Map<string, number>>;
  /** Reuses a valid answer from an earlier run as this run's score (source 'cache'). */
  persistCachedScore(runId: string, listingId: string, sourceCallId: number): Promise<PersistOutcome>;
  listScores(runId: string, limit: number, offset: number): Promise<ScoreRecord[]>;

  // Dead letters
  deadLetter(letter: NewDeadLetter): Promise<void>;
  listDeadLetters(runId?: string): Promise<DeadLetterRecord[]>;
  getDeadLetter(runId: string, listingId: string): Promise<DeadLetterRecord | undefined>;
  /** Closes a letter by hand, with the reviewer's note. Returns false when there is no such letter. */
  resolveDeadLetter(runId: string, listingId: string, note: string): Promise<boolean>;
  /**
   * Plans a re-run: the source run's open dead letters (optionally only `listingIds`) become
   * this run's plan, with the listing versions the source run saw, and are marked requeued.
   * Idempotent: a run that already has a plan keeps it. Returns the number of planned listings.
   */
  planFromDeadLetters(runId: string, sourceRunId: string, listingIds?: string[]): Promise<number>;

  runTotals(runId: string): Promise<RunTotals>;
  /**
   * What the run's summary says about outcomes, from the rows themselves, so a run reset from
   * the UI (whose workflow totals restart) still reports what happened to every listing.
   */
  runOutcomes(runId: string): Promise<RunOutcomes>;

  // Budgets: atomic reservations so concurrent calls cannot overshoot a limit.
  setBudgetLimit(scope: string, limitPico: number): Promise<void>;
  getBudget(scope: string): Promise<BudgetRecord | undefined>;
  /** Reserves `amountPico` in every scope at once, or in none: returns the first scope that lacks room. */
  /**
   * The shared tokens-per-minute bucket of `key` (src/store/token-bucket.ts): takes `tokens`
   * and says how long to wait. `perMinute` sets the limit; without it the stored (learned)
   * one holds, and with none known nothing is taken.
   */
  takeTokens(key: string, tokens: number, perMinute?: number): Promise<TakeResult>;
  /** Settles a reservation and records what the provider said: its limit and remaining tokens. */
  observeTokens(key: string, observation: BucketObservation): Promise<void>;
  reserveBudget(scopes: string[], amountPico: number): Promise<{ ok: true } | { ok: false; scope: string }>;
  /** Replaces a reservation by what the call really cost (0 when it failed). */
  settleBudget(scopes: string[], reservedPico: number, actualPico: number): Promise<void>;

  // ── Read-only reporting queries (the CLI's `report`) ─────────────────────────────────────
  /** The run's call attempts summed by model, route and status, ordered by those keys. */
  callUsage(runId: string): Promise<CallUsage[]>;
  /** The tokens of the earlier calls the run's cache hits reused, counted once per hit. */
  cacheSourceUsage(runId: string): Promise<CacheSourceUsage>;
  /** How many of the run's scores (cache hits included) have each value: index score − 1. */
  scoreHistogram(runId: string): Promise<number[]>;

  // ── The quality gate (see src/quality) ────────────────────────────────────────────────────
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

export interface BudgetRecord {
  scope: string;
  limitPico: number;
  reservedPico: number;
  spentPico: number;
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

export interface PlannedListing {
  /** 0.. for listings to score; negative for cache hits, which no shard visits. */
  seq: number;
  listing: Listing;
  contentHash: string;
  /** Decided at planning (see `planRoute`); absent only where a later routing step sets it. */
  route?: PlanRoute;
}

/** A route as the plan row's three columns hold it (both stores share the encoding). */
export interface RouteColumns {
  routeModel: string | null;
  escalationModel: string | null;
  fallbacksJson: string | null;
}

export function routeColumns(route: PlanRoute | undefined): RouteColumns {
  return route
    ? {
        routeModel: route.model,
        escalationModel: route.escalation,
        fallbacksJson: JSON.stringify(route.fallbacks),
      }
    : { routeModel: null, escalationModel: null, fallbacksJson: null };
}

export function routeFromColumns(c: RouteColumns): PlanRoute | null {
  if (c.routeModel === null) return null;
  return {
    model: c.routeModel,
    escalation: c.escalationModel,
    fallbacks: c.fallbacksJson ? (JSON.parse(c.fallbacksJson) as Record<string, string>) : {},
  };
}

/** A plan row as a shard sees it: the listing's id and the route planning chose (null: not routed yet). */
export interface PlanItem {
  seq: number;
  listingId: string;
  route: PlanRoute | null;
}

export interface RejectedLineRecord {
  line: number;
  listingId?: string | undefined;
  reason: string;
}

export type CallStatus = 'ok' | 'error';

export interface NewCallRecord {
  runId: string;
  listingId: string;
  workflowId: string;
  attempt: number;
  model: string;
  route: Route;
  promptHash: string;
  promptVersion: string;
  schemaVersion: string;
  startedAt: string;
  durationMs: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costPico: number;
  status: CallStatus;
  errorType: string | null;
  errorMessage: string | null;
  finishReason: string | null;
  toolArguments: string | null;
  refusal: string | null;
  /** The provider's batch id for a call answered through the Batch API. */
  batchId?: string | null;
}

export type Validation = 'pending' | 'valid' | 'invalid';

export interface CallRecord extends NewCallRecord {
  id: number;
  validation: Validation;
  validationError: string | null;
  score: number | null;
  confidence: number | null;
  reasoning: string | null;
}

export type CallVerdict =
  | { validation: 'valid'; score: number; confidence: number; reasoning: string }
  | { validation: 'invalid'; error: string };

export interface CallFilter {
  runId?: string;
  listingId?: string;
  model?: string;
  status?: CallStatus;
  promptHash?: string;
  batchId?: string;
  validation?: Validation;
  since?: string;
  until?: string;
  /** Only calls with a larger id: the next page after the last one read (ids only grow). */
  afterId?: number;
  limit?: number;
}

export type PersistOutcome = 'written' | 'not-validated';

export interface ScoreRecord {
  /** 'near_duplicate': the answer of the listing's representative (see `DedupStore`). */
  source: 'llm' | 'cache' | 'near_duplicate';
  runId: string;
  listingId: string;
  callId: number;
  model: string;
  score: number;
  confidence: number;
  reasoning: string;
  contentHash: string;
  scoredAt: string;
}

export interface NewDeadLetter {
  runId: string;
  listingId: string;
  reason: string;
  errorType: string;
  lastError: string;
  attempts: number;
  model: string | null;
  createdAt: string;
}

export interface DeadLetterRecord extends NewDeadLetter {
  status: 'open' | 'requeued' | 'resolved';
  note: string | null;
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
