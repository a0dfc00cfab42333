/**
 * Distribution statistics for the quality gate: Population Stability Index and the two-sample
 * Kolmogorov–Smirnov test. Pure and deterministic (no I/O, no randomness, no Node built-ins), so
 * workflows may call them directly.
 */

/**
 * Floor for an empty bin's proportion in {@link psi}. PSI takes ln(actual/expected) per bin, which
 * is infinite when either side is 0. Flooring both proportions at 1e-4 (one listing in 10,000) is
 * the usual industry fix: it sits just below the resolution of a 2,000–10,000-score baseline, so
 * a bin that is merely unobserved costs little, while real mass appearing in a never-seen bin still
 * costs a lot (5% into an empty bin adds 0.05·ln(500) ≈ 0.31 on its own). We do not renormalise
 * after flooring: the bias is at most bins·ε = 0.001 for 10 buckets, and bins empty on both sides
 * still contribute exactly 0.
 */
export const PSI_EPSILON = 1e-4;

/** Conventional PSI reading: below 0.1 stable, 0.1–0.25 moderate shift, above 0.25 significant. */
export const PSI_MODERATE = 0.1;
export const PSI_SIGNIFICANT = 0.25;

export interface PsiOptions {
  /** Floor for empty-bin proportions (see {@link PSI_EPSILON}). */
  epsilon?: number;
}

function checkCounts(counts: readonly number[], label: string): number {
  let total = 0;
  for (const [i, c] of counts.entries()) {
    if (!Number.isFinite(c) || c < 0)
      throw new RangeError(`${label}[${i}] must be a finite count ≥ 0, got ${c}`);
    total += c;
  }
  if (total <= 0) throw new RangeError(`${label} must hold at least one observation`);
  return total;
}

function checkSameLength(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length || a.length === 0)
    throw new RangeError(
      `histograms must have the same, non-zero number of bins (${a.length} vs ${b.length})`,
    );
}

/**
 * Population Stability Index of `actual` against `expected`, both binned counts over the same bins
 * (for scores: index i holds score i+1). With p and q the two sides' proportions,
 * PSI = Σ (q_i − p_i)·ln(q_i / p_i): the symmetric Kullback–Leibler divergence (J-divergence)
 * between the two binned distributions. Counts are normalised first, so run size does not matter;
 * the index is symmetric in its arguments and 0 exactly when the proportions agree.
 */
export function psi(expected: readonly number[], actual: readonly number[], opts: PsiOptions = {}): number {
  const epsilon = opts.epsilon ?? PSI_EPSILON;
  if (!(epsilon > 0 && epsilon < 1)) throw new RangeError(`epsilon must be in (0, 1), got ${epsilon}`);
  checkSameLength(expected, actual);
  const totalE = checkCounts(expected, 'expected');
  const totalA = checkCounts(actual, 'actual');
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const p = Math.max((expected[i] ?? 0) / totalE, epsilon);
    const q = Math.max((actual[i] ?? 0) / totalA, epsilon);
    sum += (q - p) * Math.log(q / p);
  }
  return sum;
}

/** The conventional reading of a PSI value. */
export function psiBand(value: number): 'stable' | 'moderate' | 'significant' {
  if (value < PSI_MODERATE) return 'stable';
  return value <= PSI_SIGNIFICANT ? 'moderate' : 'significant';
}

export interface KsResult {
  /** Largest vertical distance between the two empirical CDFs, in [0, 1]. */
  d: number;
  /** Asymptotic p-value of D under "same distribution"; conservative for discrete scores. */
  pValue: number;
  n1: number;
  n2: number;
  /** n1·n2/(n1+n2): the sample size the Kolmogorov limit is scaled by. */
  effectiveN: number;
}

/** Scores as a histogram: `histogram[i]` counts the value i+1 (so 10 bins hold scores 1..10). */
export interface HistogramSample {
  histogram: readonly number[];
}

/** Raw observations, or a histogram of integer scores starting at 1. */
export type KsSample = readonly number[] | HistogramSample;

/**
 * Survival function of the Kolmogorov distribution, Q(λ) = P(K > λ), where K is the limit of
 * √n·sup|F_n − F|. Two classic series for the same function: the alternating
 * Q = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²} converges in a few terms for large λ but slowly near 0,
 * while the Jacobi-theta form P(K ≤ λ) = (√(2π)/λ) Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)} converges fast for
 * small λ. Switching at λ = 1.18 (as Numerical Recipes does) keeps both to a handful of terms.
 */
