import type { PersistOutcome, ScoreRecord, ScoreStore } from '../store';
import { now, type SqliteContext } from './context';

/** Scores on SQLite. */
export class SqliteScores implements ScoreStore {
  constructor(private readonly c: SqliteContext) {}

  persistValidatedScore(runId: string, listingId: string, callId: number): Promise<PersistOutcome> {
    // The copy is conditional on the validation step's verdict: this is the gate, in SQL.
    const result = this.c
      .prepared(
        `INSERT INTO scores (run_id, listing_id, call_id, model, score, confidence, reasoning, content_hash,
           prompt_version, schema_version, scored_at)
         SELECT c.run_id, c.listing_id, c.id, c.model, c.score, c.confidence, c.reasoning, i.content_hash,
           c.prompt_version, c.schema_version, ?
         FROM llm_calls c JOIN run_items i ON i.run_id = c.run_id AND i.listing_id = c.listing_id
         WHERE c.id = ? AND c.run_id = ? AND c.listing_id = ? AND c.validation = 'valid'
         ON CONFLICT (run_id, listing_id) DO UPDATE SET call_id = excluded.call_id, model = excluded.model,
           score = excluded.score, confidence = excluded.confidence, reasoning = excluded.reasoning,
           content_hash = excluded.content_hash, prompt_version = excluded.prompt_version,
           schema_version = excluded.schema_version, scored_at = excluded.scored_at`,
      )
      .run(now(), callId, runId, listingId);
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
