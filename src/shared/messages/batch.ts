/** The Batch API pass: the child's input, the batches it tracks, and what it reports to the parent. */
import type { ShardTotals } from './shard';

export interface BatchRef {
  batchId: string;
  model: string;
  lines: number;
  /** Worst-case cost reserved against the budgets at submit, settled at collect. */
  reservedPico: number;
  key: string;
}

export interface BatchStatus {
  batchId: string;
  status: string;
  terminal: boolean;
  total: number;
  completed: number;
  failed: number;
}

export interface BatchInput {
  runId: string;
  parentWorkflowId: string;
  toScore: number;
  /** Seq range per submit activity (each may still make several batches: one per model and cap). */
  rangeSize: number;
  /** Epoch ms after which unfinished batches are cancelled and their listings go synchronous. */
  cutoffAt: number;
  pollIntervalMs: number;
  escalateBelow: number;
  /** Carried by continue-as-new. */
  batches?: BatchRef[];
  collected?: string[];
  totals?: ShardTotals;
  /** 0: the first pass; 1: the escalation round (carried by continue-as-new). */
  round?: number;
  /** Low-confidence small-model answers seen so far: what the escalation round sends. */
  lowConfidence?: number;
}

export interface BatchProgress {
  batches: number;
  lines: number;
  completed: number;
  failed: number;
  persisted: number;
  /** What the collected batches cost (absent in signals recorded before it was sent). */
  costPico?: number;
  cancelledAtCutoff: boolean;
}
