/**
 * A tokens-per-minute guard. The server-side queue limit caps requests per second, but
 * OpenAI also limits tokens per minute; a call reserves its estimated tokens (prompt
 * estimate + max output) and is told how long to wait so that the rolling rate stays under
 * the limit. Reservations may drive the balance negative: later callers then wait longer,
 * which keeps order and never lets a burst of concurrent calls all pass at once.
 */
export class TokenBucket {
  private balance: number;
  private updatedAt: number;

  constructor(
    private readonly tokensPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(tokensPerMinute > 0)) throw new Error(`tokens per minute must be positive, got ${tokensPerMinute}`);
    this.balance = tokensPerMinute;
    this.updatedAt = now();
  }

  /** Reserves `tokens` and returns how many milliseconds the caller must wait before sending. */
  reserve(tokens: number): number {
    const t = this.now();
    const perMs = this.tokensPerMinute / 60_000;
    this.balance = Math.min(this.tokensPerMinute, this.balance + (t - this.updatedAt) * perMs);
    this.updatedAt = t;
    this.balance -= tokens;
    return this.balance >= 0 ? 0 : Math.ceil(-this.balance / perMs);
  }
}

/** About four characters per token: a guard needs an upper-ish estimate, not the exact count. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
