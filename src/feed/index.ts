// The feed module's public surface: schema, parsing, hashing, criteria and canaries. The synthetic
// feed generator is a dev tool and lives outside src/, in feedgen/.
export {
  listingSchema,
  LISTING_LIMITS,
  SENIORITIES,
  LISTING_FIELDS,
  FEED_FIELDS,
  type FeedField,
  type FullListing,
  type Listing,
  type Salary,
  type Seniority,
} from './listing';
export {
  parseFeed,
  parseFeedFile,
  streamFeedFile,
  feedFileExists,
  FeedFileError,
  formatIssues,
  DEFAULT_MAX_LINE_BYTES,
  type ParsedFeed,
  type ParseFeedOptions,
  type RejectedLine,
  type UnknownKey,
} from './parse';
export {
  parseMapSpec,
  validateMapping,
  feedFormatFor,
  FeedConfigError,
  FEED_FORMATS,
  type FeedFormat,
  type FieldMapping,
} from './mapping';
export { detectLanguage } from './language';
export { canonicalJson, contentHash } from './hash';
export { defaultCriteria } from './criteria';
export { canaryListings, canarySet, type Canary } from './canaries';
