/**
 * The run summary's outcome counts, in SQL both stores run as written (SQLite takes `?` for
 * `$1`): one source for what a summary reports after a reset as well as after a clean run.
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
