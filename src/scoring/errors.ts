import OpenAI from 'openai';
import { LlmErrorType, NON_RETRYABLE_LLM_ERRORS } from './error-types';

export { LlmErrorType, NON_RETRYABLE_LLM_ERRORS };

export interface ClassifiedError {
  type: LlmErrorType;
  retryable: boolean;
  status: number | null;
  /** The server's own advice (retry-after-ms, else retry-after), when it gave one. */
  retryAfterMs: number | null;
  message: string;
}

/**
 * Maps an openai SDK error to a stable type, by the SDK's class and the error body's `code`
 * (mirroring the SDK's status → class table), never by matching message text.
 */
export function classifyLlmError(err: unknown): ClassifiedError {
  const make = (
    type: LlmErrorType,
    status: number | null,
    message: string,
    retryAfterMs: number | null = null,
  ) => ({
    type,
    retryable: !NON_RETRYABLE_LLM_ERRORS.includes(type),
    status,
    retryAfterMs,
    message,
  });
  // Timeout first: it is a subclass of the connection error.
  if (err instanceof OpenAI.APIConnectionTimeoutError)
    return make(LlmErrorType.Timeout, null, 'request timed out');
  if (err instanceof OpenAI.APIConnectionError) {
    return make(LlmErrorType.Connection, null, `connection failed: ${causeMessage(err)}`);
  }
  if (!(err instanceof OpenAI.APIError)) {
    return make(LlmErrorType.Unknown, null, err instanceof Error ? err.message : String(err));
  }
  // APIError's generic defaults type these loosely; read them through the shape we rely on.
  const fields = err as { status?: number; headers?: Headers; code?: unknown; type?: unknown };
  const status = fields.status ?? null;
  const headers = fields.headers;
  const code = typeof fields.code === 'string' ? fields.code : null;
  const type = typeof fields.type === 'string' ? fields.type : null;
  const message = `${status ?? ''} ${err.message}`.trim();
  if (code === 'context_length_exceeded' || status === 413)
    return make(LlmErrorType.RequestTooLarge, status, message);
  if (err instanceof OpenAI.RateLimitError) {
    // 429 is two different things: a quota that is spent (retrying only burns time) and a
    // rate limit (retrying after the advised pause is exactly right).
    if (code === 'insufficient_quota' || type === 'insufficient_quota') {
      return make(LlmErrorType.InsufficientQuota, status, message);
    }
    return make(LlmErrorType.RateLimited, status, message, retryAfterMs(headers));
  }
  if (err instanceof OpenAI.BadRequestError) return make(LlmErrorType.BadRequest, status, message);
  if (err instanceof OpenAI.AuthenticationError) return make(LlmErrorType.Unauthorized, status, message);
  if (err instanceof OpenAI.PermissionDeniedError) return make(LlmErrorType.Forbidden, status, message);
  if (err instanceof OpenAI.NotFoundError) return make(LlmErrorType.ModelNotFound, status, message);
  if (err instanceof OpenAI.UnprocessableEntityError)
    return make(LlmErrorType.Unprocessable, status, message);
  if (err instanceof OpenAI.ConflictError) return make(LlmErrorType.Conflict, status, message);
  if (status !== null && status >= 500) {
    return make(LlmErrorType.ServerError, status, message, retryAfterMs(headers));
  }
  return make(LlmErrorType.Unknown, status, message);
}

function causeMessage(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : err.message;
}

/** Parses OpenAI's `retry-after-ms` (non-standard, precise) or the standard `retry-after`. */
export function retryAfterMs(headers: Headers | undefined): number | null {
  if (!headers) return null;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return null;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
