/** Statements on runs both backends run as written (see placeholders.ts). */
export const RUN_SQL = {
  // A retried or reset planning step must not rewind a run that already finished.
  upsertRun: `INSERT INTO runs (run_id, run_date, feed_path, criteria, status, started_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (run_id) DO UPDATE SET feed_path = excluded.feed_path, criteria = excluded.criteria`,

  finishRun: 'UPDATE runs SET status = $1, summary_json = $2, finished_at = $3 WHERE run_id = $4',

  scoreHistogram: 'SELECT score, COUNT(*) AS n FROM scores WHERE run_id = $1 GROUP BY score',
} as const;

/**
 * The run summary's outcome counts: one source for what a summary reports after a reset as
 * well as after a clean run.
 */
export const OUTCOME_SQL = {
  listingsByModel: `SELECT model AS k, COUNT(*) AS n FROM scores WHERE run_id = $1 AND source = 'llm'
    GROUP BY model ORDER BY model`,
  deadLetterReasons: `SELECT reason AS k, COUNT(*) AS n FROM dead_letters WHERE run_id = $1
    GROUP BY reason ORDER BY reason`,
  // Any call to the escalation model counts, failed or not: the cascade decided to escalate.
  escalations: `SELECT COUNT(DISTINCT c.listing_id) AS n FROM llm_calls c
    JOIN run_items i ON i.run_id = c.run_id AND i.listing_id = c.listing_id
    WHERE c.run_id = $1 AND i.escalation_model IS NOT NULL AND c.model = i.escalation_model`,
} as const;
