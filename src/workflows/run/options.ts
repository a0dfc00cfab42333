import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';
import { RUN_DEFAULTS, type RunInput, type RunRoute } from '../../shared/messages';

const TEMPORAL_SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/** The date a Schedule meant this run for, in its time zone; a manual start means today. */
export function scheduledDate(timeZone: string): string {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(TEMPORAL_SCHEDULED_START_TIME);
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(scheduled ?? info.startTime);
}

/** The run input with every default of RUN_DEFAULTS filled in: what the phases read. */
export interface RunOptions {
  runDate: string;
  /** `{date}` already replaced. */
  feedPath: string;
  shardSize: number;
  maxConcurrentShards: number;
  listingConcurrency: number;
  shardsPerExecution: number;
  maxAttempts: number;
  escalateBelow: number;
  route: RunRoute;
  /** The input's deadline (ISO), if any: `cutoffAt` turns it into the batch pass's cutoff. */
  deadline?: string;
  syncReserveMs: number;
  batchPollMs: number;
  feedWaitMs: number;
  canaries: boolean;
}

export function resolveRunOptions(input: RunInput): RunOptions {
  const d = RUN_DEFAULTS;
  const runDate = input.runDate ?? scheduledDate(input.timezone ?? d.timezone);
  return {
    runDate,
    feedPath: input.feedPath.replaceAll('{date}', runDate),
    shardSize: input.shardSize ?? d.shardSize,
    maxConcurrentShards: input.maxConcurrentShards ?? d.maxConcurrentShards,
    listingConcurrency: input.listingConcurrency ?? d.listingConcurrency,
    shardsPerExecution: input.shardsPerExecution ?? d.shardsPerExecution,
    maxAttempts: input.maxAttempts ?? d.maxAttempts,
    escalateBelow: input.escalateBelow ?? d.escalateBelow,
    route: input.route ?? d.route,
    deadline: input.deadline,
    syncReserveMs: input.syncReserveMs ?? d.syncReserveMs,
    batchPollMs: input.batchPollMs ?? d.batchPollMs,
    feedWaitMs: input.feed?.waitMs ?? d.feed.waitMs,
    canaries: input.quality?.canaries ?? d.canaries,
  };
}

/** When unfinished batches are cancelled so the synchronous pass still meets the deadline. */
export function cutoffAt(opts: RunOptions, startedAt: number): number {
  const deadlineAt = opts.deadline ? Date.parse(opts.deadline) : startedAt + RUN_DEFAULTS.deadlineAfterMs;
  return deadlineAt - opts.syncReserveMs;
}
