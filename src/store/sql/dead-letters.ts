/** Statements on dead letters both backends run as written (see placeholders.ts). */
export const DEAD_LETTER_SQL = {
  // A listing dead-lettered again in the same run (a reset, a retried step) is open again,
  // with the latest failure.
  upsert: `INSERT INTO dead_letters (run_id, listing_id, reason, error_type, last_error, attempts, model,
      created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (run_id, listing_id) DO UPDATE SET reason = excluded.reason, error_type = excluded.error_type,
      last_error = excluded.last_error, attempts = excluded.attempts, model = excluded.model, status = 'open'`,

  resolve: `UPDATE dead_letters SET status = 'resolved', note = $1 WHERE run_id = $2 AND listing_id = $3`,
} as const;
