/** Scores: only rows the validation step marked valid can be copied here. */
export interface ScoreStore {
  persistValidatedScore(runId: string, listingId: string, callId: number): Promise<PersistOutcome>;
  /**
   * `persistValidatedScore` for many calls of a run at once, in one transaction. A listing named
   * twice is written once, from its last pick. Returns the ids of the calls now kept as scores
   * (the rest were not validated). For steps that persist a whole batch, a chunk at a time.
   */
  persistValidatedScores(runId: string, picks: ScorePick[]): Promise<Set<number>>;
  listScores(runId: string, limit: number, offset: number): Promise<ScoreRecord[]>;
}

export type PersistOutcome = 'written' | 'not-validated';

/** A validated call to keep as its listing's score. */
export interface ScorePick {
  listingId: string;
  callId: number;
}

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
