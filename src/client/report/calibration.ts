import { hash01 } from '../../shared/seeded-hash';

/**
 * Calibration: the same sample scored by the small and by the large model alone, and what a
 * cascade (small first, escalated to large below a confidence threshold) would have given at
 * each threshold, measured against the large model's answers. Pure: the runs' scores and
 * per-listing costs go in, the table and a recommendation come out.
 */

export interface CalibrationListing {
  listingId: string;
  contentHash: string;
  score: number;
  confidence: number;
  /** Everything the listing's calls cost in that run (re-asks and failed attempts included). */
  costPico: number;
}

export interface AgreementFigures {
  /** Share with the same score. */
  exact: number;
  /** Share with scores at most one apart. */
  withinOne: number;
  meanAbsDiff: number;
}

export interface CascadeRow extends AgreementFigures {
  escalateBelow: number;
  /** Share of listings whose small answer fell below the threshold and went to the large model. */
  escalated: number;
  costPer1000Pico: number;
}

export interface Calibration {
  /** Listings scored by both models (same content): the figures are over these. */
  compared: number;
  /** Scored by one model only (dead-lettered by the other): left out. */
  onlySmall: number;
  onlyLarge: number;
  smallVsLarge: AgreementFigures;
  costPer1000Pico: { small: number; large: number };
  cascade: CascadeRow[];
  recommended: { escalateBelow: number; rule: string; met: boolean };
}

export const DEFAULT_THRESHOLDS = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
/** ±1 agreement with the large model a recommended threshold must reach. */
export const DEFAULT_TARGET = 0.98;

export class CalibrationError extends Error {
  override name = 'CalibrationError';
}

/**
 * Compares the two runs listing by listing. The cascade at threshold t answers a listing with
 * the small model when its confidence is at least t, else with the large model, and costs the
 * small call plus, when escalated, the large one: what the pipeline pays with escalateBelow = t
 * and no routing. The recommendation is the cheapest threshold whose ±1 agreement with the
 * large model reaches `target`; when none does, the one that agrees best (the cheaper on a tie).
 */
export function computeCalibration(input: {
  small: CalibrationListing[];
  large: CalibrationListing[];
  thresholds?: number[];
  target?: number;
}): Calibration {
  const thresholds = [...new Set(input.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b);
  const target = input.target ?? DEFAULT_TARGET;
  const large = new Map(input.large.map((l) => [l.listingId, l]));
  const pairs: Array<{ s: CalibrationListing; l: CalibrationListing }> = [];
  for (const s of input.small) {
    const l = large.get(s.listingId);
    if (l && l.contentHash === s.contentHash) pairs.push({ s, l });
  }
  if (pairs.length === 0) {
    throw new CalibrationError(
      `no listing was scored by both models (${input.small.length} by the small, ${input.large.length} by the large one)`,
    );
  }
  const n = pairs.length;
  const per1000 = (pico: number) => Math.round((pico / n) * 1000);
  const agreement = (answer: (p: (typeof pairs)[number]) => number): AgreementFigures => {
    let exact = 0;
    let withinOne = 0;
    let abs = 0;
    for (const p of pairs) {
      const d = Math.abs(answer(p) - p.l.score);
      exact += d === 0 ? 1 : 0;
      withinOne += d <= 1 ? 1 : 0;
      abs += d;
    }
    return { exact: exact / n, withinOne: withinOne / n, meanAbsDiff: abs / n };
  };
  const cascade = thresholds.map((t): CascadeRow => {
    const up = (p: (typeof pairs)[number]) => p.s.confidence < t;
    const cost = pairs.reduce((sum, p) => sum + p.s.costPico + (up(p) ? p.l.costPico : 0), 0);
    return {
      escalateBelow: t,
      escalated: pairs.filter(up).length / n,
      costPer1000Pico: per1000(cost),
      ...agreement((p) => (up(p) ? p.l.score : p.s.score)),
    };
  });
  const pct = `${(target * 100).toFixed(0)}%`;
  const meeting = cascade.filter((r) => r.withinOne >= target);
  const cheapest = (rows: CascadeRow[]) =>
    rows.reduce((a, b) => (b.costPer1000Pico < a.costPer1000Pico ? b : a));
  const recommended =
    meeting.length > 0
      ? {
          escalateBelow: cheapest(meeting).escalateBelow,
          rule: `the cheapest threshold whose ±1 agreement with the large model is at least ${pct}`,
          met: true,
        }
      : {
          escalateBelow: cheapest(
            cascade.filter((r) => r.withinOne === Math.max(...cascade.map((c) => c.withinOne))),
          ).escalateBelow,
          rule: `no threshold reaches ${pct} ±1 agreement with the large model: the one that agrees best (the cheaper on a tie)`,
          met: false,
        };
  return {
    compared: n,
    onlySmall: input.small.filter((s) => !large.has(s.listingId)).length,
    onlyLarge: input.large.length - pairs.length - countChanged(input.small, large),
    smallVsLarge: agreement((p) => p.s.score),
    costPer1000Pico: {
      small: per1000(pairs.reduce((sum, p) => sum + p.s.costPico, 0)),
      large: per1000(pairs.reduce((sum, p) => sum + p.l.costPico, 0)),
    },
    cascade,
    recommended,
  };
}

function countChanged(small: CalibrationListing[], large: Map<string, CalibrationListing>): number {
  return small.filter((s) => {
    const l = large.get(s.listingId);
    return l !== undefined && l.contentHash !== s.contentHash;
  }).length;
}

/**
 * A deterministic sample of `n` feed records: each record ranks by a hash of (seed, its
 * index), the lowest `n` are kept, in feed order. The same file and seed give the same sample
 * on any machine; another seed gives another one.
 */
export function sampleRecords<T>(records: T[], n: number, seed: number): T[] {
  if (n >= records.length) return [...records];
  const ranked = records.map((_, i) => ({ i, key: hash01(seed, i) }));
  ranked.sort((a, b) => a.key - b.key || a.i - b.i);
  const keep = new Set(ranked.slice(0, n).map((r) => r.i));
  return records.filter((_, i) => keep.has(i));
}
