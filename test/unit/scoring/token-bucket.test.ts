import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../src/scoring/token-bucket';

describe('TokenBucket', () => {
  it('lets a minute’s worth of tokens through at once, then spaces the rest at the refill rate', () => {
    let now = 0;
    const bucket = new TokenBucket(60_000, () => now); // 1,000 tokens per second
    expect(bucket.reserve(60_000)).toBe(0);
    expect(bucket.reserve(1000)).toBe(1000);
    expect(bucket.reserve(1000)).toBe(2000);
    now = 2000;
    expect(bucket.reserve(1000)).toBe(1000);
  });

  it('keeps the tokens sent in any minute within the limit under concurrent reservations', () => {
    let now = 0;
    const bucket = new TokenBucket(10_000, () => now);
    const sendTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      now = i * 10; // 200 callers over two seconds, 500 tokens each
      sendTimes.push(now + bucket.reserve(500));
    }
    for (const start of sendTimes) {
      const inWindow = sendTimes.filter((t) => t >= start && t < start + 60_000).length;
      expect(inWindow * 500).toBeLessThanOrEqual(10_000 + 500 * 20);
    }
    // 100,000 tokens at 10,000 a minute after a 10,000 burst: the last one goes out after nine minutes.
    expect(Math.max(...sendTimes)).toBeGreaterThanOrEqual(9 * 60_000 - 2000);
  });

  it('rejects a non-positive limit', () => {
    expect(() => new TokenBucket(0)).toThrow(/positive/);
  });
});
