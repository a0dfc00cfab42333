import { KeyResolver, type FieldMapping, type KeyRank } from './mapping';
import type { FeedField, Listing } from './listing';
import {
  DEFAULT_MAX_LINE_BYTES,
  ListingAcceptor,
  type FieldValues,
  type ParsedFeed,
  type ParseFeedOptions,
  type PathLabel,
} from './records';

const BOM = '\ufeff';

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

/** Field names for messages: a mapped field also names the key it was read from. */
export function mappedLabel(mapping: FieldMapping, kind: 'key' | 'column'): PathLabel {
  return (path) => {
    const source = mapping[path as FeedField];
    return source === undefined ? path : `${path} (${kind} "${source}")`;
  };
}

/**
 * Reads JSONL lines into the acceptor: size limit, JSON syntax, one object per line, then each
 * key read as a field (through the mapping) or set aside as unknown.
 */
export class FeedLineParser {
  readonly acceptor: ListingAcceptor;
  private readonly maxLineBytes: number;
  private readonly keys: KeyResolver;
  private readonly label: PathLabel;

  constructor(opts: ParseFeedOptions = {}) {
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.acceptor = new ListingAcceptor(opts.reservedIdPrefix);
    this.keys = new KeyResolver(opts.mapping);
    this.label = mappedLabel(opts.mapping ?? {}, 'key');
  }

  get pending(): number {
    return this.acceptor.pending;
  }

  push(rawLine: string, lineNo: number): void {
    // Excel and Windows tools start UTF-8 files with a byte order mark; it is no part of the JSON.
    const line = lineNo === 1 && rawLine.startsWith(BOM) ? rawLine.slice(1) : rawLine;
    if (line.trim() === '') return;

    // Cheap upper bound first: a UTF-8 byte count is at most 3 per UTF-16 unit.
    if (line.length * 3 > this.maxLineBytes) {
      const bytes = Buffer.byteLength(line, 'utf8');
      if (bytes > this.maxLineBytes) {
        this.acceptor.reject(
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
      this.acceptor.reject(lineNo, recoverId(line), `invalid JSON (${(err as Error).message})`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      this.acceptor.reject(lineNo, undefined, `expected a JSON object, got ${kind}`);
      return;
    }

    const values: FieldValues = {};
    const held = new Map<FeedField, { key: string; rank: KeyRank }>();
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const hit = this.keys.resolve(key);
      const before = hit ? held.get(hit.field) : undefined;
      if (!hit || (before !== undefined && before.rank >= hit.rank)) {
        this.acceptor.noteUnknownKey(key, lineNo);
        continue;
      }
      // A better reading of the same field (its mapped or exact name) replaces a loose one.
      if (before !== undefined) this.acceptor.noteUnknownKey(before.key, lineNo);
      held.set(hit.field, { key, rank: hit.rank });
      values[hit.field] = v;
    }
    this.acceptor.accept(lineNo, values, this.label);
  }

  result(): ParsedFeed {
    return this.acceptor.result();
  }

  drain(): Listing[] {
    return this.acceptor.drain();
  }
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