export function kolmogorovQ(lambda: number): number {
  if (Number.isNaN(lambda)) throw new RangeError('lambda must be a number');
  if (lambda <= 0) return 1;
  if (lambda < 1.18) {
    const y = Math.exp(-(Math.PI * Math.PI) / (8 * lambda * lambda));
    let sum = 0;
    for (let k = 1; k <= 50; k++) {
      const term = y ** ((2 * k - 1) ** 2);
      sum += term;
      if (term <= 1e-17 * sum) break;
    }
    return clamp01(1 - (Math.sqrt(2 * Math.PI) / lambda) * sum);
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term <= 1e-17 * Math.abs(sum)) break;
  }
  return clamp01(2 * sum);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/**
 * D with its asymptotic p-value. λ uses Stephens' small-sample correction
 * (√nₑ + 0.12 + 0.11/√nₑ)·D, which keeps the limit law usable down to nₑ of about 4.
 */
function ksResult(d: number, n1: number, n2: number): KsResult {
  const effectiveN = (n1 * n2) / (n1 + n2);
  const root = Math.sqrt(effectiveN);
  const pValue = d === 0 ? 1 : kolmogorovQ((root + 0.12 + 0.11 / root) * d);
  return { d, pValue, n1, n2, effectiveN };
}

/**
 * Two-sample KS on histograms over the same ordered bins (runs store scores this way). Both
 * empirical CDFs are step functions that only move at bin values, so comparing the cumulative
 * shares after each bin gives the exact D.
 *
 * Ties: the Kolmogorov limit assumes continuous data. Integer scores tie massively, and with ties the
 * true null distribution of D is stochastically smaller, so the p-value here is an upper bound:
 * the test is conservative (fewer false alarms, somewhat less power), never anti-conservative.
 */
export function ksFromHistograms(h1: readonly number[], h2: readonly number[]): KsResult {
  checkSameLength(h1, h2);
  const n1 = checkCounts(h1, 'h1');
  const n2 = checkCounts(h2, 'h2');
  let c1 = 0;
  let c2 = 0;
  let d = 0;
  for (let i = 0; i < h1.length; i++) {
    c1 += h1[i] ?? 0;
    c2 += h2[i] ?? 0;
    d = Math.max(d, Math.abs(c1 / n1 - c2 / n2));
  }
  return ksResult(clamp01(d), n1, n2);
}

function isHistogram(sample: KsSample): sample is HistogramSample {
  return !Array.isArray(sample);
}

/** Value → count, for raw observations or a histogram of scores 1..bins. */
function tally(sample: KsSample, label: string): Map<number, number> {
  const counts = new Map<number, number>();
  if (isHistogram(sample)) {
    checkCounts(sample.histogram, `${label}.histogram`);
    sample.histogram.forEach((c, i) => {
      if (c > 0) counts.set(i + 1, c);
    });
    return counts;
  }
  if (sample.length === 0) throw new RangeError(`${label} must hold at least one observation`);
  for (const v of sample) {
    if (!Number.isFinite(v)) throw new RangeError(`${label} must hold finite numbers, got ${v}`);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

/**
 * Two-sample Kolmogorov–Smirnov: D = sup_x |F_a(x) − F_b(x)| over the two empirical CDFs, with the
 * asymptotic p-value from the Kolmogorov distribution. Each side is raw observations or
 * `{ histogram }` (scores 1..bins). Tied values are stepped over together — D is only evaluated
 * where both CDFs have absorbed every copy of a value — so ties never inflate D. See
 * {@link ksFromHistograms} for why the p-value is conservative on discrete scores.
 */
export function ksTwoSample(a: KsSample, b: KsSample): KsResult {
  const ta = tally(a, 'a');
  const tb = tally(b, 'b');
  const n1 = [...ta.values()].reduce((s, c) => s + c, 0);
  const n2 = [...tb.values()].reduce((s, c) => s + c, 0);
  const support = [...new Set([...ta.keys(), ...tb.keys()])].sort((x, y) => x - y);
  let c1 = 0;
  let c2 = 0;
  let d = 0;
  for (const x of support) {
    c1 += ta.get(x) ?? 0;
    c2 += tb.get(x) ?? 0;
    d = Math.max(d, Math.abs(c1 / n1 - c2 / n2));
  }
  return ksResult(clamp01(d), n1, n2);
}
