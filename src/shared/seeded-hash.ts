/**
 * Seeded, stateless hashing of small integers: the same inputs give the same value in every
 * process. The feed generator draws all its decisions from it, and the calibration report picks
 * its sample with it.
 */

/** 32-bit avalanche finaliser (murmur3 fmix32): small input changes flip about half the bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a few integers into one unsigned 32-bit value. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Fold in both halves so values beyond 2^32 (large seeds, day numbers × slots) still count.
    h = fmix32(h ^ (p >>> 0));
    h = fmix32(h ^ Math.floor(p / 4294967296) ^ 0x27d4eb2f);
  }
  return h;
}

/** Hash mapped to [0, 1). */
export function hash01(...parts: number[]): number {
  return hash32(...parts) / 4294967296;
}
