/**
 * Seeded, stateless randomness for the feed generator. Everything the generator decides is a
 * pure function of (seed, slot, version, purpose), so any day's feed can be computed on its own
 * without replaying earlier days, and the same inputs always give the same bytes.
 */

import { hash32 } from '../src/shared/seeded-hash';

// The hashes are the product's too (the calibration report samples with them), so they live in
// src/; the generator's modules keep importing them from here with the rest of its randomness.
export { hash01, hash32 } from '../src/shared/seeded-hash';

/** Small fast PRNG (mulberry32) for the many choices inside one listing. */
export class Rng {
  private state: number;

  constructor(...seedParts: number[]) {
    this.state = hash32(...seedParts);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Up to `n` distinct items, in a random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = items.slice();
    const k = Math.min(n, copy.length);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, k);
  }
}

/** Weighted choice with the cumulative sums computed once, for tables picked from per listing. */
export class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    let sum = 0;
    for (const w of weights) this.cumulative.push((sum += w));
    this.total = sum;
  }

  pick(rng: Rng): T {
    const r = rng.next() * this.total;
    let i = 0;
    while (i < this.cumulative.length - 1 && r >= (this.cumulative[i] ?? 0)) i++;
    return this.items[i] as T;
  }
}

/** Purpose tags keep independent decisions about the same slot uncorrelated. */
export const Purpose = {
  phase: 1,
  kind: 2,
  base: 3,
  edit: 4,
  nearDuplicate: 5,
  nearDuplicateSource: 6,
  injection: 7,
  malformed: 8,
  posted: 9,
  repost: 10,
  repostSource: 11,
} as const;
