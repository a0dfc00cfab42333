/**
 * The quality gate's messages: pure types shared by the workflow, activities and the CLI.
 * See src/quality/gate.ts for how a run is judged.
 */
import type { DriftCheck, RunQuality } from '../quality/drift';

export type QualityGateMode = 'alarm' | 'quarantine' | 'off';

export interface QualityOptions {
  /**
   * Score the golden canary listings with the run (default true). Their bands are written for
   * the default criteria, so they are left out when a run uses other criteria.
   */
  canaries?: boolean;
  /**
   * 'alarm' (default): drift is logged, flagged in the DriftDetected search attribute and the
   * summary; 'quarantine': the scores are also held from publication until approved; 'off'.
   */
  gate?: QualityGateMode;
  /** Previous runs pooled into the baseline (default 7) and the fewest that make one (default 3). */
  baselineRuns?: number;
  minBaselineRuns?: number;
}

/** 'held': quarantined until a person approves or rejects the run's scores. */
export type Publication = 'published' | 'held' | 'rejected';

export interface RunDrift {
  drifted: boolean;
  summary: string;
  baselineRuns: number;
  checks: DriftCheck[];
}

export interface ReviewDecision {
  approve: boolean;
  /** Why: kept in the run's summary next to the drift it answers. */
  note: string;
  reviewer?: string;
}

export interface QualityReport {
  quality: RunQuality;
  /** null when the gate is off, or for a re-run of dead letters (not a comparable population). */
  drift: RunDrift | null;
  publication: Publication;
  review?: ReviewDecision & { at: string };
}
