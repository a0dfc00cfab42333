import { describe, expect, it } from 'vitest';
import { defaultCriteria } from '../../../src/feed/criteria';
import type { Listing } from '../../../src/feed/listing';
import {
  complexityOf,
  DEFAULT_ROUTING,
  listingFeatures,
  planRoute,
  routeListing,
  taskFeatures,
  type ListingFeatures,
  type RoutingConfig,
} from '../../../src/scoring/routing';

/** A plain, clear-cut listing's features: nothing in them adds complexity. */
const features = (over: Partial<ListingFeatures> = {}): ListingFeatures => ({
  approxTokens: 300,
  language: 'en',
  requirements: 4,
  descriptionChars: 900,
  longestParagraphChars: 200,
  hasSalary: true,
  remoteConflict: false,
  seniorityConflict: false,
  ...over,
});

const listing = (over: Partial<Listing> = {}): Listing => ({
  id: 'job-1',
  title: 'Senior Backend Engineer',
  company: 'Acme',
  location: 'Berlin, Germany',
  remote: false,
  seniority: 'senior',
  salary: { min: 80_000, max: 95_000, currency: 'EUR', period: 'year' },
  language: 'en',
  description: 'We build logistics software.\nYou will work from our office in Berlin.\n- Own services.',
  requirements: ['TypeScript', 'PostgreSQL'],
  postedAt: '2026-11-20',
  ...over,
});

const withWeights = (over: Partial<RoutingConfig['complexity']>): RoutingConfig => ({
  ...DEFAULT_ROUTING,
  complexity: { ...DEFAULT_ROUTING.complexity, ...over },
});

describe('listingFeatures', () => {
  it('estimates about four characters per token for Latin text and one per Japanese character', () => {
    const latin = listingFeatures(listing({ description: 'x'.repeat(4000) })).approxTokens;
    const japanese = listingFeatures(listing({ description: '開'.repeat(4000) })).approxTokens;
    expect(latin).toBeGreaterThan(1000);
    expect(latin).toBeLessThan(1100);
    expect(japanese).toBeGreaterThan(4000);
  });

  it('measures the description and its longest paragraph, and whether pay is a structured field', () => {
    const f = listingFeatures(
      listing({ description: `${'a'.repeat(50)}\n${'b'.repeat(700)}`, salary: undefined }),
    );
    expect(f).toMatchObject({ descriptionChars: 751, longestParagraphChars: 700, hasSalary: false });
  });

  it('flags remote: false under a text that offers remote work, but not one that rules it out', () => {
    const remoteText = 'This position is fully remote; we meet twice a year.';
    expect(listingFeatures(listing({ remote: false, description: remoteText })).remoteConflict).toBe(true);
    expect(listingFeatures(listing({ remote: true, description: remoteText })).remoteConflict).toBe(false);
    expect(listingFeatures(listing({ description: 'Office role, no remote work.' })).remoteConflict).toBe(
      false,
    );
  });

  it('flags remote: true under an office-only text, in other languages too', () => {
    expect(listingFeatures(listing({ remote: true })).remoteConflict).toBe(true);
    const spanish = 'El puesto es presencial en nuestra oficina de Madrid.';
    expect(
      listingFeatures(listing({ remote: true, language: 'es', description: spanish })).remoteConflict,
    ).toBe(true);
    expect(
      listingFeatures(listing({ remote: false, description: 'Puesto 100 % remoto.' })).remoteConflict,
    ).toBe(true);
  });

  it('flags a seniority word in the title that the seniority field contradicts', () => {
    expect(
      listingFeatures(listing({ title: 'Senior Backend Engineer', seniority: 'junior' })).seniorityConflict,
    ).toBe(true);
    expect(
      listingFeatures(listing({ title: 'Sr. Backend Engineer', seniority: 'senior' })).seniorityConflict,
    ).toBe(false);
    // Job names that merely contain a level-like word are no claim about seniority.
    expect(listingFeatures(listing({ title: 'Product Manager', seniority: 'mid' })).seniorityConflict).toBe(
      false,
    );
    expect(listingFeatures(listing({ title: 'Backend Engineer', seniority: 'lead' })).seniorityConflict).toBe(
      false,
    );
  });
});

