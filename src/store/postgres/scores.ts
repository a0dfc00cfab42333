import type { PersistOutcome, ScoreRecord, ScoreStore } from '../store';
import { now, sqlLimit, type PgContext } from './context';

const SQL = {
  persistScore: `INSERT INTO scores (run_id, listing_id, call_id, model, score, confidence, reasoning, content_hash,
      prompt_version, schema_version, scored_at)
    SELECT c.run_id, c.listing_id, c.id, c.model, c.score, c.confidence, c.reasoning, i.content_hash,
      c.prompt_version, c.schema_version, $1
    FROM llm_calls c JOIN run_items i ON i.run_id = c.run_id AND i.listing_id = c.listing_id
    WHERE c.id = $2 AND c.run_id = $3 AND c.listing_id = $4 AND c.validation = 'valid'
    ON CONFLICT (run_id, listing_id) DO UPDATE SET call_id = excluded.call_id, model = excluded.model,
      score = excluded.score, confidence = excluded.confidence, reasoning = excluded.reasoning,
      content_hash = excluded.content_hash, prompt_version = excluded.prompt_version,
      schema_version = excluded.schema_version, scored_at = excluded.scored_at`,

  listScores: `SELECT run_id AS "runId", listing_id AS "listingId", call_id AS "callId", model, score, confidence,
      reasoning, content_hash AS "contentHash", scored_at AS "scoredAt", source
    FROM scores WHERE run_id = $1 ORDER BY score DESC, listing_id LIMIT $2 OFFSET $3`,
} as const;

/** Scores on PostgreSQL. */
export class PostgresScores implements ScoreStore {
  constructor(private readonly c: PgContext) {}

  async persistValidatedScore(runId: string, listingId: string, callId: number): Promise<PersistOutcome> {
    // The copy is conditional on the validation step's verdict: this is the gate, in SQL.
    const result = await this.c.pool.query(SQL.persistScore, [now(), callId, runId, listingId]);
    return (result.rowCount ?? 0) > 0 ? 'written' : 'not-validated';
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
