const COLUMNS = `run_id, listing_id, call_id, model, score, confidence, reasoning, content_hash, prompt_version,
  schema_version, scored_at`;

const FROM_CALL = `c.run_id, c.listing_id, c.id, c.model, c.score, c.confidence, c.reasoning, i.content_hash,
  c.prompt_version, c.schema_version`;

// A later valid answer (an escalation's, a re-collected batch's) replaces the score.
const REPLACE = `ON CONFLICT (run_id, listing_id) DO UPDATE SET call_id = excluded.call_id, model = excluded.model,
  score = excluded.score, confidence = excluded.confidence, reasoning = excluded.reasoning,
  content_hash = excluded.content_hash, prompt_version = excluded.prompt_version,
  schema_version = excluded.schema_version, scored_at = excluded.scored_at`;

/** Statements on scores both backends run as written (see placeholders.ts). */
export const SCORE_SQL = {
  // The copy is conditional on the validation step's verdict: this is the gate, in SQL.
  persistValidated: `INSERT INTO scores (${COLUMNS})
    SELECT ${FROM_CALL}, $1
    FROM llm_calls c JOIN run_items i ON i.run_id = c.run_id AND i.listing_id = c.listing_id
    WHERE c.id = $2 AND c.run_id = $3 AND c.listing_id = $4 AND c.validation = 'valid'
    ${REPLACE}`,
} as const;

/**
 * The same gate for many calls in one PostgreSQL statement (arrays of call ids and listing ids,
 * one listing each): SQLite runs `persistValidated` per call in one transaction instead.
 */
export const PERSIST_VALIDATED_MANY = `INSERT INTO scores (${COLUMNS})
  SELECT ${FROM_CALL}, $1
  FROM unnest($3::bigint[], $4::text[]) WITH ORDINALITY AS p (call_id, listing_id, ord)
  JOIN llm_calls c ON c.id = p.call_id AND c.run_id = $2 AND c.listing_id = p.listing_id
  JOIN run_items i ON i.run_id = c.run_id AND i.listing_id = c.listing_id
  WHERE c.validation = 'valid'
  ORDER BY p.ord
  ${REPLACE}
  RETURNING call_id`;

/**
 * The picks `persistValidatedScores` writes: one per listing, the last one named (as writing
 * them in turn would leave it), in listing order so concurrent writers lock rows alike.
 */
export function lastPickPerListing<P extends { listingId: string }>(picks: readonly P[]): P[] {
  const byListing = new Map<string, P>();
  for (const p of picks) byListing.set(p.listingId, p);
  return [...byListing.values()].sort((a, b) => (a.listingId < b.listingId ? -1 : 1));
}
