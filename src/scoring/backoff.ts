export interface BackoffConfig {
  initialMs: number;
  maxMs: number;
  multiplier: number;
}

export const DEFAULT_BACKOFF: BackoffConfig = { initialMs: 1000, maxMs: 5 * 60_000, multiplier: 2 };

/**
 * Delay before the next attempt. Temporal's retry policy is deterministic exponential
 * backoff with no jitter, so a burst of failures would retry in lockstep; the activity
 * overrides it through `nextRetryDelay` with this value.
 *
 * - With a server hint (Retry-After): wait at least that long, plus up to 20% (≥ 250 ms)
 *   of spread so that the callers told the same instant do not all return at it. Not capped:
 *   the server knows when it will take requests again.
 * - Otherwise: "full jitter" (uniform between 0 and the exponential ceiling), which AWS's
 *   backoff study found spreads contending clients best, floored at 10% of the ceiling so a
 *   retry is never immediate.
 *
 * @param attempt the attempt that just failed, 1-based (Temporal's `info.attempt`)
 * @param random a uniform [0, 1) source, injectable for tests
 */
export function nextRetryDelayMs(
  attempt: number,
  retryAfterMs: number | null,
  cfg: BackoffConfig = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== null) {
    const spread = Math.max(250, retryAfterMs * 0.2);
    return Math.round(retryAfterMs + random() * spread);
  }
  const ceiling = Math.min(cfg.maxMs, cfg.initialMs * cfg.multiplier ** Math.max(0, attempt - 1));
  const floor = ceiling * 0.1;
  return Math.round(floor + random() * (ceiling - floor));
}
