/**
 * Rates from a time series of cumulative counts (the simulator's admitted requests per
 * model, sampled by the bench). Pure functions, so the arithmetic is tested on its own.
 */

/** A cumulative count at `t` milliseconds (any origin; only differences matter). */
export interface Point {
  t: number;
  n: number;
}

export interface RateSummary {
  /** Requests admitted between the first and the last increase. */
  admitted: number;
  /** From the last sample before the first increase to the first sample at the final count. */
  spanMs: number;
  /** admitted ÷ span, per minute. */
  perMinute: number;
  /** The most admitted within any window of `peakWindowMs` (default 60 s), from the samples. */
  peakPerWindow: number;
  /**
   * The median per-minute rate over consecutive full windows of `windowMs` inside the span:
   * the sustained rate, insensitive to the opening burst a full token bucket allows and to
   * the tail while the last stragglers finish.
   */
  sustainedPerMinute: number;
}

/** The count at time t: the last sample at or before it (counts only ever grow). */
export function countAt(points: readonly Point[], t: number): number {
  let lo = 0;
  let hi = points.length - 1;
  if (hi < 0 || (points[0] as Point).t > t) return points[0]?.n ?? 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((points[mid] as Point).t <= t) lo = mid;
    else hi = mid - 1;
  }
  return (points[lo] as Point).n;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarizeRate(
  points: readonly Point[],
  opts: { windowMs?: number; peakWindowMs?: number } = {},
): RateSummary {
  const windowMs = opts.windowMs ?? 10_000;
  const peakWindowMs = opts.peakWindowMs ?? 60_000;
  const empty: RateSummary = {
    admitted: 0,
    spanMs: 0,
    perMinute: 0,
    peakPerWindow: 0,
    sustainedPerMinute: 0,
  };
  if (points.length < 2) return empty;
  const first = (points[0] as Point).n;
  const last = (points[points.length - 1] as Point).n;
  if (last === first) return empty;
  // The span starts at the last sample still at the initial count and ends at the first at the final one.
  let startIdx = 0;
  while (startIdx + 1 < points.length && (points[startIdx + 1] as Point).n === first) startIdx++;
  let endIdx = points.length - 1;
  while (endIdx - 1 > startIdx && (points[endIdx - 1] as Point).n === last) endIdx--;
  const start = (points[startIdx] as Point).t;
  const end = (points[endIdx] as Point).t;
  const spanMs = Math.max(1, end - start);
  const admitted = last - first;

  let peak = 0;
  for (let i = startIdx; i <= endIdx; i++) {
    const p = points[i] as Point;
    peak = Math.max(peak, p.n - countAt(points, p.t - peakWindowMs));
  }

  const rates: number[] = [];
  for (let w = start; w + windowMs <= end; w += windowMs) {
    rates.push(((countAt(points, w + windowMs) - countAt(points, w)) / windowMs) * 60_000);
  }
  const perMinute = (admitted / spanMs) * 60_000;
  return {
    admitted,
    spanMs,
    perMinute,
    peakPerWindow: peak,
    sustainedPerMinute: rates.length > 0 ? median(rates) : perMinute,
  };
}

/** One series per key out of samples of cumulative counts by key (keys missing early count as 0). */
export function splitSeries(
  samples: ReadonlyArray<{ t: number; counts: Readonly<Record<string, number>> }>,
): Record<string, Point[]> {
  const keys = new Set<string>();
  for (const s of samples) for (const k of Object.keys(s.counts)) keys.add(k);
  const out: Record<string, Point[]> = {};
  for (const k of keys) out[k] = samples.map((s) => ({ t: s.t, n: s.counts[k] ?? 0 }));
  return out;
}
