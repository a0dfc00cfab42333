import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  callWithRetry,
  DEFAULT_RETRY,
  promisePool,
  RetriesExhausted,
} from '../../../bench/naive/retry';

describe('the baseline’s retry loop', () => {
  it('doubles from one second, caps, and adds up to a second of jitter', () => {
    expect(backoffMs(1, DEFAULT_RETRY, () => 0)).toBe(1000);
    expect(backoffMs(2, DEFAULT_RETRY, () => 0)).toBe(2000);
    expect(backoffMs(3, DEFAULT_RETRY, () => 0.5)).toBe(4500);
    expect(backoffMs(20, DEFAULT_RETRY, () => 0.999)).toBeLessThan(31_000);
  });

  it('returns the first success with the attempt count, waiting between attempts', async () => {
    const waits: number[] = [];
    let calls = 0;
    const r = await callWithRetry(
      () => {
        calls++;
        return calls < 3 ? Promise.reject(new Error(`boom ${calls}`)) : Promise.resolve('ok');
      },
      DEFAULT_RETRY,
      {
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
        random: () => 0,
      },
    );
    expect(r).toEqual({ value: 'ok', attempts: 3 });
    expect(waits).toEqual([1000, 2000]);
  });

  it('gives up after the last attempt with the last error', async () => {
    const err = await callWithRetry(
      (attempt) => Promise.reject(new Error(`fail ${attempt}`)),
      { ...DEFAULT_RETRY, maxAttempts: 2 },
      { sleep: () => Promise.resolve() },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhausted);
    expect((err as RetriesExhausted).attempts).toBe(2);
    expect(((err as RetriesExhausted).lastError as Error).message).toBe('fail 2');
  });
});

describe('promise pool', () => {
  it('visits every item once and never exceeds the concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    await promisePool(
      Array.from({ length: 50 }, (_, i) => i),
      7,
      async (item) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        seen.push(item);
        inFlight--;
      },
    );
    expect(most).toBe(7);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('copes with no items', async () => {
    await expect(promisePool([], 10, () => Promise.resolve())).resolves.toBeUndefined();
  });
});
