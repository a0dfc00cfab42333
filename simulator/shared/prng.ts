import { createHash } from 'node:crypto';

/** Hex sha256 of a string; used to key every random draw on the content that caused it. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A seeded random stream derived from a key. Every draw in the simulator goes through a key that
 * names its cause (seed, purpose, input hash, attempt), so the same situation always replays the
 * same way, and unrelated draws never share a stream (adding a draw elsewhere shifts nothing).
 */
export class Prng {
  private state: number;

  constructor(...keyParts: ReadonlyArray<string | number>) {
    const digest = createHash('sha256').update(keyParts.join('\u0000')).digest();
    this.state = digest.readUInt32LE(0);
  }

  /** Uniform in [0, 1) — mulberry32: tiny, fast and good enough for simulation noise. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal via Box–Muller; 1 - u keeps the logarithm away from zero. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with the given probability; rate 0 never fires, rate 1 always does. */
  chance(rate: number): boolean {
    return rate > 0 && this.next() < rate;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Prng.pick needs a non-empty list');
    return item;
  }
}
