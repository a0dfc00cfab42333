import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFeed, parseFeedFile } from '../../../src/feed/parse';
import { line, validListing } from './fixtures';

const feed = (...lines: string[]): string => lines.join('\n');

describe('parseFeed', () => {
  it('accepts valid lines and returns them as typed listings in feed order', () => {
    const { listings, rejected } = parseFeed(feed(line({ id: 'a' }), line({ id: 'b', salary: undefined })));
    expect(rejected).toEqual([]);
    expect(listings.map((l) => l.id)).toEqual(['a', 'b']);
    expect(listings[1]?.salary).toBeUndefined();
  });

  it('rejects a listing whose id uses the reserved prefix, naming why, and keeps the others', () => {
    const text = feed(line({ id: 'a' }), line({ id: 'canary-x' }), line({ id: 'c' }));
    const { listings, rejected } = parseFeed(text, { reservedIdPrefix: 'canary-' });
    expect(listings.map((l) => l.id)).toEqual(['a', 'c']);
    expect(rejected).toEqual([
      {
        line: 2,
        listingId: 'canary-x',
        reason: `line 2 (id canary-x): ids starting with "canary-" are reserved for the quality gate's golden listings`,
      },
    ]);
    expect(parseFeed(text).listings).toHaveLength(3);
  });

  it('rejects a line with invalid JSON, names the parser error and keeps the other lines', () => {
    const { listings, rejected } = parseFeed(feed(line({ id: 'a' }), '{"title": "x",}', line({ id: 'c' })));
    expect(listings.map((l) => l.id)).toEqual(['a', 'c']);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.line).toBe(2);
    expect(rejected[0]?.listingId).toBeUndefined();
    expect(rejected[0]?.reason).toMatch(/^line 2: invalid JSON \(.+\)$/);
  });

  it('recovers the id of a truncated line so the listing can be traced upstream', () => {
    const truncated = line({ id: 'job-77' }).slice(0, 60);
    const { rejected } = parseFeed(truncated);
    expect(rejected[0]).toMatchObject({ line: 1, listingId: 'job-77' });
    expect(rejected[0]?.reason).toMatch(/^line 1 \(id job-77\): invalid JSON/);
  });

  it('rejects a line with a negative salary and names the field, keeping the other lines', () => {
    const bad = line({ id: 'job-5', salary: { min: -100, max: 10, currency: 'EUR', period: 'year' } });
    const { listings, rejected } = parseFeed(feed(line({ id: 'a' }), bad, line({ id: 'b' })));
    expect(listings.map((l) => l.id)).toEqual(['a', 'b']);
    expect(rejected).toEqual([
      { line: 2, listingId: 'job-5', reason: 'line 2 (id job-5): salary.min: must be ≥ 0' },
    ]);
  });

  it('rejects a salary whose max is below its min', () => {
    const bad = line({
      id: 'job-123',
      salary: { min: 90_000, max: 80_000, currency: 'EUR', period: 'year' },
    });
    expect(parseFeed(bad).rejected[0]?.reason).toBe('line 1 (id job-123): salary.max: must be ≥ salary.min');
  });

  it('rejects a salary given as a string and says what type it expected', () => {
    const { rejected } = parseFeed(line({ id: 'j', salary: '80k EUR' }));
    expect(rejected[0]?.reason).toBe('line 1 (id j): salary: expected object, got string');
  });

  it('rejects a line missing its title and says which field is missing', () => {
    const withoutTitle = validListing({ id: 'j-19' });
    delete withoutTitle.title;
    const { rejected } = parseFeed(JSON.stringify(withoutTitle));
    expect(rejected[0]?.reason).toBe("line 1 (id j-19): missing field 'title'");
  });

  it('rejects an oversized description with its length and the limit', () => {
    const { rejected } = parseFeed(line({ id: 'job-9', description: 'x'.repeat(31_245) }));
    expect(rejected[0]?.reason).toBe(
      'line 1 (id job-9): description is 31,245 characters, over the 20,000 limit',
    );
  });

  it('keeps a listing with an unknown key, sets the key aside and names it once with its first line', () => {
    const { listings, rejected, unknownKeys } = parseFeed(
      feed(line({ id: 'a', salery: 1 } as never), line({ id: 'b', salery: 2, tags: ['x'] } as never)),
    );
    expect(rejected).toEqual([]);
    expect(listings.map((l) => l.id)).toEqual(['a', 'b']);
    expect(listings[0]).not.toHaveProperty('salery');
    expect(unknownKeys).toEqual([
      { key: 'salery', line: 1 },
      { key: 'tags', line: 2 },
    ]);
  });

  it('rejects a duplicate id, points at the first line that used it and keeps the first', () => {
    const { listings, rejected } = parseFeed(
      feed(
        line({ id: 'x' }),
        line({ id: 'y' }),
        line({ id: 'job-7' }),
        line({ id: 'job-7', title: 'Other' }),
      ),
    );
    expect(listings.map((l) => l.id)).toEqual(['x', 'y', 'job-7']);
    expect(listings[2]?.title).toBe('Senior Backend Engineer');
    expect(rejected).toEqual([
      { line: 4, listingId: 'job-7', reason: 'line 4 (id job-7): duplicate id, first seen on line 3' },
    ]);
  });

  it('does not let a rejected line reserve its id', () => {
    const { listings, rejected } = parseFeed(feed(line({ id: 'j', title: '' }), line({ id: 'j' })));
    expect(listings.map((l) => l.id)).toEqual(['j']);
    expect(rejected[0]?.reason).toBe('line 1 (id j): title: must not be empty or blank');
  });

  it('rejects an oversized line before parsing it, with its size and the limit', () => {
    const padded = line({ id: 'big', description: 'y'.repeat(70_000) });
    const exact = padded.slice(0, 70_000);
    const { listings, rejected } = parseFeed(feed(line({ id: 'a' }), exact));
    expect(listings).toHaveLength(1);
    expect(rejected[0]?.reason).toBe('line 2 (id big): line is 70,000 bytes, over the 65,536 limit');
  });

  it('counts line size in UTF-8 bytes and honours a custom limit', () => {
    const ja = line({ id: 'ja', language: 'ja', description: '日本語'.repeat(20) });
    expect(parseFeed(ja, { maxLineBytes: 10_000 }).listings).toHaveLength(1);
    const bytes = Buffer.byteLength(ja, 'utf8');
    expect(parseFeed(ja, { maxLineBytes: ja.length + 1 }).rejected[0]?.reason).toBe(
      `line 1 (id ja): line is ${bytes} bytes, over the ${ja.length + 1} limit`,
    );
  });

  it('skips blank and whitespace-only lines silently while keeping line numbers true', () => {
    const { listings, rejected } = parseFeed(feed('', line({ id: 'a' }), '   ', '\t', 'nope', '', ''));
    expect(listings).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.line).toBe(5);
  });

  it('handles CRLF line endings and a trailing newline', () => {
    const { listings, rejected } = parseFeed(`${line({ id: 'a' })}\r\n${line({ id: 'b' })}\r\n`);
    expect(rejected).toEqual([]);
    expect(listings.map((l) => l.id)).toEqual(['a', 'b']);
  });

  it('rejects JSON that is not an object', () => {
    const { rejected } = parseFeed(feed('[1,2]', '42', 'null'));
    expect(rejected.map((r) => r.reason)).toEqual([
      'line 1: expected a JSON object, got an array',
      'line 2: expected a JSON object, got a number',
      'line 3: expected a JSON object, got null',
    ]);
  });

  it('rejects impossible calendar dates, not only malformed ones', () => {
    for (const postedAt of ['2023-02-29', '2024-04-31', '2024-13-01', '01.03.2024']) {
      expect(parseFeed(line({ postedAt })).rejected[0]?.reason).toContain(
        'postedAt: must be a real calendar date',
      );
    }
    expect(parseFeed(line({ postedAt: '2024-02-29' })).rejected).toEqual([]);
  });

  it('validates ids, enums, currency, language, requirements and url with readable messages', () => {
    const reasonFor = (o: Record<string, unknown>): string | undefined =>
      parseFeed(line(o)).rejected[0]?.reason;
    expect(reasonFor({ id: 'has space' })).toContain('id: may only contain');
    expect(reasonFor({ seniority: 'ninja' })).toContain('seniority: must be one of "intern"');
    expect(reasonFor({ salary: { min: 1, max: 2, currency: 'eur', period: 'year' } })).toContain(
      'salary.currency: must be a 3-letter uppercase',
    );
    expect(reasonFor({ salary: { min: 1, max: 2, currency: 'EUR', period: 'week' } })).toContain(
      'salary.period',
    );
    expect(reasonFor({ language: 'eng' })).toContain('language: must be a 2-letter');
    expect(reasonFor({ requirements: Array.from({ length: 51 }, () => 'x') })).toContain(
      'requirements has 51 items, over the 50 limit',
    );
    expect(reasonFor({ url: 'ftp://example.com/x' })).toContain('url: must be an http(s) URL');
    expect(reasonFor({ remote: 'yes' })).toContain('remote: expected boolean, got string');
  });

  it('lists at most three problems in one reason and says how many more there were', () => {
    const { rejected } = parseFeed(
      line({ id: 'j', title: 1, company: 2, location: 3, remote: 4, language: 5 }),
    );
    const reason = rejected[0]?.reason ?? '';
    expect(reason.split('; ')).toHaveLength(4);
    expect(reason).toMatch(/^line 1 \(id j\): title: expected string, got number; company: .*; and 2 more$/);
  });
});

describe('parseFeedFile', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('streams a file line by line and reports the same listings and rejections as parseFeed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feed-parse-'));
    dirs.push(dir);
    const text = feed(line({ id: 'a' }), '', '{oops', line({ id: 'a' }), line({ id: 'b' })) + '\r\n';
    const path = join(dir, 'feed.jsonl');
    await writeFile(path, text);
    const fromFile = await parseFeedFile(path);
    expect(fromFile).toEqual(parseFeed(text));
    expect(fromFile.listings.map((l) => l.id)).toEqual(['a', 'b']);
    expect(fromFile.rejected.map((r) => r.line)).toEqual([3, 4]);
  });
});
