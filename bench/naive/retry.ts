/**
 * The retry loop a team writes first (the seed article's `callWithRetry`): a fixed number of
 * attempts, exponential backoff from one second, plus up to a second of random jitter so
 * that parallel callers do not come back in lockstep. It does not read Retry-After: the
 * straightforward version never does.
 */

export interface RetryOptions {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  jitterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 3, baseMs: 1000, maxMs: 30_000, jitterMs: 1000 };

/** Delay after failed attempt `attempt` (1-based): base·2^(attempt−1), capped, plus jitter. */
export function backoffMs(
  attempt: number,
  o: RetryOptions = DEFAULT_RETRY,
  random: () => number = Math.random,
): number {
  const exp = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp + random() * o.jitterMs);
}

export class RetriesExhausted extends Error {
  override name = 'RetriesExhausted';
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(
      `failed after ${attempts} attempt(s): ${lastError instanceof Error ? lastError.message : String(lastError)}`,
    );
  }
}

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called before each wait, e.g. to count retries by cause. */
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
}

export async function callWithRetry<T>(
  fn: (attempt: number) => Promise<T>,
  o: RetryOptions = DEFAULT_RETRY,
  hooks: RetryHooks = {},
): Promise<{ value: T; attempts: number }> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(attempt), attempts: attempt };
    } catch (err) {
      if (attempt >= o.maxAttempts) throw new RetriesExhausted(attempt, err);
      const delay = backoffMs(attempt, o, hooks.random);
      hooks.onRetry?.(attempt, err, delay);
      await sleep(delay);
    }
  }
}

/** Runs `task` over every item with at most `concurrency` in flight (a promise pool). */
export async function promisePool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runner = async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, runner));
}
