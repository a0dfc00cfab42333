import type { Listing } from '../../../src/feed/listing';

/** A valid listing; tests override the fields they care about. */
export function validListing(
  overrides: Partial<Record<keyof Listing, unknown>> = {},
): Record<string, unknown> {
  return {
    id: 'job-1',
    title: 'Senior Backend Engineer',
    company: 'Northwind Labs',
    location: 'Berlin, Germany',
    remote: false,
    seniority: 'senior',
    salary: { min: 80_000, max: 95_000, currency: 'EUR', period: 'year' },
    language: 'en',
    description: 'Build TypeScript services on PostgreSQL.',
    requirements: ['TypeScript', 'PostgreSQL'],
    postedAt: '2026-03-01',
    url: 'https://jobs.northwind.example/job-1',
    ...overrides,
  };
}

export const line = (overrides: Partial<Record<keyof Listing, unknown>> = {}): string =>
  JSON.stringify(validListing(overrides));
