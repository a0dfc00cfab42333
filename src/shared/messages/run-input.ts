/** What starts a run: the workflow input, what continue-as-new carries, and how the feed is read. */
import type { QualityOptions } from '../quality';
import type { DedupOptions } from '../dedup';
import type { PlanResult } from './plan';
import type { ShardTotals } from './shard';

export type RunRoute = 'auto' | 'batch' | 'sync';

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
  feed?: FeedOptions;
  /** Near-duplicate listings scored once (see src/dedup); off unless `mode: 'near'`. */
  dedup?: DedupOptions;
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

export interface RerunSource {
  runId: string;
  /** Only these listings (default: every open dead letter of the source run). */
  listingIds?: string[];
}

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

/**
 * Every default of a run's input, in one place: the workflow reads its effective values
 * through `resolveRunOptions` (src/workflows/run/options.ts), planning reads `feed`, the
 * near-duplicate step reads `dedup`, and the CLI and the configuration quote them.
 */
export const RUN_DEFAULTS = {
  shardSize: 100,
  maxConcurrentShards: 8,
  listingConcurrency: 25,
  // A parent writes about 23 events per shard (bench: 5,671 at 250), so 200 keeps it under 5,000.
  shardsPerExecution: 200,
  maxAttempts: 3,
  escalateBelow: 0.6,
  /** The time zone that turns a scheduled start into a run date. */
  timezone: 'UTC',
  route: 'auto' as RunRoute,
  /** With no `deadline`: this long after the run started. */
  deadlineAfterMs: 20 * 3600_000,
  syncReserveMs: 2 * 3600_000,
  batchPollMs: 60_000,
  /** The golden canary listings go into the plan (only with the default criteria). */
  canaries: true,
  feed: { waitMs: 5 * 60_000, maxRejectedShare: 0.5 },
  dedup: {
    threshold: 0.95,
    model: 'text-embedding-3-small',
    dimensions: 1024,
    lookbackDays: 30,
  },
} as const;

export interface BudgetChange {
  budgetUsd?: number;
  dailyBudgetUsd?: number;
}
