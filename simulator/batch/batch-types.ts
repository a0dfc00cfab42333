import type { CompletionResult } from '../chat/chat';
import type { LedgerBook, LedgerRoute } from '../metering/ledger';
import type { SimulatorConfig } from '../shared/config';

/**
 * The batch module's own vocabulary, and the one face of the engine it sees. Batches run their
 * lines through the engine, and the engine owns the batch store; naming here only what a batch
 * needs from the engine keeps batch/ from importing engine.ts, so the two stay out of an import
 * cycle (and the stats, which report batch counts, need only these types).
 */

export type BatchStatus =
  | 'validating'
  | 'failed'
  | 'in_progress'
  | 'finalizing'
  | 'completed'
  | 'expired'
  | 'cancelling'
  | 'cancelled';

/** What happened to lines, for the simulator's stats. */
export interface LineTally {
  succeeded: number;
  failed: number;
  expired: number;
  cancelled: number;
}

export interface BatchStats {
  byStatus: Partial<Record<BatchStatus, number>>;
  /** Lines that ran (succeeded + failed); expired and cancelled lines never ran. */
  linesProcessed: number;
  lines: LineTally;
}

/** What batches use of the simulator's engine: its seed and config, the model, the bill. */
export interface BatchEngine {
  readonly seed: number;
  readonly config: SimulatorConfig;
  readonly ledger: Pick<LedgerBook, 'billEmbedding'>;
  complete(body: unknown, now: number, discount: number, route: LedgerRoute): CompletionResult;
}
