import type { z } from 'zod';
import { detectLanguage } from './language';
import { listingSchema, REQUIRED_FIELDS, SALARY_PARTS, type FeedField, type Listing } from './listing';
import type { FeedFormat, FieldMapping } from './mapping';

export interface ParseFeedOptions {
  /** Lines (CSV: records) longer than this (UTF-8 bytes) are rejected before parsing. Default 64 KiB. */
  maxLineBytes?: number;
  /** Ids with this prefix are rejected: the pipeline adds listings of its own under it. */
  reservedIdPrefix?: string;
  /** 'jsonl' or 'csv'; by default the file name decides (see `feedFormatFor`). */
  format?: FeedFormat;
  /** Field → the user's key or column name. */
  mapping?: FieldMapping;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export interface RejectedLine {
  /** 1-based line number in the feed (for a CSV record over several lines, its first line). */
  line: number;
  /** Present when the id could be read even though the line was rejected. */
  listingId?: string;
  /** Human-readable, starts with "line N" (and "(id X)" when known), names what was wrong. */
  reason: string;
}

/** A key (JSONL) or column (CSV) that is no listing field: set aside, reported once. */
export interface UnknownKey {
  key: string;
  /** The first line it appeared on (1 for a CSV header). */
  line: number;
}

export interface ParsedFeed {
  listings: Listing[];
  rejected: RejectedLine[];
  unknownKeys: UnknownKey[];
  /** Accepted listings whose language was detected because the feed did not state it. */
  languagesDetected: number;
}

/** Field values as a reader found them, already under our field names. */
export type FieldValues = Partial<Record<FeedField, unknown>>;

/** Renames a zod issue path ("description", "salary.min") for messages, e.g. to add the CSV column. */
export type PathLabel = (path: string) => string;

const MAX_ISSUES_IN_REASON = 3;
/** Unknown keys remembered per feed: enough to tell the user, bounded against junk feeds. */
const MAX_UNKNOWN_KEYS = 50;
const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * What both readers share once a line's values sit under our field names: normalising,
 * validation, the reserved prefix, duplicates and language detection. Only accepted ids count
 * for duplicates: a rejected line never "reserves" an id.
 */
export class ListingAcceptor {
  private readonly listings: Listing[] = [];
  private readonly rejected: RejectedLine[] = [];
  private readonly firstSeen = new Map<string, number>();
  private readonly unknown = new Map<string, number>();
  private detected = 0;

  constructor(private readonly reservedPrefix?: string) {}

  get pending(): number {
    return this.listings.length;
  }

  noteUnknownKey(key: string, line: number): void {
    if (!this.unknown.has(key) && this.unknown.size < MAX_UNKNOWN_KEYS) this.unknown.set(key, line);
  }

  accept(line: number, values: FieldValues, label: PathLabel = (p) => p): void {
    const rawId = typeof values.id === 'string' && values.id !== '' ? values.id : undefined;
    const record = normalise(values);
    if (typeof record === 'string') return this.reject(line, rawId, record);
    const parsed = listingSchema.safeParse(record, { reportInput: true });
    if (!parsed.success) return this.reject(line, rawId, formatIssues(parsed.error.issues, label));

    const listing = parsed.data;
    if (this.reservedPrefix !== undefined && listing.id.startsWith(this.reservedPrefix)) {
      return this.reject(
        line,
        listing.id,
        `ids starting with "${this.reservedPrefix}" are reserved for the quality gate's golden listings`,
      );
    }
    const first = this.firstSeen.get(listing.id);
    if (first !== undefined)
      return this.reject(line, listing.id, `duplicate id, first seen on line ${first}`);
    this.firstSeen.set(listing.id, line);
    if (listing.language === undefined) {
      const language = detectLanguage(`${listing.title}\n${listing.description}`);
      if (language !== undefined) {
        listing.language = language;
        this.detected++;
      }
    }
    this.listings.push(listing);
  }

