/** Statements of the cache both backends run as written (see placeholders.ts). */
export const CACHE_SQL = {
  // Unlike SCORE_SQL.persistValidated, the call may come from any run: it is matched by
  // prompt, not by listing.
  persistCached: `INSERT INTO scores (run_id, listing_id, call_id, model, score, confidence, reasoning,
      content_hash, prompt_version, schema_version, scored_at, source)
    SELECT i.run_id, i.listing_id, c.id, c.model, c.score, c.confidence, c.reasoning, i.content_hash,
      c.prompt_version, c.schema_version, $1, 'cache'
    FROM llm_calls c JOIN run_items i ON i.run_id = $2 AND i.listing_id = $3
    WHERE c.id = $4 AND c.validation = 'valid'
    ON CONFLICT (run_id, listing_id) DO NOTHING`,

  exists: 'SELECT 1 FROM scores WHERE run_id = $1 AND listing_id = $2',
} as const;
