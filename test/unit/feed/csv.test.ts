import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FeedConfigError, parseMapSpec } from '../../../src/feed/mapping';
import { parseFeedFile, type ParseFeedOptions } from '../../../src/feed/parse';

const dir = mkdtempSync(join(tmpdir(), 'feed-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function parseCsv(text: string, opts: ParseFeedOptions = {}) {
  const path = join(dir, `feed-${n++}.csv`);
  writeFileSync(path, text);
  return parseFeedFile(path, opts);
}

const HEADER = 'id,title,company,location,description';

describe('CSV feeds', () => {
  it('reads a header row and one listing per record, stating only what the columns give', async () => {
    const { listings, rejected, unknownKeys } = await parseCsv(
      `${HEADER}\nj-1,Backend Engineer,Acme,Berlin,Build APIs in Go for our payments team.\n`,
    );
    expect(rejected).toEqual([]);
    expect(unknownKeys).toEqual([]);
    expect(listings).toEqual([
      {
        id: 'j-1',
        title: 'Backend Engineer',
        company: 'Acme',
        location: 'Berlin',
        description: 'Build APIs in Go for our payments team.',
        // Not in the feed: detected from the title and description.
        language: 'en',
      },
    ]);
  });

  it('keeps a quoted cell with line breaks, commas and doubled quotes whole, and numbers lines from the record start', async () => {
    const text = [
      HEADER,
      'j-1,"Engineer, Platform",Acme,Berlin,"First paragraph, with a comma.',
      '',
      'Second paragraph says ""hello""."',
      'j-2,Designer,Acme,Berlin,',
    ].join('\n');
    const { listings, rejected } = await parseCsv(text);
    expect(listings[0]?.title).toBe('Engineer, Platform');
    expect(listings[0]?.description).toBe('First paragraph, with a comma.\n\nSecond paragraph says "hello".');
    expect(rejected).toEqual([
      {
        line: 5,
        listingId: 'j-2',
        reason: 'line 5 (id j-2): missing field \'description (column 5 "description")\'',
      },
    ]);
  });

  it('reads CRLF files, with CRLF inside quoted cells, without shifting line numbers', async () => {
    const text = `${HEADER}\r\nj-1,A,Acme,Berlin,"one\r\ntwo"\r\nj-2,,Acme,Berlin,text\r\n`;
    const { listings, rejected } = await parseCsv(text);
    expect(listings[0]?.description).toBe('one\ntwo');
    expect(rejected.map((r) => r.line)).toEqual([4]);
  });

  it('strips a UTF-8 byte order mark before the header', async () => {
    const { listings, rejected } = await parseCsv(`\ufeff${HEADER}\nj-1,A,Acme,Berlin,Some text here\n`);
    expect(rejected).toEqual([]);
    expect(listings.map((l) => l.id)).toEqual(['j-1']);
  });

  it('reads typed cells: remote words, requirements split on lines or semicolons, salary columns', async () => {
    const text = [
      'id,title,description,remote,requirements,salary_min,salary_max,salary_currency,salary_period,posted_at',
      'a,T,D,yes,"Go; PostgreSQL; - Kubernetes",80000,"95,000",eur,yearly,2026-11-02T08:00:00Z',
      'b,T,D,0,"Go\nSQL",,,,,',
    ].join('\n');
    const { listings, rejected } = await parseCsv(text);
    expect(rejected).toEqual([]);
    expect(listings[0]).toMatchObject({
      remote: true,
      requirements: ['Go', 'PostgreSQL', 'Kubernetes'],
      salary: { min: 80_000, max: 95_000, currency: 'EUR', period: 'year' },
      postedAt: '2026-11-02',
    });
    expect(listings[1]).toMatchObject({ remote: false, requirements: ['Go', 'SQL'] });
    expect(listings[1]?.salary).toBeUndefined();
  });

  it('rejects a bad cell naming the line, the column and what it expected, and keeps the other lines', async () => {
    const text = ['id,title,description,remote', 'a,T,D,maybe', 'b,T,D,no'].join('\n');
    const { listings, rejected } = await parseCsv(text);
    expect(listings.map((l) => l.id)).toEqual(['b']);
    expect(rejected).toEqual([
      {
        line: 2,
        listingId: 'a',
        reason: 'line 2 (id a): column 4 "remote" (remote): expected true/false, yes/no or 1/0, got "maybe"',
      },
    ]);
  });

  it('rejects a record with more or fewer cells than the header has columns', async () => {
    const { rejected } = await parseCsv(`${HEADER}\nj-1,A,Acme,Berlin,text,extra\n`);
    expect(rejected[0]?.reason).toBe(
      'line 2 (id j-1): 6 cells where the header has 5 columns (an unquoted delimiter or line break?)',
    );
  });

  it('reads an export with its own column names through a mapping, and names the column in messages', async () => {
    const text = [
      'job_id,job_title,body,employer,scraped_at',
      'x-1,Data Engineer,Pipelines on Spark and Airflow for our analytics group.,Initech,2026-11-29',
      `x-2,Analyst,${'y'.repeat(20_001)},Initech,2026-11-29`,
    ].join('\n');
    const mapping = parseMapSpec('id=job_id,title=job_title,description=body,company=employer');
    const { listings, rejected, unknownKeys } = await parseCsv(text, { mapping, maxLineBytes: 100_000 });
    expect(listings).toEqual([
      {
        id: 'x-1',
        title: 'Data Engineer',
        company: 'Initech',
        description: 'Pipelines on Spark and Airflow for our analytics group.',
        language: 'en',
      },
    ]);
    expect(rejected[0]?.reason).toBe(
      'line 3 (id x-2): description (column 3 "body") is 20,001 characters, over the 20,000 limit',
    );
    expect(unknownKeys).toEqual([{ key: 'scraped_at', line: 1 }]);
  });

  it('fails the whole file when a required column is missing, naming it and the columns there are', async () => {
    await expect(parseCsv('job_id,job_title,body\nx,T,D\n')).rejects.toThrow(
      new FeedConfigError(
        'the CSV header has no id, title, description column (columns: job_id, job_title, body); ' +
          'name the columns to use with a mapping such as --map id=COLUMN',
      ),
    );
  });

  it('fails the whole file when the mapping names a column the header lacks', async () => {
    await expect(
      parseCsv('id,title,description\nx,T,D\n', { mapping: { company: 'employer' } }),
    ).rejects.toThrow(/the mapping names column "employer", which the CSV header does not have/);
  });

  it('reads a semicolon-separated export as European Excel writes it', async () => {
    const { listings, rejected } = await parseCsv('id;title;description\nj;Entwickler, Backend;Text hier\n');
    expect(rejected).toEqual([]);
    expect(listings[0]?.title).toBe('Entwickler, Backend');
  });

  it('rejects a duplicate id, pointing at the first line that used it', async () => {
    const { listings, rejected } = await parseCsv(`${HEADER}\nd,A,Acme,B,text\nd,B,Acme,B,text\n`);
    expect(listings).toHaveLength(1);
    expect(rejected[0]?.reason).toBe('line 3 (id d): duplicate id, first seen on line 2');
  });

  it('reports a broken quote as a rejection with its line instead of failing the file', async () => {
    const { listings, rejected } = await parseCsv(`${HEADER}\na,A,Acme,B,"bad"quote\nb,B,Acme,B,fine text\n`);
    expect(rejected[0]?.line).toBe(2);
    expect(rejected[0]?.reason).toMatch(/^line 2: CSV: Invalid Closing Quote/);
    expect(listings.map((l) => l.id)).not.toContain('a');
  });
});
