/* Kept apart from errors.ts so workflow code can import the names without the openai SDK. */

/**
 * Stable failure types. Retry policies match on these strings (`nonRetryableErrorTypes`),
 * so renaming one is a breaking change for running workflows.
 */
export const LlmErrorType = {
  RateLimited: 'LlmRateLimited',
  InsufficientQuota: 'LlmInsufficientQuota',
  ServerError: 'LlmServerError',
  Timeout: 'LlmTimeout',
  Connection: 'LlmConnectionError',
  BadRequest: 'LlmBadRequest',
  Unauthorized: 'LlmUnauthorized',
  Forbidden: 'LlmForbidden',
  ModelNotFound: 'LlmModelNotFound',
  Unprocessable: 'LlmUnprocessable',
  RequestTooLarge: 'LlmRequestTooLarge',
  Conflict: 'LlmConflict',
  Unknown: 'LlmUnknownError',
} as const;
export type LlmErrorType = (typeof LlmErrorType)[keyof typeof LlmErrorType];

export const NON_RETRYABLE_LLM_ERRORS: readonly LlmErrorType[] = [
  LlmErrorType.InsufficientQuota,
  LlmErrorType.BadRequest,
  LlmErrorType.Unauthorized,
  LlmErrorType.Forbidden,
  LlmErrorType.ModelNotFound,
  LlmErrorType.Unprocessable,
  LlmErrorType.RequestTooLarge,
];
