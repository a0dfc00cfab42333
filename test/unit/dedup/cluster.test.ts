import { describe, expect, it } from 'vitest';
import { clusterBlock, dot, LSH_MIN_LEADERS, type Member } from '../../../src/dedup/cluster';

const unit = (xs: number[]): Float32Array => {
  const n = Math.sqrt(xs.reduce((s, x) => s + x * x, 0));
  return Float32Array.from(xs, (x) => x / n);
};
const member = (listingId: string, v: Float32Array, runId = 'run-1'): Member => ({
  runId,
  listingId,
  vector: v,
});

describe('clusterBlock', () => {
  it('makes the first of two close listings the representative and leaves a distant one alone', () => {
    const out = clusterBlock(
      [],
      [member('a', unit([1, 0, 0])), member('b', unit([0.99, 0.1, 0])), member('c', unit([0, 1, 0]))],
      0.95,
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ listingId: 'b', leaderRunId: 'run-1', leaderListingId: 'a' });
    expect(out[0]!.similarity).toBeCloseTo(0.99 / Math.sqrt(0.99 ** 2 + 0.01), 4);
  });

  it('reuses an earlier run’s answer first, but never for an edited version of the same listing id', () => {
    const v = unit([1, 0.05, 0]);
    const out = clusterBlock(
      [member('old', unit([1, 0, 0]), 'run-0'), member('same', unit([1, 0, 0]), 'run-0')],
      [member('new', v), member('same', v)],
      0.95,
    );
    expect(out.map((a) => [a.listingId, a.leaderRunId, a.leaderListingId])).toEqual([
      ['new', 'run-0', 'old'],
      ['same', 'run-0', 'old'],
    ]);
  });

  it('finds the near-duplicates a scan finds through LSH, in a block with hundreds of leaders', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const random = () => Array.from({ length: 256 }, rand);
    const bases = Array.from({ length: 400 }, random);
    const originals = bases.map((b, i) => member(`o${i}`, unit(b)));
    // Noise of about 0.25 of the length: cosine ≈ 0.97 to the original, ≈ 0 to the others.
    const reposts = bases
      .filter((_, i) => i % 4 === 0)
      .map((b, i) => member(`r${i}`, unit(b.map((x) => x + 0.25 * rand()))));
    expect(originals.length).toBeGreaterThan(LSH_MIN_LEADERS);
    const out = clusterBlock([], [...originals, ...reposts], 0.95);
    const found = new Map(out.map((a) => [a.listingId, a.leaderListingId]));
    const expected = reposts.filter((r, i) => dot(r.vector, originals[i * 4]!.vector) >= 0.95);
    expect(expected.length).toBeGreaterThan(80);
    const caught = expected.filter((r) => found.get(r.listingId) === `o${Number(r.listingId.slice(1)) * 4}`);
    expect(caught.length / expected.length).toBeGreaterThanOrEqual(0.97);
    expect(out.every((a) => a.listingId.startsWith('r'))).toBe(true);
  });
});
