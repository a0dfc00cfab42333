/**
 * Canary checks of the quality gate: golden listings with known score bands. They need no baseline,
 * so they are the only guard a run has before enough previous runs exist to compare against.
 */

export interface CanaryScore {
  listingId: string;
  score: number;
  /** Inclusive band (1–10) a correct scorer gives this listing; see `src/feed/canaries.ts`. */
  expectedBand: [number, number];
}

export interface CanaryThresholds {
  /** Any single canary further than this many points outside its band fails the run. */
  canaryMaxDistance: number;
  /** More than this share of canaries outside their band (by any amount) fails the run. */
  canaryOutsideShare: number;
}

export interface CanaryCheck {
  name: 'canary-distance' | 'canary-share';
  value: number;
  threshold: number;
  failed: boolean;
  detail: string;
}

/** Points a score lies outside an inclusive band: 0 inside it, else the gap to the nearer edge. */
export function bandDistance(score: number, [lo, hi]: readonly [number, number]): number {
  if (score < lo) return lo - score;
  return score > hi ? score - hi : 0;
}

/** Rejects bands and scores that cannot come from a 1–10 scorer, so a typo cannot pass silently. */
export function checkCanary(c: CanaryScore, label: string): void {
  const [lo, hi] = c.expectedBand;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi))
    throw new RangeError(`${label} (${c.listingId}) has an invalid band [${lo}, ${hi}]`);
  if (!Number.isFinite(c.score)) throw new RangeError(`${label} (${c.listingId}) has a non-finite score`);
}

// Scores and bands are whole or two-decimal numbers; the slack stops float error deciding a tie.
const SLACK = 1e-9;

/**
 * The two canary checks: the worst canary's distance outside its band (one wildly wrong canary —
 * an obeyed prompt injection, say — is drift however good the averages look), and the share of
 * canaries outside their band at all (many slightly wrong canaries are a shifted scorer).
 * Returns no checks when the run scored no canaries; the caller reports that.
 */
export function canaryChecks(canaries: readonly CanaryScore[], t: CanaryThresholds): CanaryCheck[] {
  if (canaries.length === 0) return [];
  canaries.forEach((c, i) => checkCanary(c, `canaries[${i}]`));
  const scored = canaries.map((c) => ({ ...c, distance: bandDistance(c.score, c.expectedBand) }));
  const worst = scored.reduce((w, c) => (c.distance > w.distance ? c : w));
  const outside = scored.filter((c) => c.distance > 0);
  const share = outside.length / scored.length;
  const band = (c: CanaryScore): string => `${c.expectedBand[0]}–${c.expectedBand[1]}`;
  const worstDetail =
    worst.distance === 0
      ? `all ${scored.length} canaries within their band`
      : `${worst.listingId} scored ${worst.score}, ${worst.distance} point${worst.distance === 1 ? '' : 's'} ` +
        `${worst.score < worst.expectedBand[0] ? 'below' : 'above'} its band ${band(worst)} ` +
        `(limit ${t.canaryMaxDistance})`;
  return [
    {
      name: 'canary-distance',
      value: worst.distance,
      threshold: t.canaryMaxDistance,
      failed: worst.distance - t.canaryMaxDistance > SLACK,
      detail: worstDetail,
    },
    {
      name: 'canary-share',
      value: share,
      threshold: t.canaryOutsideShare,
      failed: share - t.canaryOutsideShare > SLACK,
      detail:
        `${outside.length} of ${scored.length} canaries outside their band ` +
        `(${(share * 100).toFixed(0)}%; limit ${(t.canaryOutsideShare * 100).toFixed(0)}%)`,
    },
  ];
}
