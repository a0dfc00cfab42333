/** Scores: only rows the validation step marked valid can be copied here. */
export interface ScoreStore {
  persistValidatedScore(runId: string, listingId: string, callId: number): Promise<PersistOutcome>;
  listScores(runId: string, limit: number, offset: number): Promise<ScoreRecord[]>;
}

export type PersistOutcome = 'written' | 'not-validated';

export interface ScoreRecord {
  /** 'near_duplicate': the answer of the listing's representative (see `DedupStore`). */
  source: 'llm' | 'cache' | 'near_duplicate';
  runId: string;
  listingId: string;
  callId: number;
  model: string;
  score: number;
  confidence: number;
  reasoning: string;
  contentHash: string;
  scoredAt: string;
}
