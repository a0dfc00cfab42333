import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { listingSchema, type Listing } from './listing';

export interface RejectedLine {
  /** 1-based line number in the feed. */
  line: number;
  /** Present when the id could be read even though the line was rejected. */
  listingId?: string;
  /** Human-readable, starts with "line N" (and "(id X)" when known), names what was wrong. */
  reason: string;
}

export interface ParsedFeed {
  listings: Listing[];
  rejected: RejectedLine[];
}

export interface ParseFeedOptions {
  /** Lines longer than this (UTF-8 bytes) are rejected before JSON parsing. Default 64 KiB. */
  maxLineBytes?: number;
  /** Ids with this prefix are rejected: the pipeline adds listings of its own under it. */
  reservedIdPrefix?: string;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
const MAX_ISSUES_IN_REASON = 3;

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Parses a whole JSONL feed held in memory. Bad lines are reported; good lines are always kept. */
export function parseFeed(text: string, opts: ParseFeedOptions = {}): ParsedFeed {
  const parser = new FeedLineParser(opts);
  let lineNo = 0;
  let start = 0;
  // Walk the text by index rather than split(): no second copy of a large feed as an array.
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    lineNo += 1;
    parser.push(stripCr(text.slice(start, end)), lineNo);
    if (nl === -1) break;
    start = nl + 1;
  }
  return parser.result();
}

/** Streams a JSONL feed file line by line, so a million-line feed never sits in memory as one string. */
export async function parseFeedFile(path: string, opts: ParseFeedOptions = {}): Promise<ParsedFeed> {
  const parser = new FeedLineParser(opts);
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    parser.push(line, lineNo);
  }
  return parser.result();
}

/**
 * Streams a feed in chunks of accepted listings, so planning a million-line feed holds one
 * chunk of listings in memory rather than all of them. Returns every rejection and the
 * number of accepted listings.
 */
export async function streamFeedFile(
  path: string,
  chunkSize: number,
  onChunk: (listings: Listing[], firstSeq: number) => Promise<void>,
  opts: ParseFeedOptions = {},
): Promise<{ accepted: number; rejected: RejectedLine[] }> {
  const parser = new FeedLineParser(opts);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  let accepted = 0;
  const flush = async () => {
    const chunk = parser.drain();
    if (chunk.length === 0) return;
    await onChunk(chunk, accepted);
    accepted += chunk.length;
  };
  for await (const line of lines) {
    parser.push(line, ++lineNo);
    if (parser.pending >= chunkSize) await flush();
  }
  await flush();
  return { accepted, rejected: parser.result().rejected };
}

/**
 * The state both entry points share: accepted listings, rejections, and which line first
 * used each accepted id. Only accepted ids count for duplicates — a rejected line never
 * "reserves" an id, so the listings returned always have unique ids.
 */
export class FeedLineParser {
  private readonly listings: Listing[] = [];
  private readonly rejected: RejectedLine[] = [];
  private readonly firstSeen = new Map<string, number>();
  private readonly maxLineBytes: number;
  private readonly reservedPrefix: string | undefined;

  constructor(opts: ParseFeedOptions = {}) {
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.reservedPrefix = opts.reservedIdPrefix;
  }

  get pending(): number {
    return this.listings.length;
  }

  push(line: string, lineNo: number): void {
    if (line.trim() === '') return;

    // Cheap upper bound first: a UTF-8 byte count is at most 3 per UTF-16 unit.
    if (line.length * 3 > this.maxLineBytes) {
      const bytes = Buffer.byteLength(line, 'utf8');
      if (bytes > this.maxLineBytes) {
        this.reject(
          lineNo,
          recoverId(line),
          `line is ${fmt(bytes)} bytes, over the ${fmt(this.maxLineBytes)} limit`,
        );
        return;
      }
    }

    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      this.reject(lineNo, recoverId(line), `invalid JSON (${(err as Error).message})`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      this.reject(lineNo, undefined, `expected a JSON object, got ${kind}`);
      return;
    }

    const rawId = (value as Record<string, unknown>).id;
    const parsed = listingSchema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      this.reject(
        lineNo,
        typeof rawId === 'string' && rawId !== '' ? rawId : undefined,
        formatIssues(parsed.error.issues),
      );
      return;
    }

    const listing = parsed.data;
    if (this.reservedPrefix !== undefined && listing.id.startsWith(this.reservedPrefix)) {
      this.reject(
        lineNo,
        listing.id,
        `ids starting with "${this.reservedPrefix}" are reserved for the quality gate's golden listings`,
      );
      return;
    }
    const first = this.firstSeen.get(listing.id);
    if (first !== undefined) {
      this.reject(lineNo, listing.id, `duplicate id, first seen on line ${first}`);
      return;
    }
    this.firstSeen.set(listing.id, lineNo);
    this.listings.push(listing);
  }

  result(): ParsedFeed {
    return { listings: this.listings, rejected: this.rejected };
  }

  /** Hands over the listings accepted so far and forgets them; ids stay remembered for duplicates. */
  drain(): Listing[] {
    return this.listings.splice(0, this.listings.length);
  }

  private reject(line: number, listingId: string | undefined, what: string): void {
    const where = listingId === undefined ? `line ${line}` : `line ${line} (id ${listingId})`;
    const entry: RejectedLine = { line, reason: `${where}: ${what}` };
    if (listingId !== undefined) entry.listingId = listingId;
    this.rejected.push(entry);
  }
}

/** Turns zod issues into "path: message" parts, first few only, so a reason stays one readable line. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, MAX_ISSUES_IN_REASON).map(formatIssue);
  const more = issues.length - MAX_ISSUES_IN_REASON;
  return more > 0 ? `${parts.join('; ')}; and ${more} more` : parts.join('; ');
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  const input: unknown = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `missing field '${path}'`;
      return `${path}: expected ${issue.expected}, got ${describeType(input)}`;
    case 'unrecognized_keys': {
      const names = issue.keys.map((k) => `'${path === '' ? k : `${path}.${k}`}'`).join(', ');
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${names}`;
    }
    case 'too_big':
      if (typeof input === 'string' && issue.origin === 'string') {
        return `${path} is ${fmt(input.length)} characters, over the ${fmt(Number(issue.maximum))} limit`;
      }
      if (Array.isArray(input)) {
        return `${path} has ${fmt(input.length)} items, over the ${fmt(Number(issue.maximum))} limit`;
      }
      return `${path}: ${issue.message}`;
    case 'too_small':
      if (typeof input === 'string' && issue.origin === 'string') return `${path}: must not be empty`;
      return `${path}: ${issue.message}`;
    case 'invalid_value':
      return `${path}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return path === '' ? issue.message : `${path}: ${issue.message}`;
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Best-effort id from a line that would not parse, so operators can find the listing upstream. */
function recoverId(line: string): string | undefined {
  // Only look near the start: ids come first in practice, and scanning 1 MB lines is pointless.
  const m = /"id"\s*:\s*"([A-Za-z0-9._:-]{1,128})"/.exec(line.slice(0, 4096));
  return m?.[1];
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
