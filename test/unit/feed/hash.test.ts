import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../../src/feed/hash';
import { listingSchema, type Listing } from '../../../src/feed/listing';
import { validListing } from './fixtures';

const listing = (o: Record<string, unknown> = {}): Listing => listingSchema.parse(validListing(o));

describe('canonicalJson', () => {
  it('sorts object keys recursively and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('drops undefined properties the way JSON.stringify does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('refuses values that JSON would silently turn into null', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow(TypeError);
    expect(() => canonicalJson(Infinity)).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });
});

describe('contentHash', () => {
  it('is a sha256 hex digest', () => {
    expect(contentHash(listing())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores key order, at the top level and inside the salary', () => {
    const a = listing();
    const reversed = Object.fromEntries(Object.entries(a).reverse()) as Listing;
    reversed.salary = { period: 'year', currency: 'EUR', max: 95_000, min: 80_000 };
    expect(contentHash(reversed)).toBe(contentHash(a));
  });

  it('changes when any single field changes', () => {
    const base = contentHash(listing());
    const edits: Array<Record<string, unknown>> = [
      { id: 'job-2' },
      { title: 'Senior Backend Engineer ' },
      { company: 'Northwind Lab' },
      { location: 'Munich, Germany' },
      { remote: true },
      { seniority: 'staff' },
      { salary: { min: 80_000, max: 95_001, currency: 'EUR', period: 'year' } },
      { salary: { min: 80_000, max: 95_000, currency: 'EUR', period: 'month' } },
      { salary: undefined },
      { language: 'de' },
      { description: 'Build TypeScript services on PostgreSQL!' },
      { requirements: ['PostgreSQL', 'TypeScript'] },
      { requirements: ['TypeScript'] },
      { postedAt: '2026-03-02' },
      { url: undefined },
    ];
    const hashes = edits.map((e) => contentHash(listing(e)));
    for (const h of hashes) expect(h).not.toBe(base);
    expect(new Set(hashes).size).toBe(edits.length);
  });
});
