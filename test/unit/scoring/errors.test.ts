import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyLlmError, LlmErrorType, retryAfterMs } from '../../../src/scoring/errors';

/** Errors built by the SDK's own status → class factory, exactly as a real response would produce them. */
const apiError = (
  status: number,
  body: { type?: string; code?: string },
  headers: Record<string, string> = {},
) =>
  OpenAI.APIError.generate(status, { error: { message: 'boom', ...body } }, undefined, new Headers(headers));

describe('classifyLlmError', () => {
  it.each([
    [429, { type: 'requests', code: 'rate_limit_exceeded' }, LlmErrorType.RateLimited, true],
    [429, { type: 'insufficient_quota', code: 'insufficient_quota' }, LlmErrorType.InsufficientQuota, false],
    [400, { type: 'invalid_request_error' }, LlmErrorType.BadRequest, false],
    [
      400,
      { type: 'invalid_request_error', code: 'context_length_exceeded' },
      LlmErrorType.RequestTooLarge,
      false,
    ],
    [401, {}, LlmErrorType.Unauthorized, false],
    [403, {}, LlmErrorType.Forbidden, false],
    [404, { code: 'model_not_found' }, LlmErrorType.ModelNotFound, false],
    [409, {}, LlmErrorType.Conflict, true],
    [422, {}, LlmErrorType.Unprocessable, false],
    [500, {}, LlmErrorType.ServerError, true],
    [502, {}, LlmErrorType.ServerError, true],
    [503, {}, LlmErrorType.ServerError, true],
  ])('maps HTTP %i %j to %s (retryable: %s)', (status, body, type, retryable) => {
    expect(classifyLlmError(apiError(status, body))).toMatchObject({ type, retryable, status });
  });

  it('treats timeouts and connection failures as retryable, by class not message', () => {
    expect(classifyLlmError(new OpenAI.APIConnectionTimeoutError())).toMatchObject({
      type: LlmErrorType.Timeout,
      retryable: true,
    });
    expect(classifyLlmError(new OpenAI.APIConnectionError({ cause: new Error('ECONNRESET') }))).toMatchObject(
      {
        type: LlmErrorType.Connection,
        retryable: true,
      },
    );
  });

  it('carries the server’s retry advice from a rate limit', () => {
    expect(
      classifyLlmError(apiError(429, { code: 'rate_limit_exceeded' }, { 'retry-after': '7' })).retryAfterMs,
    ).toBe(7000);
    expect(
      classifyLlmError(
        apiError(429, { code: 'rate_limit_exceeded' }, { 'retry-after-ms': '1250', 'retry-after': '2' }),
      ).retryAfterMs,
    ).toBe(1250);
  });
});

describe('retryAfterMs', () => {
  it('reads an HTTP date as well as seconds', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterMs(new Headers({ 'retry-after': inTenSeconds }))).toBeGreaterThan(8000);
    expect(retryAfterMs(new Headers({}))).toBeNull();
  });
});
