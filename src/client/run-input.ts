import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config';
import { defaultCriteria } from '../feed/criteria';
import type { DedupOptions } from '../shared/dedup';
import { RUN_DEFAULTS, type RunInput } from '../shared/messages';
import { ArgumentError, choice, isoDate, usdAmount } from './args';
import { addFeedFlags, feedOptions, type FeedFlags } from './feed-flags';
import { QUALITY_GATES, ROUTES } from './schedule-spec';

/** The flags every command that starts a run on a feed shares (`run`, `score`), as commander hands them over. */
export interface RunFlags extends FeedFlags {
  feed: string;
  date: string;
  criteriaFile?: string;
  budgetUsd?: string;
  dailyBudgetUsd?: string;
  route?: string;
  qualityGate?: string;
  dedup?: string;
  dedupThreshold?: string;
}

export const today = (): string => new Date().toISOString().slice(0, 10);

/** Declares the shared run flags on a command; buildRunInput reads them. One place for both. */
export function addRunFlags(cmd: Command): Command {
  return addFeedFlags(cmd)
    .requiredOption('--feed <path>', 'feed of listings: JSON lines or CSV')
    .option('--date <yyyy-mm-dd>', 'run date', today())
    .option('--criteria-file <path>', 'scoring criteria as text (default: the sample profile)')
    .option('--budget-usd <usd>', 'spend limit for this run')
    .option('--daily-budget-usd <usd>', "spend limit for the run date's runs together")
    .option('--route <route>', 'auto (default: Batch API, then sync for the rest), batch or sync')
    .option(
      '--quality-gate <mode>',
      'on drift: alarm (default), quarantine (hold the scores until reviewed) or off',
    )
    .option(
      '--dedup <mode>',
      'near: score one listing per cluster of near-duplicates (embeddings); off (default)',
    )
    .option(
      '--dedup-threshold <cosine>',
      `cosine similarity that makes two listings one job (default ${RUN_DEFAULTS.dedup.threshold})`,
    );
}

/** `--dedup near [--dedup-threshold 0.95]` as workflow options; a threshold alone is a mistake worth naming. */
export function dedupOptions(o: Pick<RunFlags, 'dedup' | 'dedupThreshold'>): DedupOptions | undefined {
  const mode = o.dedup === undefined ? undefined : choice('--dedup', o.dedup, ['off', 'near'] as const);
  if (o.dedupThreshold !== undefined && mode !== 'near')
    throw new ArgumentError('--dedup-threshold needs --dedup near');
  if (mode !== 'near') return undefined;
  if (o.dedupThreshold === undefined) return { mode };
  const threshold = Number(o.dedupThreshold);
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1)
    throw new ArgumentError(
      `--dedup-threshold must be a cosine similarity in (0, 1], got "${o.dedupThreshold}"`,
    );
  return { mode, threshold };
}

/**
 * The workflow input from the shared flags and the configuration. The retry policy is set by
 * the workflow, so SCORELINE_MAX_ATTEMPTS travels in the input (a worker's own environment
 * does not reach the workflow).
 */
export function buildRunInput(config: Config, o: RunFlags): RunInput & { runDate: string } {
  const runDate = isoDate('--date', o.date);
  const criteria = o.criteriaFile ? readFileSync(o.criteriaFile, 'utf8').trim() : defaultCriteria;
  if (!criteria) throw new ArgumentError(`--criteria-file ${o.criteriaFile} is empty`);
  const gate =
    o.qualityGate === undefined ? undefined : choice('--quality-gate', o.qualityGate, QUALITY_GATES);
  return {
    runDate,
    feedPath: resolve(o.feed),
    criteria,
    budgetUsd: o.budgetUsd === undefined ? undefined : usdAmount('--budget-usd', o.budgetUsd),
    dailyBudgetUsd:
      o.dailyBudgetUsd === undefined ? undefined : usdAmount('--daily-budget-usd', o.dailyBudgetUsd),
    route: o.route === undefined ? undefined : choice('--route', o.route, ROUTES),
    quality: gate ? { gate } : undefined,
    maxAttempts: config.maxAttempts,
    feed: feedOptions(o),
    dedup: dedupOptions(o),
  };
}

/** A workflow id for a run started by hand: the date and the time of day, so ids sort by start. */
export function runWorkflowId(runDate: string, prefix = 'daily'): string {
  return `${prefix}-${runDate}-${new Date().toISOString().slice(11, 19).replace(/:/g, '')}`;
}
