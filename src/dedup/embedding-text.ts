import { createHash } from 'node:crypto';
import type { Listing } from '../feed/listing';
import type { PriceTable, Route } from '../scoring/pricing';

/**
 * Description characters embedded. The head of a listing says what the job is; on the bench
 * day the cap took 22% of the embedding tokens away and caught the same reposts with fewer
 * wrong merges (its tail is mostly boilerplate shared with the company's other jobs).
 */
export const EMBED_DESCRIPTION_CHARS = 2000;

/**
 * What a listing's embedding is computed from: what the job is, not where or when it was
 * posted. The id, URL and posting date are left out, so a repost under a new id on another
 * board embeds like the original; the title, the facts, the head of the description and the
 * requirements stay in.
 */
export function embeddingText(listing: Listing): string {
  const salary = listing.salary
    ? `${listing.salary.min}-${listing.salary.max} ${listing.salary.currency}/${listing.salary.period}`
    : '';
  return [
    listing.title,
    listing.company ?? '',
    listing.location ?? '',
    listing.remote === undefined ? '' : listing.remote ? 'remote' : 'not remote',
    listing.seniority ?? '',
    salary,
    listing.description.slice(0, EMBED_DESCRIPTION_CHARS),
    (listing.requirements ?? []).join('\n'),
  ].join('\n');
}

/** The embedding cache's key: sha256 of the embedded text (with the model beside it in the store). */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Lower case, letters and digits only, single spaces: "Sr.  Backend-Engineer" → "sr backend engineer". */
export function normalizeKey(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The guard a near-duplicate must share with its representative: the same company, or for a
 * listing without one, the same normalised title. Clustering only compares listings inside one
 * guard block, which is what keeps it far from all pairs at a million listings.
 */
export function guardKey(listing: Listing): string {
  const company = listing.company === undefined ? '' : normalizeKey(listing.company);
  return company !== '' ? `company:${company}` : `title:${normalizeKey(listing.title)}`;
}

/** A listing as the embedding step sees it: its text, that text's hash and its guard block. */
export function embeddingItem(seq: number, listing: Listing) {
  const text = embeddingText(listing);
  return { seq, listingId: listing.id, text, textHash: textHash(text), guardKey: guardKey(listing) };
}

/** The stored part of an item (its text stays out of the items table). */
export function storedItem(i: ReturnType<typeof embeddingItem>) {
  return { seq: i.seq, listingId: i.listingId, textHash: i.textHash, guardKey: i.guardKey };
}

/**
 * The most a request embedding these texts may cost: a token is at least a byte, so the byte
 * count bounds the tokens the provider can bill. Both embedding routes reserve this.
 */
export function embeddingWorstCasePico(
  prices: PriceTable,
  model: string,
  texts: readonly string[],
  route: Route,
): number {
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  return prices.costPico(model, { promptTokens: bytes, cachedTokens: 0, completionTokens: 0 }, route);
}