describe('taskFeatures', () => {
  it('counts the bullets under a must-have heading, not the nice-to-haves', () => {
    expect(taskFeatures(defaultCriteria).mustHaves).toBe(5);
  });

  it('counts every bullet outside a nice-to-have section when no heading names the must-haves', () => {
    expect(taskFeatures('Profile:\n- TypeScript\n- Node.js\nNice to have:\n- Go').mustHaves).toBe(2);
  });

  it('counts the items of criteria written as one sentence', () => {
    const prose = 'Senior backend engineer, TypeScript, Node.js, remote in EU, salary at least 80k EUR';
    expect(taskFeatures(prose).mustHaves).toBe(5);
  });
});

describe('routeListing', () => {
  it('sends a short, clear English listing to the small model', () => {
    expect(routeListing(features())).toEqual({
      tier: 'small',
      model: 'gpt-4o-mini',
      reason: 'complexity 0.00 < 1: short, simple listing',
    });
  });

  it('sends a long listing to the large model and says so', () => {
    const d = routeListing(features({ approxTokens: 2000 }));
    expect(d).toMatchObject({ tier: 'large', model: 'gpt-4o' });
    expect(d.reason).toBe('complexity 1.00 ≥ 1: ~2000 tokens +1.00');
  });

  it('sends a listing with many requirements to the large model', () => {
    expect(routeListing(features({ requirements: 13 })).tier).toBe('large');
    expect(routeListing(features({ requirements: 9 })).tier).toBe('small');
  });

  it('counts non-English text as longer: a mid-sized German listing goes large, a short one stays small', () => {
    const de = routeListing(features({ approxTokens: 1100, language: 'de' }));
    expect(de.tier).toBe('large');
    expect(de.reason).toMatch(/non-English \(de\)/);
    expect(routeListing(features({ approxTokens: 1100 })).tier).toBe('small');
    expect(routeListing(features({ approxTokens: 300, language: 'de' })).tier).toBe('small');
  });

  it('keeps a listing with one ambiguity small but sends one with several to the large model', () => {
    expect(routeListing(features({ remoteConflict: true })).tier).toBe('small');
    const murky = features({
      remoteConflict: true,
      seniorityConflict: true,
      hasSalary: false,
      requirements: 0,
      descriptionChars: 120,
    });
    const d = routeListing(murky);
    expect(d.tier).toBe('large');
    expect(d.reason).toMatch(
      /^complexity 1\.\d\d ≥ 1: remote flag contradicts text \+0\.35, title contradicts/,
    );
  });

  it('adds ambiguity to size: a mid-sized listing with contradictions goes large where a clear one does not', () => {
    const mid = { approxTokens: 1300 };
    expect(routeListing(features(mid)).tier).toBe('small');
    expect(routeListing(features({ ...mid, remoteConflict: true, hasSalary: false })).tier).toBe('large');
  });

  it('weighs a wall of text and a very short description', () => {
    expect(complexityOf(features({ longestParagraphChars: 2500 })).contributions).toEqual([
      { feature: 'wallOfText', points: 0.4, label: '2500-char paragraph' },
    ]);
    expect(complexityOf(features({ descriptionChars: 100 })).score).toBeCloseTo(0.3);
    expect(complexityOf(features({ descriptionChars: 200 })).score).toBeCloseTo(0.15);
  });

  it('treats a profile with many must-haves as a harder task than one with a few', () => {
    const f = features({ approxTokens: 1200 });
    expect(routeListing(f, DEFAULT_ROUTING, taskFeatures(defaultCriteria)).tier).toBe('small');
    const many = Array.from({ length: 15 }, (_, i) => `- must-have number ${i + 1}`).join('\n');
    const d = routeListing(f, DEFAULT_ROUTING, taskFeatures(`Must have:\n${many}`));
    expect(d.tier).toBe('large');
    expect(d.reason).toMatch(/15 must-haves \+0\.50/);
  });

  it('routes the same without criteria as with criteria that add nothing', () => {
    const f = features({ approxTokens: 1500, remoteConflict: true });
    expect(routeListing(f, DEFAULT_ROUTING, taskFeatures(defaultCriteria))).toEqual(routeListing(f));
  });

  it('follows the configured threshold and weights', () => {
    const f = features({ remoteConflict: true });
    expect(routeListing(f, { ...DEFAULT_ROUTING, largeAtComplexity: 0.3 }).tier).toBe('large');
    expect(routeListing(f, withWeights({ remoteConflict: 1 })).tier).toBe('large');
    expect(
      routeListing(
        features({ approxTokens: 5000 }),
        withWeights({ tokens: { from: 0, full: 9000, weight: 1 } }),
      ).tier,
    ).toBe('small');
    expect(
      routeListing(
        features({ requirements: 13 }),
        withWeights({ requirements: { from: 0, full: 1, weight: 0 } }),
      ).tier,
    ).toBe('small');
  });

  it('uses the configured models for each tier', () => {
    const cfg = { ...DEFAULT_ROUTING, models: { small: 'gpt-4.1-nano', large: 'gpt-4.1' } };
    expect(routeListing(features({ approxTokens: 100 }), cfg).model).toBe('gpt-4.1-nano');
    expect(routeListing(features({ approxTokens: 5000 }), cfg).model).toBe('gpt-4.1');
  });

  it('sends everything to the large tier when both tiers are one model, so nothing escalates to itself', () => {
    const cfg = { ...DEFAULT_ROUTING, models: { small: 'gpt-4o', large: 'gpt-4o' } };
    expect(routeListing(features(), cfg)).toEqual({
      tier: 'large',
      model: 'gpt-4o',
      reason: 'one model for both tiers (gpt-4o)',
    });
  });
});

