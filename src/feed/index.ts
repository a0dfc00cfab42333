// The feed module's public surface: schema, parsing, hashing and the synthetic feed generator.
export {
  listingSchema,
  LISTING_LIMITS,
  SENIORITIES,
  type Listing,
  type Salary,
  type Seniority,
} from './listing';
export {
  parseFeed,
  parseFeedFile,
  formatIssues,
  DEFAULT_MAX_LINE_BYTES,
  type ParsedFeed,
  type ParseFeedOptions,
  type RejectedLine,
} from './parse';
export { canonicalJson, contentHash } from './hash';
export {
  generateFeed,
  generateFeedLines,
  writeFeedFile,
  generateFeedOptionsSchema,
  defaultCriteria,
  canarySet,
  canaryListings,
  INJECTION_PHRASES,
  containsInjection,
  MALFORMATIONS,
  type Canary,
  type GenerateFeedOptions,
} from './generate';
