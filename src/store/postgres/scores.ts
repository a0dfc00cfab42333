import type { PersistOutcome, ScorePick, ScoreRecord, ScoreStore } from '../store';
import { lastPickPerListing, PERSIST_VALIDATED_MANY, SCORE_SQL } from '../sql/scores';
import { now, sqlLimit, type PgContext } from './context';

const SQL = {
  listScores: `SELECT run_id AS "runId", listing_id AS "listingId", call_id AS "callId", model, score, confidence,
      reasoning, content_hash AS "contentHash", scored_at AS "scoredAt", source
    FROM scores WHERE run_id = $1 ORDER BY score DESC, listing_id LIMIT $2 OFFSET $3`,
} as const;

/** Scores on PostgreSQL. */
export class PostgresScores implements ScoreStore {
  constructor(private readonly c: PgContext) {}

  async persistValidatedScore(runId: string, listingId: string, callId: number): Promise<PersistOutcome> {
    const result = await this.c.pool.query(SCORE_SQL.persistValidated, [now(), callId, runId, listingId]);
    return (result.rowCount ?? 0) > 0 ? 'written' : 'not-validated';
  }

  async persistValidatedScores(runId: string, picks: ScorePick[]): Promise<Set<number>> {
    const kept = lastPickPerListing(picks);
    if (kept.length === 0) return new Set();
    const { rows } = await this.c.pool.query<{ call_id: number }>(PERSIST_VALIDATED_MANY, [
      now(),
      runId,
      kept.map((p) => p.callId),
      kept.map((p) => p.listingId),
    ]);
    return new Set(rows.map((r) => r.call_id));
  }

  async listScores(runId: string, limit: number, offset: number): Promise<ScoreRecord[]> {
    const result = await this.c.pool.query<ScoreRecord>(SQL.listScores, [
      runId,
      sqlLimit(limit),
      Math.max(0, offset),
    ]);
    return result.rows;
  }
}
