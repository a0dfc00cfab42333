import type { DeadLetterRecord, DeadLetterStore, NewDeadLetter } from '../store';
import { DEAD_LETTER_SQL } from '../sql/dead-letters';
import { allForSqlite } from '../sql/placeholders';
import type { SqliteContext } from './context';

const SQL = allForSqlite(DEAD_LETTER_SQL);

const LETTER_COLUMNS = `run_id AS runId, listing_id AS listingId, reason, error_type AS errorType,
  last_error AS lastError, attempts, model, created_at AS createdAt, status, note`;

/** Dead letters on SQLite. */
export class SqliteDeadLetters implements DeadLetterStore {
  constructor(private readonly c: SqliteContext) {}

  deadLetter(d: NewDeadLetter): Promise<void> {
    this.c
      .prepared(SQL.upsert)
      .run(d.runId, d.listingId, d.reason, d.errorType, d.lastError, d.attempts, d.model, d.createdAt);
    return Promise.resolve();
  }

  listDeadLetters(runId?: string): Promise<DeadLetterRecord[]> {
    const rows = this.c
      .prepared(
        `SELECT ${LETTER_COLUMNS} FROM dead_letters ${runId ? 'WHERE run_id = ?' : ''} ORDER BY created_at`,
      )
      .all(...(runId ? [runId] : [])) as DeadLetterRecord[];
    return Promise.resolve(rows);
  }

  getDeadLetter(runId: string, listingId: string): Promise<DeadLetterRecord | undefined> {
    const row = this.c
      .prepared(`SELECT ${LETTER_COLUMNS} FROM dead_letters WHERE run_id = ? AND listing_id = ?`)
      .get(runId, listingId) as DeadLetterRecord | undefined;
    return Promise.resolve(row);
  }

  resolveDeadLetter(runId: string, listingId: string, note: string): Promise<boolean> {
    const r = this.c.prepared(SQL.resolve).run(note, runId, listingId);
    return Promise.resolve(r.changes > 0);
  }

  planFromDeadLetters(runId: string, sourceRunId: string, listingIds?: string[]): Promise<number> {
    const plan = this.c.db.transaction((): number => {
      const existing = (
        this.c.prepared('SELECT COUNT(*) AS n FROM run_items WHERE run_id = ?').get(runId) as { n: number }
      ).n;
      if (existing > 0) return existing;
      const only = listingIds ? new Set(listingIds) : undefined;
      const letters = (
        this.c
          .prepared(
            `SELECT i.listing_id AS listingId, i.content_hash AS contentHash FROM dead_letters d
             JOIN run_items i ON i.run_id = d.run_id AND i.listing_id = d.listing_id
             WHERE d.run_id = ? AND d.status = 'open' ORDER BY i.listing_id`,
          )
          .all(sourceRunId) as Array<{ listingId: string; contentHash: string }>
      ).filter((l) => !only || only.has(l.listingId));
      const insert = this.c.prepared(
        'INSERT INTO run_items (run_id, seq, listing_id, content_hash) VALUES (?, ?, ?, ?)',
      );
      const mark = this.c.prepared(
        `UPDATE dead_letters SET status = 'requeued', note = ? WHERE run_id = ? AND listing_id = ?`,
      );
      letters.forEach((l, seq) => {
        insert.run(runId, seq, l.listingId, l.contentHash);
        mark.run(`requeued to ${runId}`, sourceRunId, l.listingId);
      });
      return letters.length;
    });
    return Promise.resolve(plan.immediate());
  }
}
