import type { DeadLetterRecord, DeadLetterStore, NewDeadLetter } from '../store';
import { DEAD_LETTER_SQL } from '../sql/dead-letters';
import type { PgContext } from './context';

const SQL = {
  // Ties on created_at are broken by key: SQLite leaves their order to the query plan.
  listDeadLetters: (where: string) => `SELECT run_id AS "runId", listing_id AS "listingId", reason,
      error_type AS "errorType", last_error AS "lastError", attempts, model, created_at AS "createdAt", status, note
    FROM dead_letters ${where} ORDER BY created_at, run_id, listing_id`,

  // Serialises concurrent planners of the same run (a retried activity racing itself).
  lockRun: 'SELECT pg_advisory_xact_lock(hashtext($1))',

  planned: 'SELECT COUNT(*) AS n FROM run_items WHERE run_id = $1',

  openLetters: `SELECT i.listing_id AS "listingId", i.content_hash AS "contentHash" FROM dead_letters d
    JOIN run_items i ON i.run_id = d.run_id AND i.listing_id = d.listing_id
    WHERE d.run_id = $1 AND d.status = 'open' AND ($2::text[] IS NULL OR d.listing_id = ANY($2))
    ORDER BY i.listing_id COLLATE "C"`,

  insertPlan: `INSERT INTO run_items (run_id, seq, listing_id, content_hash)
    SELECT $1, s.seq, s.listing_id, s.content_hash
    FROM UNNEST($2::int[], $3::text[], $4::text[]) AS s(seq, listing_id, content_hash)`,

  markRequeued: `UPDATE dead_letters SET status = 'requeued', note = $1
    WHERE run_id = $2 AND listing_id = ANY($3::text[])`,
} as const;

/** Dead letters on PostgreSQL. */
export class PostgresDeadLetters implements DeadLetterStore {
  constructor(private readonly c: PgContext) {}

  async deadLetter(d: NewDeadLetter): Promise<void> {
    // prettier-ignore
    await this.c.pool.query(DEAD_LETTER_SQL.upsert, [
      d.runId, d.listingId, d.reason, d.errorType, d.lastError, d.attempts, d.model, d.createdAt,
    ]);
  }

  async listDeadLetters(runId?: string): Promise<DeadLetterRecord[]> {
    const result = await this.c.pool.query<DeadLetterRecord>(
      SQL.listDeadLetters(runId ? 'WHERE run_id = $1' : ''),
      runId ? [runId] : [],
    );
    return result.rows;
  }

  async getDeadLetter(runId: string, listingId: string): Promise<DeadLetterRecord | undefined> {
    return this.c.one<DeadLetterRecord>(SQL.listDeadLetters('WHERE run_id = $1 AND listing_id = $2'), [
      runId,
      listingId,
    ]);
  }

  async resolveDeadLetter(runId: string, listingId: string, note: string): Promise<boolean> {
    const r = await this.c.pool.query(DEAD_LETTER_SQL.resolve, [note, runId, listingId]);
    return (r.rowCount ?? 0) > 0;
  }

  async planFromDeadLetters(runId: string, sourceRunId: string, listingIds?: string[]): Promise<number> {
    return this.c.transaction(async (client) => {
      await client.query(SQL.lockRun, [runId]);
      const existing = await client.query<{ n: string }>(SQL.planned, [runId]);
      if (Number(existing.rows[0]?.n ?? 0) > 0) return Number(existing.rows[0]?.n);
      const letters = await client.query<{ listingId: string; contentHash: string }>(SQL.openLetters, [
        sourceRunId,
        listingIds ?? null,
      ]);
      const rows = letters.rows;
      if (rows.length === 0) return 0;
      await client.query(SQL.insertPlan, [
        runId,
        rows.map((_, i) => i),
        rows.map((r) => r.listingId),
        rows.map((r) => r.contentHash),
      ]);
      await client.query(SQL.markRequeued, [
        `requeued to ${runId}`,
        sourceRunId,
        rows.map((r) => r.listingId),
      ]);
      return rows.length;
    });
  }
}
