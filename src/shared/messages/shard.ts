/** A shard's work: its input and plan, the routes it calls, the validation gate, and its totals. */
import type { Route } from '../../scoring/pricing';
import type { DeadLetterReason } from './failures';

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
  /** Set by parents whose shards run the callback pipeline (src/workflows/flat-pipeline.ts). */
  flatDispatch?: boolean;
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

/** What the listing pipeline hands the shard for one listing: the shard decides what follows. */
export type ListingOutcome =
  | { kind: 'scored'; model: string; score: number }
  | {
      kind: 'dead';
      reason: DeadLetterReason;
      errorType: string;
      lastError: string;
      attempts: number;
      model: string | null;
    }
  /** Retries ran out on an error that may be the provider's, not the listing's: the shard decides. */
  | { kind: 'transient'; errorType: string; lastError: string; attempts: number; model: string }
  /** No budget left for the call: nothing was sent; the shard waits for a raise. */
  | { kind: 'budget'; lastError: string };
