import type { PersistOutcome, ScorePick, ScoreRecord, ScoreStore } from '../store';
import { allForSqlite } from '../sql/placeholders';
import { lastPickPerListing, SCORE_SQL } from '../sql/scores';
import { now, type SqliteContext } from './context';

const SQL = allForSqlite(SCORE_SQL);

/** Scores on SQLite. */
export class SqliteScores implements ScoreStore {
  constructor(private readonly c: SqliteContext) {}

  persistValidatedScore(runId: string, listingId: string, callId: number): Promise<PersistOutcome> {
    const result = this.c.prepared(SQL.persistValidated).run(now(), callId, runId, listingId);
    return Promise.resolve(result.changes > 0 ? 'written' : 'not-validated');
  }

  persistValidatedScores(runId: string, picks: ScorePick[]): Promise<Set<number>> {
    const stmt = this.c.prepared(SQL.persistValidated);
    const scoredAt = now();
    const written = this.c.db.transaction(() =>
      lastPickPerListing(picks).filter((p) => stmt.run(scoredAt, p.callId, runId, p.listingId).changes > 0),
    )();
    return Promise.resolve(new Set(written.map((p) => p.callId)));
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
