import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  containsInjection,
  generateFeed,
  generateFeedLines,
  writeFeedFile,
  type GenerateFeedOptions,
} from '../../../feedgen/generate';
import { contentHash } from '../../../src/feed/hash';
import type { Listing } from '../../../src/feed/listing';
import { parseFeed, parseFeedFile } from '../../../src/feed/parse';

const DATE = '2026-03-10';
const base: GenerateFeedOptions = { date: DATE, count: 2_000, seed: 7 };

function listingsOf(opts: GenerateFeedOptions): Listing[] {
  const { listings, rejected } = parseFeed(generateFeed(opts).join('\n'));
  expect(rejected).toEqual([]);
  return listings;
}

/** Day-over-day overlap: share of `next`'s lines that appear byte-identical in `prev`. */
function sharedFraction(prev: string[], next: string[]): number {
  const seen = new Set(prev);
  return next.filter((l) => seen.has(l)).length / next.length;
}

describe('generateFeed: determinism and shape', () => {
  it('returns the same lines for the same seed, date and options', () => {
    expect(generateFeed({ ...base, count: 300 })).toEqual(generateFeed({ ...base, count: 300 }));
  });

  it('returns a different feed for a different seed', () => {
    const a = generateFeed({ ...base, count: 50 });
    const b = generateFeed({ ...base, count: 50, seed: 8 });
    expect(sharedFraction(a, b)).toBe(0);
  });

  it('returns exactly count lines, and none for a count of zero', () => {
    expect(generateFeed({ ...base, count: 1234 })).toHaveLength(1234);
    expect(generateFeed({ ...base, count: 0 })).toEqual([]);
  });

  it('produces lines that all parse when no malformed lines are requested', () => {
    expect(listingsOf(base)).toHaveLength(2_000);
  });

  it('rejects invalid options at the edge', () => {
    expect(() => generateFeed({ ...base, date: '2026-02-30' })).toThrow();
    expect(() => generateFeed({ ...base, churn: 1.5 })).toThrow();
    expect(() => generateFeed({ ...base, count: -1 })).toThrow();
  });
});

