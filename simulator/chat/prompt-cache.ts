import { sha256Hex } from '../shared/prng';
import type { PromptSegment } from '../shared/tokens';

/** OpenAI caches only prompts of at least this many tokens… */
export const CACHE_MIN_TOKENS = 1024;
/** …and reports cache hits in increments of this many tokens. */
export const CACHE_INCREMENT = 128;

/**
 * Prompt prefix cache per model. Like OpenAI's, it matches the longest prefix seen within the TTL
 * (system message plus tools is the typical shared prefix) and reports it rounded down to a
 * multiple of 128 tokens.
 */
export class PromptCache {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;

  cachedTokens(
    model: string,
    segments: PromptSegment[],
    promptTokens: number,
    now: number,
    ttlMs: number,
  ): number {
    this.sweep(now, ttlMs);
    const hashes = segments.map((s) => sha256Hex(`${model}\u0000${s.prefixKey}`));
    let cached = 0;
    if (promptTokens >= CACHE_MIN_TOKENS) {
      for (let i = segments.length - 1; i >= 0; i--) {
        const hash = hashes[i] as string;
        const seenAt = this.seen.get(hash);
        if (seenAt !== undefined && now - seenAt <= ttlMs) {
          const tokens = (segments[i] as PromptSegment).cumulativeTokens;
          cached = tokens >= CACHE_MIN_TOKENS ? Math.floor(tokens / CACHE_INCREMENT) * CACHE_INCREMENT : 0;
          break;
        }
      }
    }
    // Every prefix of this prompt is now warm, whether or not it hit.
    for (const hash of hashes) this.seen.set(hash, now);
    return cached;
  }

  clear(): void {
    this.seen.clear();
  }

  /** Drops expired entries at most once per TTL so memory stays bounded by recent traffic. */
  private sweep(now: number, ttlMs: number): void {
    if (now - this.lastSweep < Math.max(ttlMs, 1000)) return;
    this.lastSweep = now;
    for (const [hash, at] of this.seen) if (now - at > ttlMs) this.seen.delete(hash);
  }
}
