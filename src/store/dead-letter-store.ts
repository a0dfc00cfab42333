/** Listings a run gave up on, for a person to resolve or to plan again as a re-run. */
export interface DeadLetterStore {
  deadLetter(letter: NewDeadLetter): Promise<void>;
  listDeadLetters(runId?: string): Promise<DeadLetterRecord[]>;
  getDeadLetter(runId: string, listingId: string): Promise<DeadLetterRecord | undefined>;
  /** Closes a letter by hand, with the reviewer's note. Returns false when there is no such letter. */
  resolveDeadLetter(runId: string, listingId: string, note: string): Promise<boolean>;
  /**
   * Plans a re-run: the source run's open dead letters (optionally only `listingIds`) become
   * this run's plan, with the listing versions the source run saw, and are marked requeued.
   * Idempotent: a run that already has a plan keeps it. Returns the number of planned listings.
   */
  planFromDeadLetters(runId: string, sourceRunId: string, listingIds?: string[]): Promise<number>;
}

export interface NewDeadLetter {
  runId: string;
  listingId: string;
  reason: string;
  errorType: string;
  lastError: string;
  attempts: number;
  model: string | null;
  createdAt: string;
}

export interface DeadLetterRecord extends NewDeadLetter {
  status: 'open' | 'requeued' | 'resolved';
  note: string | null;
}