describe('planRoute', () => {
  it('gives a small-tier listing the large model as its escalation and the fallbacks of both', () => {
    expect(planRoute(features())).toEqual({
      model: 'gpt-4o-mini',
      escalation: 'gpt-4o',
      fallbacks: { 'gpt-4o-mini': 'gpt-4.1-mini', 'gpt-4o': 'gpt-4.1' },
      reason: 'complexity 0.00 < 1: short, simple listing',
    });
  });

  it("gives a large-tier listing no escalation and only its own model's fallback", () => {
    expect(planRoute(features({ approxTokens: 2000 }))).toMatchObject({
      model: 'gpt-4o',
      escalation: null,
      fallbacks: { 'gpt-4o': 'gpt-4.1' },
    });
  });

  it('follows a chain of fallbacks once and stops at a cycle', () => {
    const cfg: RoutingConfig = {
      ...DEFAULT_ROUTING,
      fallbacks: { 'gpt-4o-mini': 'gpt-4.1-mini', 'gpt-4.1-mini': 'gpt-4o-mini', 'gpt-4o': 'gpt-4.1' },
    };
    expect(planRoute(features(), cfg).fallbacks).toEqual({
      'gpt-4o-mini': 'gpt-4.1-mini',
      'gpt-4.1-mini': 'gpt-4o-mini',
      'gpt-4o': 'gpt-4.1',
    });
  });

  it('agrees with routeListing on the model, whatever the criteria', () => {
    const task = taskFeatures(defaultCriteria);
    for (const f of [features(), features({ approxTokens: 2000 }), features({ requirements: 13 })]) {
      expect(planRoute(f, DEFAULT_ROUTING, task).model).toBe(routeListing(f, DEFAULT_ROUTING, task).model);
    }
  });
});
