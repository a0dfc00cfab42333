import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/feed/parse';
import type { Listing } from '../../../src/feed/listing';
import { buildScoringRequest, NOT_STATED, promptHash } from '../../../src/scoring/prompt';
import { listingFeatures } from '../../../src/scoring/routing-features';
import { validListing } from '../feed/fixtures';

const userMessage = (l: Listing) => {
  const content = buildScoringRequest('gpt-4o-mini', 'Backend roles in Berlin.', l).messages[1]?.content;
  return JSON.parse(typeof content === 'string' ? content : 'null') as Record<string, unknown>;
};

describe('the scoring prompt', () => {
  it('says "not stated" for every optional field the feed left out', () => {
    const [minimal] = parseFeed(
      JSON.stringify({ id: 'm', title: 'Engineer', description: 'Go, k8s.' }),
    ).listings;
    expect(minimal && userMessage(minimal)).toEqual({
      title: 'Engineer',
      company: NOT_STATED,
      location: NOT_STATED,
      remote: NOT_STATED,
      seniority: NOT_STATED,
      salary: null,
      language: NOT_STATED,
      requirements: NOT_STATED,
      description: 'Go, k8s.',
    });
  });

  it('tells an empty requirements list from requirements that were not stated', () => {
    const listing = validListing({ requirements: [] }) as unknown as Listing;
    expect(userMessage(listing).requirements).toEqual([]);
  });

  it('gives a listing with every field the same prompt hash as before fields became optional', () => {
    // Hashes taken from the prompt builder at 3a9b094, before this change: cached answers stay valid.
    const full = validListing() as unknown as Listing;
    expect(promptHash(buildScoringRequest('gpt-4o-mini', 'Backend roles in Berlin.', full))).toBe(
      'd31186a7ef1918e7',
    );
    const { salary: _, ...noSalary } = full;
    expect(promptHash(buildScoringRequest('gpt-4o-mini', 'Backend roles in Berlin.', noSalary))).toBe(
      'ba453baa29b38500',
    );
  });
});

describe('routing features of a listing with fields missing', () => {
  it('sees no remote or seniority conflict where nothing was stated, and no requirements list', () => {
    const f = listingFeatures({
      id: 'x',
      title: 'Senior Engineer',
      description: 'Fully remote role building APIs.',
    });
    expect(f).toMatchObject({
      remoteConflict: false,
      seniorityConflict: false,
      requirements: 0,
      hasSalary: false,
      language: 'und',
    });
  });
});
