import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/client/args';
import { feedOptions } from '../../../src/client/feed-flags';
import { parseScheduleOptions } from '../../../src/client/schedule-spec';

const dir = mkdtempSync(join(tmpdir(), 'feed-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the feed flags', () => {
  it('turn into RunInput.feed, --map overriding the mapping file field by field', () => {
    const file = join(dir, 'm.json');
    writeFileSync(file, JSON.stringify({ title: 'job_title', company: 'org' }));
    expect(
      feedOptions({
        format: 'csv',
        mappingFile: file,
        map: ['company=employer', 'description=body'],
        feedWait: '30s',
        maxRejectedShare: '0.2',
        allowEmpty: true,
      }),
    ).toEqual({
      format: 'csv',
      mapping: { title: 'job_title', company: 'employer', description: 'body' },
      waitMs: 30_000,
      maxRejectedShare: 0.2,
      allowEmpty: true,
    });
    expect(feedOptions({})).toBeUndefined();
    expect(feedOptions({ feedWait: '0' })).toEqual({ waitMs: 0 });
  });

  it('name the flag and the bad value', () => {
    expect(() => feedOptions({ format: 'xml' })).toThrow(
      new ArgumentError('--format must be one of jsonl, csv, got "xml"'),
    );
    expect(() => feedOptions({ map: ['titel=job_title'] })).toThrow(ArgumentError);
    expect(() => feedOptions({ map: ['titel=job_title'] })).toThrow(/--map: "titel" is not a listing field/);
    expect(() => feedOptions({ maxRejectedShare: '1.5' })).toThrow(
      '--max-rejected-share must be a share from 0 to 1 (like 0.2), got "1.5"',
    );
    expect(() => feedOptions({ maxRejectedShare: 'half' })).toThrow(/--max-rejected-share/);
    expect(() => feedOptions({ feedWait: 'soon' })).toThrow(/--feed-wait must be a duration/);
    expect(() => feedOptions({ mappingFile: join(dir, 'none.json') })).toThrow(
      /--mapping-file .* cannot be read \(ENOENT\)/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{title: x}');
    expect(() => feedOptions({ mappingFile: bad })).toThrow(/--mapping-file .* is not valid JSON/);
  });

  it('are taken by schedule create and update too', () => {
    expect(parseScheduleOptions({ id: 's', map: ['title=job_title'], feedWait: '10m' }).feed).toEqual({
      mapping: { title: 'job_title' },
      waitMs: 600_000,
    });
  });
});
