import type { PersistOutcome } from './score-store';

/** The cache: valid answers of earlier runs, found by prompt hash and reused as this run's scores. */
export interface CacheStore {
  /**
   * For each prompt hash, the call whose answer was kept (persisted as the score)
   * where that exact prompt got a valid answer — after an escalation, the large model's — from
   * runs other than `excludeRunId`. A run never hits its own calls, so planning it
   * again (a retry, a reset from the UI) produces the same plan.
   */
  findValidCalls(promptHashes: string[], excludeRunId?: string): Promise<Map<string, number>>;
  /** Reuses a valid answer from an earlier run as this run's score (source 'cache'). */
  persistCachedScore(runId: string, listingId: string, sourceCallId: number): Promise<PersistOutcome>;
}
