/**
 * The outage breaker's arithmetic, pure and deterministic so a workflow can own it.
 *
 * Closed: calls flow; each LLM outcome is recorded in a sliding window. When enough of the
 * window failed with retryable errors, the breaker opens: nothing is dispatched, and one
 * probe is sent after `probeDelayMs`, doubling (to a cap) after each failed probe. A probe
 * that succeeds closes the breaker and clears the window.
 */
export interface BreakerConfig {
  window: number;
  minSamples: number;
  failureRatio: number;
  firstProbeMs: number;
  maxProbeMs: number;
}

export const DEFAULT_BREAKER: BreakerConfig = {
  window: 12,
  minSamples: 6,
  failureRatio: 0.5,
  firstProbeMs: 2_000,
  maxProbeMs: 5 * 60_000,
};

export interface BreakerState {
  open: boolean;
  outcomes: boolean[];
  probeDelayMs: number;
  openedAt: number | null;
  /** Total time spent open, for the run's accounting. */
  openMs: number;
  opened: number;
}

export function newBreaker(cfg: BreakerConfig = DEFAULT_BREAKER): BreakerState {
  return { open: false, outcomes: [], probeDelayMs: cfg.firstProbeMs, openedAt: null, openMs: 0, opened: 0 };
}

/** Records a normal (non-probe) outcome; returns true when this outcome opened the breaker. */
export function recordOutcome(
  s: BreakerState,
  ok: boolean,
  now: number,
  cfg: BreakerConfig = DEFAULT_BREAKER,
): boolean {
  if (s.open) return false;
  s.outcomes.push(ok);
  if (s.outcomes.length > cfg.window) s.outcomes.shift();
  const failures = s.outcomes.filter((o) => !o).length;
  // Only a failure can open the breaker: a success that lands in a window still full of an
  // earlier outage's failures must not re-open it (nothing would be probing).
  if (ok) return false;
  if (s.outcomes.length >= cfg.minSamples && failures / s.outcomes.length >= cfg.failureRatio) {
    s.open = true;
    s.openedAt = now;
    s.opened += 1;
    s.probeDelayMs = cfg.firstProbeMs;
    return true;
  }
  return false;
}

/** A probe's result: success closes the breaker; failure doubles the wait before the next probe. */
export function recordProbe(
  s: BreakerState,
  ok: boolean,
  now: number,
  cfg: BreakerConfig = DEFAULT_BREAKER,
): void {
  if (!s.open) return;
  if (ok) {
    s.open = false;
    s.outcomes = [];
    s.openMs += now - (s.openedAt ?? now);
    s.openedAt = null;
    s.probeDelayMs = cfg.firstProbeMs;
  } else {
    s.probeDelayMs = Math.min(cfg.maxProbeMs, s.probeDelayMs * 2);
  }
}

/** Share of recent outcomes that failed: above a quarter the API is not "otherwise healthy". */
export function recentFailureRatio(s: BreakerState): number {
  if (s.outcomes.length === 0) return 0;
  return s.outcomes.filter((o) => !o).length / s.outcomes.length;
}
