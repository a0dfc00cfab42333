import { describe, expect, it } from 'vitest';
import { parseDuration, parseRateLimitHeaders } from '../../../src/llm/rate-limits/headers';
import { queueRatePerSecond } from '../../../src/llm/rate-limits/queue-rate';
import { observe, take } from '../../../src/store/token-bucket';

describe('provider rate-limit headers', () => {
  it('reads limits, remaining counts and Go-style reset durations', () => {
    const h = new Headers({
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-limit-tokens': '200000',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-remaining-tokens': '198765',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-reset-tokens': '1m2.5s',
    });
    expect(parseRateLimitHeaders(h)).toStrictEqual({
      limitRequests: 500,
      limitTokens: 200_000,
      remainingRequests: 499,
      remainingTokens: 198_765,
      resetRequestsMs: 120,
      resetTokensMs: 62_500,
    });
  });

  it('leaves out what is missing or malformed instead of guessing', () => {
    expect(
      parseRateLimitHeaders({ 'x-ratelimit-limit-tokens': 'lots', 'x-ratelimit-reset-tokens': '5 min' }),
    ).toStrictEqual({});
    expect(parseDuration('6m0s')).toBe(360_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('soon')).toBeUndefined();
  });
});

describe('the shared bucket arithmetic', () => {
  it('refills at the limit per minute, never past a minute of allowance', () => {
    const first = take(undefined, 60_000, 60_000, 0);
    expect(first.waitMs).toBe(0);
    const later = take(first.row, 0, undefined, 10 * 60_000);
    expect(later.row?.level).toBe(60_000);
  });

  it('asks an overdrawing caller to wait exactly until the refill covers it', () => {
    const { row } = take(undefined, 60_000, 60_000, 0);
    expect(take(row, 2000, undefined, 0).waitMs).toBe(2000);
  });

  it('settles a reservation down to the provider remaining count', () => {
    const { row } = take(undefined, 5000, 10_000, 0);
    expect(observe(row, { deltaTokens: 5000 }, 0)?.level).toBe(10_000);
    expect(observe(row, { remaining: 1000 }, 0)?.level).toBe(1000);
    expect(observe(undefined, { deltaTokens: 5 }, 0)).toBeUndefined();
  });
});

describe('the task-queue rate that follows the token limit', () => {
  const change = {
    model: 'm',
    tokensPerMinute: 60_000,
    requestsPerMinute: 3000,
    meanTokensPerCall: 1000,
    source: 'learned' as const,
  };

  it('dispatches at the bucket refill rate plus a little headroom', () => {
    expect(queueRatePerSecond(change, 3000)).toBeCloseTo(1.05, 6);
  });

  it('keeps to the request limit when tokens are not the bottleneck', () => {
    expect(queueRatePerSecond({ ...change, tokensPerMinute: 60_000_000 }, 600)).toBeCloseTo(10, 6);
  });
});
