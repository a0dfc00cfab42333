import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFeed } from '../../../feedgen/generate';
import type { Listing } from '../../../src/feed/listing';
import { parseFeed, streamFeedFile } from '../../../src/feed/parse';

describe('streamFeedFile', () => {
  it('hands over accepted listings in chunks with their sequence numbers, rejecting the same lines as parseFeed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'feed-stream-'));
    try {
      const lines = generateFeed({ date: '2026-11-29', count: 1234, seed: 3, malformedRate: 0.02 });
      const path = join(dir, 'feed.jsonl');
      writeFileSync(path, lines.join('\n'));
      const chunks: Array<{ firstSeq: number; size: number }> = [];
      const all: Listing[] = [];
      const result = await streamFeedFile(path, 100, (listings, firstSeq) => {
        chunks.push({ firstSeq, size: listings.length });
        all.push(...listings);
        return Promise.resolve();
      });
      const whole = parseFeed(lines.join('\n'));
      expect(result.accepted).toBe(whole.listings.length);
      expect(result.rejected).toEqual(whole.rejected);
      expect(all.map((l) => l.id)).toEqual(whole.listings.map((l) => l.id));
      expect(chunks.every((c) => c.size <= 101)).toBe(true);
      chunks.forEach((c, i) => expect(c.firstSeq).toBe(chunks.slice(0, i).reduce((s, x) => s + x.size, 0)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
