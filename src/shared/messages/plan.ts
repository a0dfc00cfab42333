/** Planning: what planRun is asked and what it answers (ids and counts, never listing text). */
import type { DedupResult } from '../dedup';
import type { FeedOptions, RerunSource } from './run-input';

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
  /** `waitMs` is the workflow's business; planRun reads the rest. */
  feed?: FeedOptions;
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
  /** Feed keys or columns that are no listing field, set aside with a warning (first 50). */
  unknownKeys?: string[];
  /** Listings whose language was detected because the feed did not state it. */
  languagesDetected?: number;
  /** Set when the run clustered near-duplicates. */
  dedup?: DedupResult;
}