  reject(line: number, listingId: string | undefined, what: string): void {
    const where = listingId === undefined ? `line ${line}` : `line ${line} (id ${listingId})`;
    const entry: RejectedLine = { line, reason: `${where}: ${what}` };
    if (listingId !== undefined) entry.listingId = listingId;
    this.rejected.push(entry);
  }

  result(): ParsedFeed {
    return {
      listings: this.listings,
      rejected: this.rejected,
      unknownKeys: [...this.unknown].map(([key, line]) => ({ key, line })),
      languagesDetected: this.detected,
    };
  }

  /** Hands over the listings accepted so far and forgets them; ids stay remembered for duplicates. */
  drain(): Listing[] {
    return this.listings.splice(0, this.listings.length);
  }
}

const SENIORITY_WORDS: Record<string, string> = {
  'mid-level': 'mid',
  'mid level': 'mid',
  middle: 'mid',
  intermediate: 'mid',
  'entry level': 'junior',
  'entry-level': 'junior',
  entry: 'junior',
  graduate: 'junior',
  jr: 'junior',
  sr: 'senior',
  internship: 'intern',
};
const PERIOD_WORDS: Record<string, string> = {
  yearly: 'year',
  annual: 'year',
  annually: 'year',
  monthly: 'month',
  hourly: 'hour',
};

/**
 * Spellings real exports use for what we store one way: `EN`/`en-US` → en, `Senior` → senior,
 * a full ISO time → its date, `eur` → EUR. A null or blank optional value means "not stated",
 * as an empty CSV cell does. Anything else goes to the schema untouched, to be judged there.
 */
function normalise(values: FieldValues): Record<string, unknown> | string {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values) as Array<[FeedField, unknown]>) {
    const optional = !REQUIRED_FIELDS.includes(field as never);
    if (optional && (value === null || (typeof value === 'string' && value.trim() === ''))) continue;
    out[field] = typeof value === 'string' ? normaliseText(field, value) : value;
  }
  const parts = Object.keys(SALARY_PARTS).filter((p) => p in out) as Array<keyof typeof SALARY_PARTS>;
  if (parts.length > 0) {
    if ('salary' in out) return `give either salary or ${parts.join(', ')}, not both`;
    const salary: Record<string, unknown> = {};
    for (const p of parts) {
      salary[SALARY_PARTS[p]] = out[p];
      delete out[p];
    }
    out.salary = salary;
  }
  return out;
}

function normaliseText(field: FeedField, value: string): string {
  switch (field) {
    case 'language':
      return /^[A-Za-z]{2}(?:[-_][A-Za-z0-9]+)*$/.test(value.trim())
        ? value.trim().slice(0, 2).toLowerCase()
        : value;
    case 'seniority': {
      const word = value.trim().toLowerCase().replace(/\.$/, '');
      return SENIORITY_WORDS[word] ?? word;
    }
    case 'postedAt':
      return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value) ? value.slice(0, 10) : value;
    case 'salary_currency':
      return value.trim().toUpperCase();
    case 'salary_period': {
      const word = value.trim().toLowerCase();
      return PERIOD_WORDS[word] ?? word;
    }
    default:
      return value;
  }
}

/** Turns zod issues into "path: message" parts, first few only, so a reason stays one readable line. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], label: PathLabel = (p) => p): string {
  const parts = issues.slice(0, MAX_ISSUES_IN_REASON).map((i) => formatIssue(i, label));
  const more = issues.length - MAX_ISSUES_IN_REASON;
  return more > 0 ? `${parts.join('; ')}; and ${more} more` : parts.join('; ');
}

function formatIssue(issue: z.core.$ZodIssue, label: PathLabel): string {
  const raw = issue.path.map(String).join('.');
  const path = raw === '' ? raw : label(raw);
  const input: unknown = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `missing field '${path}'`;
      return `${path}: expected ${issue.expected}, got ${describeType(input)}`;
    case 'unrecognized_keys': {
      const names = issue.keys.map((k) => `'${raw === '' ? k : `${path}.${k}`}'`).join(', ');
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
