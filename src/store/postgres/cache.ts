import { UNPUBLISHED_STATUSES, type CacheStore, type PersistOutcome } from '../store';
import { CACHE_SQL } from '../sql/cache';
import { now, type PgContext } from './context';

const UNPUBLISHED = UNPUBLISHED_STATUSES.map((s) => `'${s}'`).join(', ');

const SQL = {
  // The answer kept for each prompt (the score's call: the large model's after an escalation).
  validCalls: `SELECT DISTINCT ON (c.prompt_hash) c.prompt_hash AS "promptHash", s.call_id AS id
    FROM llm_calls c
    JOIN scores s ON s.run_id = c.run_id AND s.listing_id = c.listing_id AND s.source = 'llm'
    WHERE c.prompt_hash = ANY($1::text[]) AND c.validation = 'valid' AND c.status = 'ok'
      AND c.run_id IS DISTINCT FROM $2::text
      AND c.run_id NOT IN (SELECT run_id FROM runs WHERE status IN (${UNPUBLISHED}))
    ORDER BY c.prompt_hash, s.scored_at DESC, s.call_id DESC`,
} as const;

/** The cache on PostgreSQL: every prompt hash in one query. */
export class PostgresCache implements CacheStore {
  constructor(private readonly c: PgContext) {}

  async findValidCalls(promptHashes: string[], excludeRunId?: string): Promise<Map<string, number>> {
    const unique = [...new Set(promptHashes)];
    if (unique.length === 0) return new Map();
    const rows = (
      await this.c.pool.query<{ promptHash: string; id: number }>(SQL.validCalls, [
        unique,
        excludeRunId ?? null,
      ])
    ).rows;
    const byHash = new Map(rows.map((r) => [r.promptHash, r.id]));
    // In the order the hashes were asked for, as SqliteStore answers them one by one.
    const found = new Map<string, number>();
    for (const hash of unique) {
      const id = byHash.get(hash);
      if (id !== undefined) found.set(hash, id);
    }
    return found;
  }

  async persistCachedScore(runId: string, listingId: string, sourceCallId: number): Promise<PersistOutcome> {
    const inserted = await this.c.pool.query(CACHE_SQL.persistCached, [
      now(),
      runId,
      listingId,
      sourceCallId,
    ]);
    if ((inserted.rowCount ?? 0) > 0) return 'written';
    // A second statement, so it sees a score a concurrent writer committed after the insert's
    // snapshot was taken (the row ON CONFLICT DO NOTHING just deferred to).
    const exists = await this.c.pool.query(CACHE_SQL.exists, [runId, listingId]);
    return (exists.rowCount ?? 0) > 0 ? 'written' : 'not-validated';
  }
}
