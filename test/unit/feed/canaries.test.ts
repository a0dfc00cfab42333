import { describe, expect, it } from 'vitest';
import {
  canaryListings,
  canarySet,
  containsInjection,
  defaultCriteria,
  generateFeed,
} from '../../../feedgen/generate';
import { parseFeed } from '../../../src/feed/parse';
import { buildScoringRequest } from '../../../src/scoring/prompt';
import { trueScore } from '../../../simulator/chat/scoring';

describe('canary listings', () => {
  it('all parse as valid listings with unique canary- ids', () => {
    const lines = canaryListings().map((l) => JSON.stringify(l));
    const { listings, rejected } = parseFeed(lines.join('\n'));
    expect(rejected).toEqual([]);
    expect(listings.length).toBeGreaterThanOrEqual(12);
    for (const l of listings) expect(l.id).toMatch(/^canary-/);
  });

  it('have valid bands and cover strong matches, clear mismatches and the middle', () => {
    const bands = canarySet().map((c) => c.expectedBand);
    for (const [lo, hi] of bands) {
      expect(lo).toBeGreaterThanOrEqual(1);
      expect(hi).toBeLessThanOrEqual(10);
      expect(lo).toBeLessThanOrEqual(hi);
    }
    expect(bands.filter(([lo]) => lo >= 7).length).toBeGreaterThanOrEqual(3);
    expect(bands.filter(([, hi]) => hi <= 3).length).toBeGreaterThanOrEqual(3);
    expect(bands.filter(([lo, hi]) => lo >= 3 && hi <= 7).length).toBeGreaterThanOrEqual(3);
  });

  it('include a clear mismatch that carries a prompt injection, to catch a scorer that obeys it', () => {
    const injected = canarySet().filter((c) => containsInjection(c.listing.description));
    expect(injected.length).toBeGreaterThan(0);
    for (const c of injected) expect(c.expectedBand[1]).toBeLessThanOrEqual(3);
  });
});

describe('defaultCriteria', () => {
  it('names the profile the canaries are banded against', () => {
    for (const word of [
      'TypeScript',
      'Node.js',
      'PostgreSQL',
      'distributed systems',
      'Berlin',
      '80,000 EUR',
      'German',
    ]) {
      expect(defaultCriteria).toContain(word);
    }
  });

  it('spreads a generated feed across relevance: some strong, many partial, many unrelated', () => {
    const { listings } = parseFeed(generateFeed({ date: '2026-03-10', count: 2_000, seed: 3 }).join('\n'));
    const senior = new Set(['senior', 'staff', 'principal', 'lead']);
    const euOrBerlin = (loc: string): boolean => loc.startsWith('Berlin') || loc.startsWith('Remote (E');
    const strong = listings.filter(
      (l) =>
        /Backend|Platform/.test(l.title) && senior.has(l.seniority ?? '') && euOrBerlin(l.location ?? ''),
    );
    const partial = listings.filter((l) => /Engineer|Developer|Architect|Data/.test(l.title));
    expect(strong.length).toBeGreaterThanOrEqual(5);
    expect(partial.length / listings.length).toBeGreaterThan(0.25);
    expect(1 - partial.length / listings.length).toBeGreaterThan(0.35);
  });
});

describe("the simulator's judge on the canaries", () => {
  it('puts every canary within its band when asked through the real scoring prompt', () => {
    for (const { listing, expectedBand } of canarySet()) {
      const request = buildScoringRequest('gpt-4o', defaultCriteria, listing);
      const [system, user] = request.messages;
      const truth = trueScore(String(system?.content), String(user?.content));
      const rounded = Math.round(truth);
      expect(rounded, `${listing.id} truth ${truth}`).toBeGreaterThanOrEqual(expectedBand[0]);
      expect(rounded, `${listing.id} truth ${truth}`).toBeLessThanOrEqual(expectedBand[1]);
    }
  });
});
