import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readNaiveScores, runNaivePipeline, type NaiveOptions } from '../../../bench/naive/pipeline';
import { defaultCriteria, writeFeedFile } from '../../../feedgen/generate';
import { parseFeedFile } from '../../../src/feed/parse';
import { DEFAULT_ROUTING, listingFeatures, routeListing } from '../../../src/scoring/routing';
import { startSimulator, type RunningSimulator, type SimulatorConfigPatch } from '../../../simulator';

let dir: string;
let sim: RunningSimulator | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'naive-test-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function setUp(config: SimulatorConfigPatch, count = 40): Promise<NaiveOptions> {
  sim = await startSimulator({ port: 0, seed: 3, config: { latencyScale: 0, ...config } });
  const feedPath = join(dir, 'feed.jsonl');
  await writeFeedFile(feedPath, { date: '2026-11-29', count, seed: 5, malformedRate: 0.05 });
  return {
    feedPath,
    criteria: defaultCriteria,
    baseURL: sim.baseURL,
    apiKey: 'sk-test-naive-0123456789',
    dbPath: join(dir, 'naive.db'),
    model: 'routed',
    concurrency: 8,
    sleep: () => Promise.resolve(), // retries without real waits
  };
}

type Row = {
  listing_id: string;
  model: string;
  score: number | null;
  error: string | null;
  attempts: number;
};
const rows = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT listing_id, model, score, error, attempts FROM naive_scores').all() as Row[];
  } finally {
    db.close();
  }
};

describe('naive baseline', () => {
  it('scores every valid listing once, on the routed model, billed once per listing', async () => {
    const o = await setUp({});
    const feed = await parseFeedFile(o.feedPath);
    const r = await runNaivePipeline(o);
    expect(r.listings).toBe(feed.listings.length);
    expect(r.rejectedLines).toBe(feed.rejected.length);
    expect(r).toMatchObject({ scored: r.listings, failed: 0, requests: r.listings, rateLimited: 0 });
    const stored = rows(o.dbPath);
    expect(stored).toHaveLength(r.listings);
    for (const listing of feed.listings) {
      const row = stored.find((s) => s.listing_id === listing.id);
      expect(row?.model).toBe(routeListing(listingFeatures(listing), DEFAULT_ROUTING).model);
      expect(Number.isInteger(row?.score) && (row?.score ?? 0) >= 1 && (row?.score ?? 0) <= 10).toBe(true);
    }
    expect(sim?.ledger().total.requests).toBe(r.listings);
    expect(readNaiveScores(o.dbPath).size).toBe(r.listings);
  });

  it('pins a tier when asked', async () => {
    const o = await setUp({}, 15);
    await runNaivePipeline({ ...o, model: 'large' });
    expect(new Set(rows(o.dbPath).map((s) => s.model))).toEqual(new Set([DEFAULT_ROUTING.models.large]));
  });

  it('retries 429s and invalid answers, never stores an invalid score, and records what failed', async () => {
    const o = await setUp({ random429Rate: 0.3, outputFaults: { schemaViolation: 0.2 } }, 60);
    const r = await runNaivePipeline(o);
    expect(r.rateLimited).toBeGreaterThan(0);
    expect(r.invalid).toBeGreaterThan(0);
    expect(r.requests).toBeGreaterThan(r.listings);
    expect(r.scored + r.failed).toBe(r.listings);
    const stored = rows(o.dbPath);
    expect(stored).toHaveLength(r.listings);
    for (const row of stored) {
      if (row.score === null) expect(row.error).toMatch(/^(http_429|invalid_output)/);
      else expect(row.error).toBeNull();
      expect(row.attempts).toBeGreaterThanOrEqual(1);
      expect(row.attempts).toBeLessThanOrEqual(3);
    }
    expect(Object.values(r.failures).reduce((a, b) => a + b, 0)).toBe(r.failed);
  });
});
