/** Statements on scores both backends run as written (see placeholders.ts). */
export const SCORE_SQL = {
  // The copy is conditional on the validation step's verdict: this is the gate, in SQL.
  persistValidated: `INSERT INTO scores (run_id, listing_id, call_id, model, score, confidence, reasoning,
      content_hash, prompt_version, schema_version, scored_at)
    SELECT c.run_id, c.listing_id, c.id, c.model, c.score, c.confidence, c.reasoning, i.content_hash,
      c.prompt_version, c.schema_version, $1
    FROM llm_calls c JOIN run_items i ON i.run_id = c.run_id AND i.listing_id = c.listing_id
    WHERE c.id = $2 AND c.run_id = $3 AND c.listing_id = $4 AND c.validation = 'valid'
    ON CONFLICT (run_id, listing_id) DO UPDATE SET call_id = excluded.call_id, model = excluded.model,
      score = excluded.score, confidence = excluded.confidence, reasoning = excluded.reasoning,
      content_hash = excluded.content_hash, prompt_version = excluded.prompt_version,
      schema_version = excluded.schema_version, scored_at = excluded.scored_at`,
} as const;
