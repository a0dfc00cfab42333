import { Transform, type Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { FeedConfigError, KeyResolver, type FieldMapping } from './mapping';
import { REQUIRED_FIELDS, type FeedField, type Listing } from './listing';
import { ListingAcceptor, type FieldValues, type ParsedFeed } from './records';

/**
 * CSV feeds: a header row, then one listing per record (RFC 4180: quoted fields may hold the
 * delimiter, line breaks and doubled quotes). Parsing is csv-parse's (pinned at 7.0.3): a
 * streaming parser with the quoting rules right, which a hand-written splitter rarely has.
 * Every cell is text, so typed fields are read from it here; see the README's feed section.
 */

interface Column {
  index: number;
  header: string;
  field: FeedField | undefined;
}

const TRUE = /^(true|yes|y|1)$/i;
const FALSE = /^(false|no|n|0)$/i;
const NUMBER = /^(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/;

/** One cell as a field value: undefined for an empty cell (not stated), or why it cannot be read. */
export function cellValue(field: FeedField, cell: string): { value?: unknown; error?: string } {
  const text = cell.trim();
  if (text === '') return {};
  switch (field) {
    case 'remote':
      if (TRUE.test(text)) return { value: true };
      if (FALSE.test(text)) return { value: false };
      return { error: `expected true/false, yes/no or 1/0, got ${JSON.stringify(clip(text))}` };
    case 'requirements': {
      if (text.startsWith('[')) return json(text, 'a JSON array of strings');
      // One cell, one requirement per line or per ';', with any bullet marks dropped.
      const items = text
        .split(/\n|;/)
        .map((s) => s.replace(/^\s*[-*•]\s+/, '').trim())
        .filter((s) => s !== '');
      return { value: items };
    }
    case 'salary':
      return text.startsWith('{')
        ? json(text, 'a JSON object')
        : { error: 'give the salary as salary_min, salary_max, salary_currency and salary_period columns' };
    case 'salary_min':
    case 'salary_max':
      return NUMBER.test(text)
        ? { value: Number(text.replaceAll(',', '')) }
        : { error: `expected a number like 85000, got ${JSON.stringify(clip(text))}` };
    case 'description':
      // Only the ends: line breaks inside a description are paragraphs, and routing reads them.
      return { value: cell.replace(/^\s+|\s+$/g, '') };
    default:
      return { value: text };
  }
}

function json(text: string, what: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { error: `expected ${what}, got ${JSON.stringify(clip(text))}` };
  }
}

const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** The delimiter the header line uses most among comma, semicolon (European Excel) and tab. */
export function sniffDelimiter(start: string): string {
  const firstLine = (start.startsWith('\ufeff') ? start.slice(1) : start).split('\n', 1)[0] ?? '';
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/** Header handling and per-record conversion; the parsing itself is csv-parse's. */
export class CsvFeedReader {
  readonly acceptor: ListingAcceptor;
  private columns: Column[] | undefined;
  private readonly keys: KeyResolver;

  constructor(
    private readonly mapping: FieldMapping = {},
    reservedIdPrefix?: string,
  ) {
    this.acceptor = new ListingAcceptor(reservedIdPrefix);
    this.keys = new KeyResolver(mapping);
  }

  get pending(): number {
    return this.acceptor.pending;
  }

  /** The first record: which column is which field. A header the feed cannot be read with throws. */
  header(cells: string[]): void {
    const held = new Map<FeedField, { column: Column; rank: number }>();
    const columns: Column[] = cells.map((header, index) => ({
      index,
      header: header.trim(),
      field: undefined,
    }));
    for (const column of columns) {
      const hit = this.keys.resolve(column.header);
      const before = hit ? held.get(hit.field) : undefined;
      if (!hit || (before && before.rank >= hit.rank)) continue;
      if (before) before.column.field = undefined;
      column.field = hit.field;
      held.set(hit.field, { column, rank: hit.rank });
    }
    const names = columns.map((c) => c.header);
    const missingSources = this.keys.sources.filter((s) => !names.includes(s));
    if (missingSources.length > 0) {
      throw new FeedConfigError(
        `the mapping names column${missingSources.length > 1 ? 's' : ''} ${missingSources.map((s) => `"${s}"`).join(', ')}, ` +
          `which the CSV header does not have (columns: ${names.join(', ')})`,
      );
    }
    const missing = REQUIRED_FIELDS.filter((f) => !held.has(f));
    if (missing.length > 0) {
      throw new FeedConfigError(
        `the CSV header has no ${missing.join(', ')} column (columns: ${names.join(', ')}); ` +
          `name the columns to use with a mapping such as --map ${missing[0]}=COLUMN`,
      );
    }
    for (const c of columns) if (c.field === undefined) this.acceptor.noteUnknownKey(c.header, 1);
    this.columns = columns;
  }

  row(line: number, cells: string[]): void {
    const columns = this.columns;
    if (!columns) return this.header(cells);
    const idColumn = columns.find((c) => c.field === 'id');
    const rawId = idColumn ? cells[idColumn.index]?.trim() : undefined;
    const id = rawId === '' ? undefined : rawId;
    if (cells.length !== columns.length) {
      return this.acceptor.reject(
        line,
        id,
        `${cells.length} cells where the header has ${columns.length} columns (an unquoted delimiter or line break?)`,
      );
    }
    const values: FieldValues = {};
    const errors: string[] = [];
    for (const c of columns) {
      if (c.field === undefined) continue;
      const { value, error } = cellValue(c.field, cells[c.index] ?? '');
      if (error !== undefined) errors.push(`column ${c.index + 1} "${c.header}" (${c.field}): ${error}`);
      else if (value !== undefined) values[c.field] = value;
    }
    if (errors.length > 0) return this.acceptor.reject(line, id, errors.slice(0, 3).join('; '));
    this.acceptor.accept(line, values, (path) => this.label(path));
  }

  /** "description" → `description (column 4 "body")`, so a schema message points at the cell. */
  private label(path: string): string {
    const field = path.startsWith('salary.') ? `salary_${path.slice(7)}` : path;
    const c = this.columns?.find((col) => col.field === field);
    return c ? `${path} (column ${c.index + 1} "${c.header}")` : path;
  }

  result(): ParsedFeed {
    return this.acceptor.result();
  }

  drain(): Listing[] {
    return this.acceptor.drain();
  }
}

/**
 * Feeds CSV text through csv-parse into the reader, calling `after` after every record so the
 * caller can hand over chunks. CRLF becomes LF first: csv-parse counts a CRLF inside a quoted
 * field as two lines, which would put every later line number off by one.
 */
export async function readCsv(
  input: Readable,
  reader: CsvFeedReader,
  opts: { delimiter: string; maxRecordChars: number },
  after: () => Promise<void>,
): Promise<void> {
  const parser = input.pipe(crlfToLf()).pipe(
    parse({
      delimiter: opts.delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: opts.maxRecordChars,
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined) => {
        const line = typeof err?.lines === 'number' ? err.lines : 0;
        reader.acceptor.reject(line, undefined, `CSV: ${err?.message ?? 'unreadable record'}`);
        return undefined;
      },
    }),
  );
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    // info.lines is the record's last line; a quoted line break inside it moves its start up.
    const breaks = item.record.reduce((n, cell) => n + (cell.split('\n').length - 1), 0);
    reader.row(item.info.lines - breaks, item.record);
    await after();
  }
}

function crlfToLf(): Transform {
  let first = true;
  let heldCr = false;
  return new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string, _enc, done) {
      let text = (heldCr ? '\r' : '') + chunk;
      if (first) {
        if (text.startsWith('\ufeff')) text = text.slice(1);
        first = false;
      }
      // A CR at a chunk's end may be the first half of a CRLF split across chunks.
      heldCr = text.endsWith('\r');
      if (heldCr) text = text.slice(0, -1);
      done(null, text.replaceAll('\r\n', '\n'));
    },
    flush(done) {
      done(null, heldCr ? '\r' : '');
    },
  });
}
