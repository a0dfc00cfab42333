import { UNPUBLISHED_STATUSES, type CacheStore, type PersistOutcome } from '../store';
import { allForSqlite } from '../sql/placeholders';
import { CACHE_SQL } from '../sql/cache';
import { now, type SqliteContext } from './context';

const SQL = allForSqlite(CACHE_SQL);

const UNPUBLISHED = UNPUBLISHED_STATUSES.map((s) => `'${s}'`).join(', ');

/** The cache on SQLite: one indexed lookup per prompt hash. */
export class SqliteCache implements CacheStore {
  constructor(private readonly c: SqliteContext) {}

  findValidCalls(promptHashes: string[], excludeRunId?: string): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    // The answer that was kept for that prompt (the score's call, which is the large model's
    // after an escalation), not merely the first valid one: a cache hit must repeat the score.
    const stmt = this.c.prepared(
      `SELECT s.call_id AS id FROM llm_calls c
       JOIN scores s ON s.run_id = c.run_id AND s.listing_id = c.listing_id AND s.source = 'llm'
       WHERE c.prompt_hash = ? AND c.validation = 'valid' AND c.status = 'ok' AND c.run_id IS NOT ?
         AND c.run_id NOT IN (SELECT run_id FROM runs WHERE status IN (${UNPUBLISHED}))
       ORDER BY s.scored_at DESC, s.call_id DESC LIMIT 1`,
    );
    for (const hash of new Set(promptHashes)) {
      const row = stmt.get(hash, excludeRunId ?? null) as { id: number } | undefined;
      if (row) found.set(hash, row.id);
    }
    return Promise.resolve(found);
  }

  persistCachedScore(runId: string, listingId: string, sourceCallId: number): Promise<PersistOutcome> {
    const result = this.c.prepared(SQL.persistCached).run(now(), runId, listingId, sourceCallId);
    if (result.changes > 0) return Promise.resolve('written');
    const exists = this.c.prepared(SQL.exists).get(runId, listingId);
    return Promise.resolve(exists ? 'written' : 'not-validated');
  }
}
