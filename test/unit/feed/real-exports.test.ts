import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFeed } from '../../../feedgen/generate';
import { detectLanguage } from '../../../src/feed/language';
import { FeedConfigError, feedFormatFor, parseMapSpec, validateMapping } from '../../../src/feed/mapping';
import { FeedFileError, feedFileExists, parseFeed, parseFeedFile } from '../../../src/feed/parse';

const dir = mkdtempSync(join(tmpdir(), 'feed-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scraped = {
  id: 'sc-1',
  title: 'Senior Backend Engineer',
  company: 'Northwind Labs',
  location: 'Berlin, Germany',
  description: 'We build payment APIs in TypeScript on PostgreSQL and look for a senior engineer.',
};

describe('JSONL feeds from real exports', () => {
  it('accepts a minimal realistic listing (id, title, company, location, description)', () => {
    const { listings, rejected } = parseFeed(JSON.stringify(scraped));
    expect(rejected).toEqual([]);
    expect(listings).toEqual([{ ...scraped, language: 'en' }]);
  });

  it('rejects a listing without a description, the third required field', () => {
    const { description: _, ...rest } = scraped;
    expect(parseFeed(JSON.stringify(rest)).rejected[0]?.reason).toBe(
      "line 1 (id sc-1): missing field 'description'",
    );
  });

  it('reads null and blank optional values as not stated, but keeps types strict for what is given', () => {
    const ok = parseFeed(JSON.stringify({ ...scraped, company: null, remote: null, location: '  ' }));
    expect(ok.rejected).toEqual([]);
    expect(ok.listings[0]).not.toHaveProperty('company');
    expect(ok.listings[0]).not.toHaveProperty('remote');
    const bad = parseFeed(JSON.stringify({ ...scraped, remote: 'yes' }));
    expect(bad.rejected[0]?.reason).toBe('line 1 (id sc-1): remote: expected boolean, got string');
  });

  it('reads the spellings exports use: EN-us, Senior, an ISO time, lower-case currency, flat salary keys', () => {
    const { listings, rejected } = parseFeed(
      JSON.stringify({
        ...scraped,
        language: 'EN-us',
        seniority: 'Senior',
        posted_at: '2026-11-28T09:30:00+01:00',
        salary_min: 70_000,
        salary_max: 90_000,
        salary_currency: 'eur',
        salary_period: 'annual',
      }),
    );
    expect(rejected).toEqual([]);
    expect(listings[0]).toMatchObject({
      language: 'en',
      seniority: 'senior',
      postedAt: '2026-11-28',
      salary: { min: 70_000, max: 90_000, currency: 'EUR', period: 'year' },
    });
  });

  it('still rejects a seniority outside the list, naming the values it takes', () => {
    const { rejected } = parseFeed(JSON.stringify({ ...scraped, seniority: 'wizard' }));
    expect(rejected[0]?.reason).toMatch(/^line 1 \(id sc-1\): seniority: must be one of "intern", "junior"/);
  });

  it('strips a UTF-8 byte order mark from the first line', async () => {
    const path = join(dir, 'bom.jsonl');
    writeFileSync(
      path,
      `\ufeff${JSON.stringify(scraped)}\r\n${JSON.stringify({ ...scraped, id: 'sc-2' })}\r\n`,
    );
    const { listings, rejected } = await parseFeedFile(path);
    expect(rejected).toEqual([]);
    expect(listings.map((l) => l.id)).toEqual(['sc-1', 'sc-2']);
  });

  it('reads keys through a mapping, and a mapped field no longer reads its own name', () => {
    const line = JSON.stringify({
      ref: 'm-1',
      job_title: 'Engineer',
      title: 'ignored',
      body: 'Some text here',
    });
    const mapping = parseMapSpec('id=ref,title=job_title,description=body');
    const { listings, unknownKeys } = parseFeed(line, { mapping });
    expect(listings[0]).toMatchObject({ id: 'm-1', title: 'Engineer', description: 'Some text here' });
    expect(unknownKeys).toEqual([{ key: 'title', line: 1 }]);
    const missing = parseFeed(JSON.stringify({ ref: 'm-2', title: 'x', body: 'text' }), { mapping });
    expect(missing.rejected[0]?.reason).toBe('line 1 (id m-2): missing field \'title (key "job_title")\'');
  });

  it('warns about each unknown key once, however many lines carry it', () => {
    const lines = Array.from({ length: 5 }, (_, i) =>
      JSON.stringify({ ...scraped, id: `u-${i}`, scraped_at: i }),
    );
    const { listings, unknownKeys } = parseFeed(lines.join('\n'));
    expect(listings).toHaveLength(5);
    expect(unknownKeys).toEqual([{ key: 'scraped_at', line: 1 }]);
  });

  it('hashes a listing the same whatever unknown keys came with it, so the cache still hits', async () => {
    const { contentHash } = await import('../../../src/feed/hash');
    const [a] = parseFeed(JSON.stringify({ ...scraped, language: 'en' })).listings;
    const [b] = parseFeed(
      JSON.stringify({ ...scraped, language: 'en', scraped_at: '2026-11-29T06:00' }),
    ).listings;
    expect(a && contentHash(a)).toBe(b && contentHash(b));
  });
});

describe('field mappings and formats', () => {
  it('refuses a mapping to a field that does not exist, listing the fields there are', () => {
    expect(() => parseMapSpec('titel=job_title')).toThrow(
      new FeedConfigError(
        '--map: "titel" is not a listing field; fields are id, title, description, company, location, remote, seniority, language, salary, requirements, postedAt, url, salary_min, salary_max, salary_currency, salary_period',
      ),
    );
  });

  it('refuses a malformed pair, a field mapped twice and one source feeding two fields', () => {
    expect(() => parseMapSpec('title')).toThrow(/--map: "title" must look like field=source/);
    expect(() => parseMapSpec('title=a,title=b')).toThrow('--map: title is mapped twice');
    expect(() => parseMapSpec('title=a,company=a')).toThrow('--map: "a" is mapped to both title and company');
    expect(() => validateMapping(['x'], 'mapping file m.json')).toThrow(
      /mapping file m.json must be a JSON object/,
    );
    expect(() => validateMapping({ title: 3 }, 'm.json')).toThrow(
      'm.json: the source for title must be a non-empty column or key name',
    );
  });

  it('chooses CSV by the .csv extension, JSON lines otherwise, and an explicit format over both', () => {
    expect(feedFormatFor('/x/Feed.CSV')).toBe('csv');
    expect(feedFormatFor('/x/feed.jsonl')).toBe('jsonl');
    expect(feedFormatFor('/x/feed.json')).toBe('jsonl');
    expect(feedFormatFor('/x/feed.txt', 'csv')).toBe('csv');
    expect(() => feedFormatFor('/x/feed.txt', 'xml')).toThrow(
      'feed format must be one of jsonl, csv, got "xml"',
    );
  });

  it('tells a missing feed file from one that cannot be read', async () => {
    await expect(feedFileExists(join(dir, 'nope.jsonl'))).resolves.toBe(false);
    await expect(feedFileExists(dir)).rejects.toThrow(`feed path ${dir} is not a file`);
    await expect(parseFeedFile(join(dir, 'nope.jsonl'))).rejects.toThrow(
      new FeedFileError(
        'not_found',
        join(dir, 'nope.jsonl'),
        `feed file ${join(dir, 'nope.jsonl')} not found`,
      ),
    );
  });
});

describe('language detection', () => {
  it('detects the language of a description long enough to tell', () => {
    expect(detectLanguage('Wir suchen eine erfahrene Backend-Entwicklerin für unser Team in Berlin.')).toBe(
      'de',
    );
    expect(
      detectLanguage('Nous recherchons un développeur backend expérimenté pour notre équipe à Paris.'),
    ).toBe('fr');
    expect(detectLanguage('バックエンドエンジニアを募集しています。Goの経験が必要です。')).toBe('ja');
  });

  it('leaves short or ambiguous text undetected rather than guessing', () => {
    expect(detectLanguage('Engineer')).toBeUndefined();
    expect(detectLanguage('Go dev, k8s, AWS')).toBeUndefined();
    expect(detectLanguage('https://example.com/jobs/123 hr@example.com #hiring')).toBeUndefined();
  });

  it('agrees with the stated language on generated listings and is rarely wrong when it answers', () => {
    const listings = generateFeed({ date: '2026-11-29', count: 600, seed: 8 }).map(
      (l) => JSON.parse(l) as { title: string; description: string; language: string },
    );
    const answers = listings.map((l) => ({
      stated: l.language,
      found: detectLanguage(`${l.title}\n${l.description}`),
    }));
    const answered = answers.filter((a) => a.found !== undefined);
    const wrong = answered.filter((a) => a.found !== a.stated);
    expect(answered.length / answers.length).toBeGreaterThan(0.95);
    expect(wrong.length / answered.length).toBeLessThan(0.01);
  });

  it('fills in a missing language from the text, and keeps a stated one', () => {
    const de = {
      ...scraped,
      description: 'Wir suchen eine erfahrene Backend-Entwicklerin für unser Team in Berlin.',
    };
    expect(parseFeed(JSON.stringify(de)).listings[0]?.language).toBe('de');
    expect(parseFeed(JSON.stringify({ ...de, language: 'en' })).listings[0]?.language).toBe('en');
    expect(parseFeed(JSON.stringify({ ...scraped, description: 'Go, k8s.' })).listings[0]).not.toHaveProperty(
      'language',
    );
  });
});
