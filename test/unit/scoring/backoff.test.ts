import { Prng } from '../../../simulator/shared/prng';
import { describe, expect, it } from 'vitest';
import { nextRetryDelayMs } from '../../../src/scoring/backoff';

const cfg = { initialMs: 1000, maxMs: 60_000, multiplier: 2 };

describe('nextRetryDelayMs', () => {
  it('grows the ceiling exponentially and stays within 10%..100% of it', () => {
    for (const attempt of [1, 2, 3, 4]) {
      const ceiling = 1000 * 2 ** (attempt - 1);
      expect(nextRetryDelayMs(attempt, null, cfg, () => 0)).toBe(ceiling * 0.1);
      expect(nextRetryDelayMs(attempt, null, cfg, () => 0.999999)).toBeCloseTo(ceiling, -1);
    }
  });

  it('caps the ceiling at maxMs', () => {
    expect(nextRetryDelayMs(20, null, cfg, () => 0.999999)).toBeLessThanOrEqual(60_000);
  });

  it('waits at least the server’s Retry-After, uncapped, plus a spread', () => {
    expect(nextRetryDelayMs(1, 120_000, cfg, () => 0)).toBe(120_000);
    expect(nextRetryDelayMs(1, 120_000, cfg, () => 0.999999)).toBeLessThanOrEqual(144_000);
    expect(nextRetryDelayMs(1, 500, cfg, () => 0.5)).toBe(625);
  });

  it('spreads a burst of retries so no two land at the same instant', () => {
    // A seeded stream: with Math.random, 50 draws over Retry-After's 401 possible delays
    // collide often enough to fail now and then, which says nothing about the code.
    const rng = new Prng('backoff-burst');
    const random = () => rng.next();
    const delays = Array.from({ length: 50 }, () => nextRetryDelayMs(2, null, cfg, random));
    expect(new Set(delays).size).toBeGreaterThan(45);
    const afterRetryAfter = Array.from({ length: 50 }, () => nextRetryDelayMs(1, 2000, cfg, random));
    expect(new Set(afterRetryAfter).size).toBeGreaterThan(40);
    expect(Math.min(...afterRetryAfter)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...afterRetryAfter)).toBeLessThanOrEqual(2400);
  });
});
