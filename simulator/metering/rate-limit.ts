import { apiError, type ApiError } from '../shared/errors';

export interface RateLimit {
  rpm: number;
  tpm: number;
}

/**
 * Token bucket: holds up to a minute's allowance and refills continuously. OpenAI's own headers
 * describe exactly this (`x-ratelimit-reset-*` is the time until the bucket is full again).
 */
class Bucket {
  private level: number;
  private updatedAt: number;

  constructor(
    readonly capacity: number,
    now: number,
  ) {
    this.level = capacity;
    this.updatedAt = now;
  }

  available(now: number): number {
    const perMs = this.capacity / 60_000;
    this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * perMs);
    this.updatedAt = now;
    return this.level;
  }

  take(amount: number): void {
    this.level -= amount;
  }

  /** Milliseconds until `amount` is available (0 if it already is). */
  waitFor(amount: number, now: number): number {
    const missing = amount - this.available(now);
    return missing <= 0 ? 0 : Math.ceil(missing / (this.capacity / 60_000));
  }

  msUntilFull(now: number): number {
    return this.waitFor(this.capacity, now);
  }
}

/** Go-style durations as OpenAI prints them in reset headers: "20ms", "1s", "8.64s", "6m0s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Math.round((totalSeconds % 60) * 1000) / 1000;
  return `${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${seconds}s`;
}

export type LimitDecision =
  { ok: true; headers: Record<string, string> } | { ok: false; error: ApiError; type: 'requests' | 'tokens' };

interface ModelBuckets {
  requests: Bucket;
  tokens: Bucket;
}

export class RateLimiter {
  private readonly buckets = new Map<string, ModelBuckets>();

  private bucketsFor(model: string, limit: RateLimit, now: number): ModelBuckets {
    let b = this.buckets.get(model);
    // A changed limit starts from a full bucket, as a tier upgrade does.
    if (!b || b.requests.capacity !== limit.rpm || b.tokens.capacity !== limit.tpm) {
      b = { requests: new Bucket(limit.rpm, now), tokens: new Bucket(limit.tpm, now) };
      this.buckets.set(model, b);
    }
    return b;
  }

  private headers(b: ModelBuckets, now: number): Record<string, string> {
    return {
      'x-ratelimit-limit-requests': String(b.requests.capacity),
      'x-ratelimit-limit-tokens': String(b.tokens.capacity),
      'x-ratelimit-remaining-requests': String(Math.max(0, Math.floor(b.requests.available(now)))),
      'x-ratelimit-remaining-tokens': String(Math.max(0, Math.floor(b.tokens.available(now)))),
      'x-ratelimit-reset-requests': formatDuration(b.requests.msUntilFull(now)),
      'x-ratelimit-reset-tokens': formatDuration(b.tokens.msUntilFull(now)),
    };
  }

  /** Current headers without consuming anything (for responses that bypass the limiter). */
  peek(model: string, limit: RateLimit | undefined, now: number): Record<string, string> {
    return limit ? this.headers(this.bucketsFor(model, limit, now), now) : {};
  }

  /** Admits and charges one request of `tokens` estimated tokens, or explains the 429. */
  admit(model: string, limit: RateLimit | undefined, tokens: number, now: number): LimitDecision {
    if (!limit) return { ok: true, headers: {} };
    const b = this.bucketsFor(model, limit, now);
    const org = 'in organization org-simulator';
    if (tokens > limit.tpm) {
      const message = `Request too large for ${model} ${org} on tokens per min (TPM): Limit ${limit.tpm}, Requested ${tokens}. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.`;
      return { ok: false, type: 'tokens', error: this.reject(b, now, message, 'tokens', 60_000) };
    }
    const requestWait = b.requests.waitFor(1, now);
    if (requestWait > 0) {
      const used = Math.ceil(limit.rpm - b.requests.available(now));
      const message = `Rate limit reached for ${model} ${org} on requests per min (RPM): Limit ${limit.rpm}, Used ${used}, Requested 1. Please try again in ${formatDuration(requestWait)}. Visit https://platform.openai.com/account/rate-limits to learn more.`;
      return { ok: false, type: 'requests', error: this.reject(b, now, message, 'requests', requestWait) };
    }
    const tokenWait = b.tokens.waitFor(tokens, now);
    if (tokenWait > 0) {
      const used = Math.ceil(limit.tpm - b.tokens.available(now));
      const message = `Rate limit reached for ${model} ${org} on tokens per min (TPM): Limit ${limit.tpm}, Used ${used}, Requested ${tokens}. Please try again in ${formatDuration(tokenWait)}. Visit https://platform.openai.com/account/rate-limits to learn more.`;
      return { ok: false, type: 'tokens', error: this.reject(b, now, message, 'tokens', tokenWait) };
    }
    b.requests.take(1);
    b.tokens.take(tokens);
    return { ok: true, headers: this.headers(b, now) };
  }

  /** A 429 that is not backed by an empty bucket (random bursts): honest headers, short wait. */
  randomReject(model: string, limit: RateLimit | undefined, now: number): ApiError {
    const message = `Rate limit reached for ${model} in organization org-simulator on requests per min (RPM): Limit ${limit?.rpm ?? 0}, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.`;
    if (!limit)
      return withRetryAfter(apiError(429, message, 'requests', null, 'rate_limit_exceeded'), {}, 1000);
    return this.reject(this.bucketsFor(model, limit, now), now, message, 'requests', 1000);
  }

  reset(): void {
    this.buckets.clear();
  }

  private reject(b: ModelBuckets, now: number, message: string, type: string, waitMs: number): ApiError {
    return withRetryAfter(
      apiError(429, message, type, null, 'rate_limit_exceeded'),
      this.headers(b, now),
      waitMs,
    );
  }
}

function withRetryAfter(error: ApiError, headers: Record<string, string>, waitMs: number): ApiError {
  return {
    ...error,
    headers: {
      ...headers,
      'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))),
      'retry-after-ms': String(waitMs),
    },
  };
}