describe('generateFeed: realism and variety', () => {
  const listings = listingsOf(base);

  it('covers many titles, all seniorities and at least five languages', () => {
    expect(new Set(listings.map((l) => l.title)).size).toBeGreaterThanOrEqual(30);
    expect(new Set(listings.map((l) => l.seniority)).size).toBe(9);
    expect(new Set(listings.map((l) => l.language)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(listings.map((l) => l.location)).size).toBeGreaterThanOrEqual(35);
    expect(new Set(listings.map((l) => l.company)).size).toBeGreaterThan(300);
  });

  it('has listings with and without salary, quoted per year, month and hour in several currencies', () => {
    const withSalary = listings.filter((l) => l.salary !== undefined);
    expect(withSalary.length).toBeGreaterThan(listings.length * 0.5);
    expect(withSalary.length).toBeLessThan(listings.length * 0.85);
    expect(new Set(withSalary.map((l) => l.salary?.period))).toEqual(new Set(['year', 'month', 'hour']));
    expect(new Set(withSalary.map((l) => l.salary?.currency)).size).toBeGreaterThanOrEqual(8);
  });

  it('spreads description lengths from short blurbs to very long postings', () => {
    const lengths = listings.map((l) => l.description.length);
    expect(lengths.filter((n) => n < 300).length).toBeGreaterThan(50);
    expect(lengths.filter((n) => n > 5_000).length).toBeGreaterThan(20);
    const words = Math.max(...listings.map((l) => l.description.split(/\s+/).length));
    expect(words).toBeGreaterThan(2_000);
  });

  it('writes descriptions in the listing language', () => {
    const sample = (lang: string): string => listings.find((l) => l.language === lang)?.description ?? '';
    expect(sample('de')).toMatch(/Wir|Du |Deine|Dein/);
    expect(sample('fr')).toMatch(/Nous|Vous|Votre|vous/);
    expect(sample('ja')).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });

  it('draws 0–15 requirements and posts every listing within 30 days before the feed date', () => {
    const counts = listings.map((l) => l.requirements?.length ?? 0);
    expect(Math.min(...counts)).toBe(0);
    expect(Math.max(...counts)).toBeLessThanOrEqual(15);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(10);
    const ages = listings.map((l) => (Date.parse(DATE) - Date.parse(l.postedAt ?? '')) / 86_400_000);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(30);
  });
});

describe('generateFeed: day-over-day stability', () => {
  it.each([
    ['2026-03-10', '2026-03-11', 0.2],
    ['2026-12-31', '2027-01-01', 0.2],
    ['2028-02-28', '2028-02-29', 0.35],
    ['2026-06-01', '2026-06-02', 0.05],
  ])('shares about 1 − churn of listings between %s and %s (churn %s)', (d1, d2, churn) => {
    const prev = generateFeed({ ...base, date: d1, churn });
    const next = generateFeed({ ...base, date: d2, churn });
    expect(Math.abs(sharedFraction(prev, next) - (1 - churn))).toBeLessThanOrEqual(0.03);
  });

  it('keeps ids and content hashes of unchanged listings, and changes the rest by new id or edit', () => {
    const prev = listingsOf({ ...base, date: '2026-03-10' });
    const next = listingsOf({ ...base, date: '2026-03-11' });
    const before = new Map(prev.map((l) => [l.id, contentHash(l)]));
    let same = 0;
    let edited = 0;
    let fresh = 0;
    for (const l of next) {
      const h = before.get(l.id);
      if (h === undefined) fresh++;
      else if (h === contentHash(l)) same++;
      else edited++;
    }
    expect(same / next.length).toBeGreaterThan(0.77);
    expect(fresh).toBeGreaterThan(100);
    expect(edited).toBeGreaterThan(100);
  });

  it('is unchanged from day to day when churn is zero', () => {
    const opts = { ...base, count: 300, churn: 0 };
    expect(generateFeed({ ...opts, date: '2026-03-11' })).toEqual(
      generateFeed({ ...opts, date: '2026-03-10' }),
    );
  });
});

describe('generateFeed: near-duplicates, injections and malformed lines', () => {
  /**
   * Pairs of listings from the same company whose title and description share at least 80 %
   * of their words: a repost with a tiny edit, even when one side was later edited again.
   */
  function nearDuplicatePairs(listings: Listing[]): number {
    const byCompany = new Map<string, Array<Set<string>>>();
    for (const l of listings) {
      const words = new Set(`${l.title} ${l.description}`.split(/\s+/));
      byCompany.set(l.company ?? '', [...(byCompany.get(l.company ?? '') ?? []), words]);
    }
    let pairs = 0;
    for (const group of byCompany.values()) {
      group.forEach((a, i) => {
        for (const b of group.slice(i + 1)) {
          const shared = [...a].filter((w) => b.has(w)).length;
          if (shared / (a.size + b.size - shared) >= 0.8) pairs++;
        }
      });
    }
    return pairs;
  }

  it('reposts some jobs under another id with tiny edits, and none when the rate is zero', () => {
    expect(nearDuplicatePairs(listingsOf({ ...base, nearDuplicateRate: 0.05 }))).toBeGreaterThan(60);
    expect(nearDuplicatePairs(listingsOf({ ...base, nearDuplicateRate: 0 }))).toBe(0);
  });

  it('hides prompt injections in about injectionRate of descriptions, and none by default', () => {
    const injected = listingsOf({ ...base, injectionRate: 0.1 }).filter((l) =>
      containsInjection(l.description),
    );
    expect(Math.abs(injected.length / 2_000 - 0.1)).toBeLessThanOrEqual(0.02);
    expect(
      new Set(injected.map((l) => l.description.match(/[^\n]*(?:10|score)[^\n]*/i)?.[0])).size,
    ).toBeGreaterThan(5);
    expect(listingsOf(base).filter((l) => containsInjection(l.description))).toEqual([]);
  });

  it('breaks about malformedRate of lines in varied ways; all are rejected and the rest survive intact', () => {
    const clean = generateFeed(base);
    const broken = generateFeed({ ...base, malformedRate: 0.1 });
    const { listings, rejected } = parseFeed(broken.join('\n'));
    const changed = broken.flatMap((l, i) => (l === clean[i] ? [] : [i + 1]));

    expect(Math.abs(changed.length / 2_000 - 0.1)).toBeLessThanOrEqual(0.02);
    expect(rejected.map((r) => r.line)).toEqual(changed);
    expect(listings.length + rejected.length).toBe(2_000);
    const kept = new Set(listings.map((l) => JSON.stringify(l)));
    expect(clean.filter((l, i) => !changed.includes(i + 1) && !kept.has(l))).toEqual([]);

    const kinds = [
      /invalid JSON/,
      /missing field 'title'/,
      /salary: expected object/,
      /salary\.min: must be ≥ 0/,
      /description is [\d,]+ characters, over the 20,000 limit/,
      /(remote|title|requirements|description): expected (boolean|string|array), got (number|object)/,
      /duplicate id, first seen on line \d+/,
      /postedAt: must be a real calendar date/,
    ];
    for (const kind of kinds) expect(rejected.some((r) => kind.test(r.reason))).toBe(true);
  });
});

describe('generateFeed: scale', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('generates 100,000 listings by streaming lines', () => {
    let lines = 0;
    for (const l of generateFeedLines({ ...base, count: 100_000 })) if (l.length > 0) lines++;
    expect(lines).toBe(100_000);
  }, 60_000);

  it('writes a feed file that parseFeedFile reads back whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feed-gen-'));
    dirs.push(dir);
    const opts = { ...base, count: 5_000 };
    const written = await writeFeedFile(join(dir, 'feed.jsonl'), opts);
    expect(written.lines).toBe(5_000);
    const parsed = await parseFeedFile(written.path);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.listings.map((l) => JSON.stringify(l))).toEqual(generateFeed(opts));
  });
});
