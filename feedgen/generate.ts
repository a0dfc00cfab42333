import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { z } from 'zod';
import { dayNumber } from './days';
import { ListingFactory } from './listing-factory';
import { malformLine } from './malform';
import { hash01, Purpose, Rng } from './random';

export { defaultCriteria } from '../src/feed/criteria';
export { canaryListings, canarySet, type Canary } from '../src/feed/canaries';
export { INJECTION_PHRASES, containsInjection } from './injections';
export { MALFORMATIONS } from './malform';

const rate = z.number().min(0).max(1);

/** Generator options, validated once here at the edge. */
export const generateFeedOptionsSchema = z.strictObject({
  date: z.iso.date({ error: 'date must be a real calendar date in YYYY-MM-DD form' }),
  count: z.number().int().min(0).max(10_000_000),
  // zod's int() already limits seeds to safe integers, which hash32 folds in exactly.
  seed: z.number().int().default(42),
  /** Fraction of listings new or changed versus the previous day. */
  churn: rate.default(0.2),
  nearDuplicateRate: rate.default(0.03),
  /** Share of listings that repost another listing of the day under a new id (see `repostTruth`). */
  repostRate: rate.default(0),
  injectionRate: rate.default(0),
  malformedRate: rate.default(0),
});
export type GenerateFeedOptions = z.input<typeof generateFeedOptionsSchema>;

/**
 * Yields the feed for one day as JSONL lines, one listing at a time, so a million-line feed
 * never has to be held in memory. Deterministic for (seed, date, options).
 *
 * Day-over-day stability: line i shows population slot i, whose content only changes when its
 * seeded version changes (see ChurnSchedule). Unchanged slots produce byte-identical lines on
 * consecutive days, so about (1 − churn) of a day's lines are exactly yesterday's.
 */
export function* generateFeedLines(options: GenerateFeedOptions): Generator<string, void, undefined> {
  const opts = generateFeedOptionsSchema.parse(options);
  const day = dayNumber(opts.date);
  const factory = new ListingFactory(opts);
  let lastGoodId: string | undefined;
  for (let slot = 0; slot < opts.count; slot++) {
    const { listing, version } = factory.listingFor(slot, day);
    if (opts.malformedRate > 0 && hash01(opts.seed, slot, version, Purpose.malformed) < opts.malformedRate) {
      yield malformLine(new Rng(opts.seed, slot, version, Purpose.malformed), listing, lastGoodId);
      continue;
    }
    lastGoodId = listing.id;
    yield JSON.stringify(listing);
  }
}

/**
 * The generator's truth about reposts for one day: repost id → the id of the listing it copies.
 * Near-duplicates (`nearDuplicateRate`) are listed too, since they copy a live listing as well.
 */
export function repostTruth(options: GenerateFeedOptions): Map<string, string> {
  const opts = generateFeedOptionsSchema.parse(options);
  const day = dayNumber(opts.date);
  const factory = new ListingFactory(opts);
  const truth = new Map<string, string>();
  for (let slot = 0; slot < opts.count; slot++) {
    const { listing, copyOf } = factory.listingFor(slot, day);
    if (copyOf !== undefined) truth.set(listing.id, copyOf);
  }
  return truth;
}

/** The whole feed as an array of JSONL lines (no trailing newlines). */
export function generateFeed(options: GenerateFeedOptions): string[] {
  return Array.from(generateFeedLines(options));
}

/** Lines are written in chunks of about this many characters: far fewer stream writes. */
const WRITE_CHUNK_CHARS = 1 << 20;

/** Streams the feed to a JSONL file (newline after every line), honouring back-pressure. */
export async function writeFeedFile(
  path: string,
  options: GenerateFeedOptions,
): Promise<{ path: string; lines: number }> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  // Keep the rejection handled even if no write ever waits on it.
  failed.catch(() => undefined);
  let lines = 0;
  let chunk: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const ok = out.write(chunk.join(''));
    chunk = [];
    size = 0;
    if (!ok) await Promise.race([once(out, 'drain'), failed]);
  };
  for (const line of generateFeedLines(options)) {
    chunk.push(line, '\n');
    size += line.length + 1;
    lines++;
    if (size >= WRITE_CHUNK_CHARS) await flush();
  }
  await flush();
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { path, lines };
}
