/**
 * The quality gate of a run: its figures (RunQuality), the baseline of earlier runs that passed
 * the gate, and the verdict. Plain functions over store rows, so every rule is unit-tested
 * without a database; the finishRun activity only fetches and records.
 */
import { buildBaseline, evaluateDrift, type RunQuality } from './drift';
import type { QualityGateMode, QualityReport, RunDrift } from '../shared/quality';
import type { RunQualityCounts, RunRecord } from '../store/store';

export const DEFAULT_BASELINE_RUNS = 7;

export interface RunFigures {
  runId: string;
  runDate: string;
  counts: RunQualityCounts;
  /** Listings scored by a model in this run (cache hits excluded), and how many were escalated. */
  llmScored: number;
  escalations: number;
  planned: number;
  deadLettered: number;
}

const ratio = (part: number, whole: number): number => (whole > 0 ? Math.min(1, part / whole) : 0);

/** Canaries whose band is unknown (a renamed canary in an old run) are left out, not guessed. */
export function runQualityOf(f: RunFigures, bands: ReadonlyMap<string, [number, number]>): RunQuality {
  const scored = f.counts.histogram.reduce((s, n) => s + n, 0);
  return {
    runId: f.runId,
    runDate: f.runDate,
    histogram: f.counts.histogram,
    meanConfidence: scored > 0 ? Math.min(1, f.counts.confidenceSum / scored) : 0,
    validationFailureRate: ratio(f.counts.invalid, f.counts.answered),
    refusalRate: ratio(f.counts.refusals, f.counts.answered),
    escalationRate: ratio(f.escalations, f.llmScored),
    deadLetterRate: ratio(f.deadLettered, f.planned),
    canaries: f.counts.canaries.flatMap((c) => {
      const band = bands.get(c.listingId);
      return band ? [{ listingId: c.listingId, score: c.score, expectedBand: band }] : [];
    }),
  };
}

/** A summary as stored by finishRun; only the part the gate reads. */
interface StoredSummary {
  quality?: QualityReport;
}

/**
 * The earlier runs a baseline may pool: those with quality figures that passed the gate, or
 * that a person approved. Drifted runs left unapproved would make the drift the new normal;
 * re-runs of dead letters are a different population.
 */
export function baselineCandidates(previous: readonly RunRecord[]): RunQuality[] {
  return previous.flatMap((run) => {
    if (run.feedPath.startsWith('rerun-of:') || !run.summaryJson) return [];
    let summary: StoredSummary;
    try {
      summary = JSON.parse(run.summaryJson) as StoredSummary;
    } catch {
      return [];
    }
    const q = summary.quality;
    // Unjudged runs (gate off: e.g. an all-large evaluation run) are not vouched for either.
    if (!q || q.drift === null) return [];
    const approved = q.review?.approve === true;
    if (q.drift?.drifted === true && !approved) return [];
    return [q.quality];
  });
}

export interface JudgeOptions {
  gate: QualityGateMode;
  baselineRuns: number;
  minBaselineRuns: number;
  /** A re-run scores leftovers: its figures are recorded but not judged. */
  rerun: boolean;
}

export function judgeRun(
  quality: RunQuality,
  previous: readonly RunRecord[],
  opts: JudgeOptions,
): QualityReport {
  if (opts.gate === 'off' || opts.rerun) return { quality, drift: null, publication: 'published' };
  const baseline = buildBaseline(baselineCandidates(previous), {
    window: opts.baselineRuns,
    minRuns: Math.min(opts.minBaselineRuns, opts.baselineRuns),
  });
  const report = evaluateDrift(quality, baseline);
  const drift: RunDrift = {
    drifted: report.drifted,
    summary: report.summary,
    baselineRuns: report.baselineRuns,
    checks: report.checks,
  };
  const held = drift.drifted && opts.gate === 'quarantine';
  return { quality, drift, publication: held ? 'held' : 'published' };
}
