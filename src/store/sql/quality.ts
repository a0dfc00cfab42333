/** The quality gate's read queries, shared by both backends (see placeholders.ts). */
import { CANARY_ID_PREFIX, type RunQualityCounts } from '../quality-store';

const CANARY = `'${CANARY_ID_PREFIX}%'`;

export const QUALITY_SQL = {
  histogram: `SELECT score, COUNT(*) AS n, SUM(confidence) AS confidence FROM scores
    WHERE run_id = $1 AND source = 'llm' AND listing_id NOT LIKE ${CANARY} GROUP BY score`,
  calls: `SELECT COUNT(*) AS answered,
      COALESCE(SUM(CASE WHEN validation = 'invalid' THEN 1 ELSE 0 END), 0) AS invalid,
      COALESCE(SUM(CASE WHEN refusal IS NOT NULL THEN 1 ELSE 0 END), 0) AS refusals
    FROM llm_calls WHERE run_id = $1 AND status = 'ok' AND listing_id NOT LIKE ${CANARY}`,
  canaries: `SELECT listing_id AS "listingId", score FROM scores
    WHERE run_id = $1 AND listing_id LIKE ${CANARY} ORDER BY listing_id`,
  previousRunsWhere: `criteria = $1 AND run_date <= $2 AND run_id <> $3
    AND status IN ('completed', 'quarantined') ORDER BY run_date DESC, started_at DESC LIMIT $4`,
} as const;

export interface QualityRows {
  histogram: Array<{ score: number; n: number; confidence: number }>;
  calls: { answered: number; invalid: number; refusals: number } | undefined;
  canaries: Array<{ listingId: string; score: number }>;
}

export function qualityCounts(rows: QualityRows): RunQualityCounts {
  const histogram = Array.from({ length: 10 }, () => 0);
  let confidenceSum = 0;
  for (const r of rows.histogram) {
    histogram[r.score - 1] = Number(r.n);
    confidenceSum += Number(r.confidence);
  }
  return {
    histogram,
    confidenceSum,
    answered: Number(rows.calls?.answered ?? 0),
    invalid: Number(rows.calls?.invalid ?? 0),
    refusals: Number(rows.calls?.refusals ?? 0),
    canaries: rows.canaries.map((c) => ({ listingId: c.listingId, score: Number(c.score) })),
  };
}
