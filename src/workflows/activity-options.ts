import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_LLM_ERRORS } from '../scoring/error-types';
import { PipelineErrorType } from '../shared/messages';

/**
 * Retry policies, one per kind of step. Temporal owns every retry: the LLM step's attempts
 * are the configured maximum, and its delays come from the activity's jittered
 * `nextRetryDelay`, which overrides the exponential values below when set.
 */
export function llmCallOptions(taskQueue: string, maxAttempts: number): ActivityOptions {
  return {
    taskQueue,
    // The openai client times out first (SCORELINE_CALL_TIMEOUT_MS); this is the backstop.
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '20 seconds',
    retry: {
      maximumAttempts: maxAttempts,
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      nonRetryableErrorTypes: [...NON_RETRYABLE_LLM_ERRORS, PipelineErrorType.ListingNotPlanned],
    },
  };
}

/** Store-bound steps: transient database errors (a busy lock, a failover) deserve patience. */
export const storeStepOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: {
    maximumAttempts: 10,
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: [
      PipelineErrorType.ListingNotPlanned,
      PipelineErrorType.NotValidated,
      PipelineErrorType.RunNotFound,
    ],
  },
};

export const planOptions: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '5 minutes',
  retry: {
    maximumAttempts: 5,
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
  },
};

/** Batch API calls (upload, create, poll, download): provider errors are transient more often than not. */
export const batchOptions: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    maximumAttempts: 8,
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    nonRetryableErrorTypes: [PipelineErrorType.RunNotFound],
  },
};
