import { describe, expect, it } from 'vitest';
import { generateFeed, repostTruth } from '../../../feedgen/generate';
import type { Listing } from '../../../src/feed/listing';

const OPTS = { date: '2026-11-20', count: 2000, seed: 11, repostRate: 0.2, nearDuplicateRate: 0 };

describe('feed reposts', () => {
  it('reposts about a fifth of the day under new ids, each copying a live original with realistic edits', () => {
    const listings = new Map(
      generateFeed(OPTS).map((l) => [(JSON.parse(l) as Listing).id, JSON.parse(l) as Listing]),
    );
    const truth = repostTruth(OPTS);
    expect(truth.size / OPTS.count).toBeGreaterThan(0.16);
    expect(truth.size / OPTS.count).toBeLessThan(0.24);
    let identical = 0;
    for (const [id, source] of truth) {
      const repost = listings.get(id)!;
      const original = listings.get(source)!;
      expect(original, `source ${source} of ${id} is in the feed`).toBeDefined();
      expect(truth.has(source), 'an original is never a repost itself').toBe(false);
      expect(repost.company).toBe(original.company);
      expect(repost.title).toBe(original.title);
      // Reordered; either side may since have lost its last requirement to an edit.
      const shared = (repost.requirements ?? []).filter((r) => original.requirements?.includes(r));
      expect(shared.length).toBeGreaterThanOrEqual((repost.requirements ?? []).length - 1);
      if (repost.description === original.description) identical++;
    }
    // At least two edits each; only a reorder of a one-line list can leave the text as it was.
    expect(identical / truth.size).toBeLessThan(0.05);
  });

  it('leaves a feed without reposts byte for byte as it was', () => {
    const before = generateFeed({ date: '2026-11-20', count: 300, seed: 11 });
    const after = generateFeed({ date: '2026-11-20', count: 300, seed: 11, repostRate: 0 });
    expect(after).toEqual(before);
    expect(repostTruth({ date: '2026-11-20', count: 300, seed: 11, nearDuplicateRate: 0 }).size).toBe(0);
  });
});
