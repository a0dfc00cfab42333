/** Why a listing or a run stopped: dead-letter reasons and the failure types our own steps raise. */

/** Why a listing was parked for review: the only words a dead letter, its metric and the report use. */
export const DEAD_LETTER_REASONS = [
  'non_retryable_error',
  'invalid_output',
  'retries_exhausted',
  'budget_exhausted',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export interface DeadLetterInput {
  runId: string;
  listingId: string;
  reason: DeadLetterReason;
  errorType: string;
  lastError: string;
  attempts: number;
  model: string | null;
}

/** Failure types raised by our own activities (LLM error types live in scoring/errors). */
export const PipelineErrorType = {
  ListingNotPlanned: 'ListingNotPlanned',
  NotValidated: 'ScoreNotValidated',
  InvalidModelOutput: 'InvalidModelOutput',
  BudgetExhausted: 'BudgetExhausted',
  NothingToReview: 'NothingToReview',
  /** A step was given a run the store does not know: retrying will not make it exist. */
  RunNotFound: 'RunNotFound',
} as const;

/** Failure types of feed faults: all non-retryable, the user has to fix the feed or the options. */
export const FeedErrorType = {
  NotFound: 'FeedNotFound',
  Unreadable: 'FeedUnreadable',
  /** The header or the mapping cannot be used (a required column missing, a mapped column absent). */
  Invalid: 'FeedInvalid',
  Empty: 'FeedEmpty',
  TooManyRejected: 'FeedTooManyRejected',
} as const;
