import type { PersistOutcome, ScoreRecord, ScoreStore } from '../store';
import { allForSqlite } from '../sql/placeholders';
import { SCORE_SQL } from '../sql/scores';
import { now, type SqliteContext } from './context';

const SQL = allForSqlite(SCORE_SQL);

/** Scores on SQLite. */
export class SqliteScores implements ScoreStore {
  constructor(private readonly c: SqliteContext) {}

  persistValidatedScore(runId: string, listingId: string, callId: number): Promise<PersistOutcome> {
    const result = this.c.prepared(SQL.persistValidated).run(now(), callId, runId, listingId);
    return Promise.resolve(result.changes > 0 ? 'written' : 'not-validated');
  }

  listScores(runId: string, limit: number, offset: number): Promise<ScoreRecord[]> {
    const rows = this.c
      .prepared(
        `SELECT run_id AS runId, listing_id AS listingId, call_id AS callId, model, score, confidence, reasoning,
           content_hash AS contentHash, scored_at AS scoredAt, source
         FROM scores WHERE run_id = ? ORDER BY score DESC, listing_id LIMIT ? OFFSET ?`,
      )
      .all(runId, limit, offset) as ScoreRecord[];
    return Promise.resolve(rows);
  }
}
