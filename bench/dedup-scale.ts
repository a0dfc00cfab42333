/**
 * `npm run bench:dedup-scale -- --listings 1000000`: how near-duplicate clustering holds up at a
 * million listings. It seeds a SQLite store with one run's embedded listings (no LLM, no
 * Temporal server: clustering is one activity over the store) and runs the real
 * `clusterNearDuplicates` activity on it, then reports wall time, peak RSS, blocks and what was
 * caught of the planted reposts.
 *
 * The day's shape is made to be hard, not kind: companies by a Zipf law (a staffing agency with
 * tens of thousands of listings in one guard block), each company's listings drawn around a few
 * job templates (siblings at cosine ~0.85, which crowd the LSH buckets as real embeddings of
 * one employer's jobs do, unlike random vectors), and a share of reposts at cosine ~0.98 to an
 * original.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ActivityDeps } from '../src/activities';
import { makeClusterNearDuplicates } from '../src/activities/near-duplicates';
import { createLogger } from '../src/observability/logger';
import type { ClusterResult } from '../src/shared/dedup';
import { RUN_DEFAULTS } from '../src/shared/messages';
import { SqliteStore } from '../src/store/sqlite';
import { Rng } from '../feedgen/random';
import { log, tempDir } from './lib/setup';

interface Flags {
  listings: number;
  dimensions: number;
  companies: number;
  repostRate: number;
  outDir: string;
}

function parseFlags(argv: string[]): Flags {
  const get = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const num = (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER) => {
    const raw = get(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n <= 0 || n > max)
      throw new Error(`${name} must be a number above 0 and at most ${max}, got "${raw}"`);
    return n;
  };
  const listings = Math.round(num('--listings', 100_000));
  return {
    listings,
    dimensions: Math.round(num('--dimensions', RUN_DEFAULTS.dedup.dimensions, 4096)),
    // About 25 listings a company on average; the Zipf law makes the head far larger.
    companies: Math.round(num('--companies', Math.max(1, Math.round(listings / 25)), listings)),
    repostRate: num('--repost-rate', 0.2, 0.9),
    outDir: get('--out') ?? 'bench/results',
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const k = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * k;
  return v;
}

/** `base` moved by noise of relative size `noise` (cosine to base ≈ 1 / sqrt(1 + noise²)). */
function around(next: () => number, base: Float32Array, noise: number): Float32Array {
  const scale = noise / Math.sqrt(base.length);
  return unit(base.map((x) => x + scale * gaussian(next)));
}

/** Company sizes by a Zipf law with exponent 1.07, the largest first. */
function companySizes(listings: number, companies: number): number[] {
  const weights = Array.from({ length: companies }, (_, k) => 1 / Math.pow(k + 1, 1.07));
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / total) * listings)));
  let left = listings - sizes.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k = (k + 1) % companies, left--) sizes[k] = (sizes[k] as number) + 1;
  // Flooring at one listing a company may overshoot; the largest give the excess back.
  for (let k = 0; left < 0; k = (k + 1) % companies) {
    if ((sizes[k] as number) <= 1) continue;
    sizes[k] = (sizes[k] as number) - 1;
    left++;
  }
  return sizes;
}

interface Truth {
  /** listing id → the original it reposts. */
  reposts: Map<string, string>;
}

async function seed(store: SqliteStore, f: Flags, runId: string): Promise<Truth> {
  const random = new Rng(7);
  const next = () => random.next();
  const key = { model: RUN_DEFAULTS.dedup.model, dimensions: f.dimensions };
  const truth: Truth = { reposts: new Map() };
  const sizes = companySizes(f.listings, f.companies);
  let seq = 0;
  let items: Array<{ listingId: string; seq: number; textHash: string; guardKey: string }> = [];
  let vectors: Array<{ textHash: string; vector: Float32Array }> = [];
  const flush = async () => {
    await store.dedup.addItems(runId, items);
    await store.dedup.saveEmbeddings(key, vectors);
    items = [];
    vectors = [];
  };
  for (const [c, size] of sizes.entries()) {
    const guardKey = `company:c${c}`;
    const templates = Array.from({ length: Math.max(1, Math.ceil(Math.sqrt(size) / 2)) }, () =>
      unit(Float32Array.from({ length: f.dimensions }, () => gaussian(next))),
    );
    const originals: string[] = [];
    const vectorOf = new Map<string, Float32Array>();
    for (let i = 0; i < size; i++) {
      const listingId = `l${seq}`;
      const repostOf =
        originals.length > 0 && next() < f.repostRate
          ? originals[Math.floor(next() * originals.length)]
          : undefined;
      // Reposts at cosine ~0.98 to their original; siblings at ~0.85 to their template.
      const vector = repostOf
        ? around(next, vectorOf.get(repostOf) as Float32Array, 0.2)
        : around(next, templates[Math.floor(next() * templates.length)] as Float32Array, 0.62);
      if (repostOf) truth.reposts.set(listingId, repostOf);
      else {
        originals.push(listingId);
        vectorOf.set(listingId, vector);
      }
      items.push({ listingId, seq, textHash: `t${seq}`, guardKey });
      vectors.push({ textHash: `t${seq}`, vector });
      seq++;
      if (items.length >= 5000) await flush();
    }
  }
  await flush();
  return truth;
}

async function main(): Promise<void> {
  const f = parseFlags(process.argv.slice(2));
  const temp = tempDir('dedup-scale-');
  const runId = 'scale-run';
  const store = new SqliteStore(join(temp.dir, 'scoreline.db'));
  try {
    await store.migrate();
    await store.upsertRun({
      runId,
      runDate: '2026-11-29',
      feedPath: 'generated',
      criteria: 'bench',
      status: 'running',
      startedAt: new Date().toISOString(),
    });
    log(`seeding ${f.listings.toLocaleString('en-US')} embedded listings at ${f.dimensions} dimensions`);
    const seeded = Date.now();
    const truth = await seed(store, f, runId);
    const seedS = (Date.now() - seeded) / 1000;
    log(`seeded in ${seedS.toFixed(1)} s; clustering`);

    const deps = {
      store,
      logger: createLogger({ level: 'silent', console: false }),
    } as unknown as ActivityDeps;
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
    const rssBefore = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    const result: ClusterResult = await new MockActivityEnvironment().run(makeClusterNearDuplicates(deps), {
      runId,
      runDate: '2026-11-29',
      model: RUN_DEFAULTS.dedup.model,
      dimensions: f.dimensions,
      threshold: RUN_DEFAULTS.dedup.threshold,
      lookbackDays: RUN_DEFAULTS.dedup.lookbackDays,
    });
    const wallS = (Date.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);

    const found = new Map(
      (await store.dedup.listNearDuplicates(runId, f.listings)).map((n) => [n.listingId, n.leaderListingId]),
    );
    // A repost is caught when it reuses its original's answer or that of another repost of it.
    const rootOf = (id: string) => truth.reposts.get(id) ?? id;
    let caught = 0;
    let wrong = 0;
    for (const [id, leader] of found) {
      if (rootOf(id) === rootOf(leader)) caught += truth.reposts.has(id) ? 1 : 0;
      else wrong++;
    }
    const figures = {
      listings: f.listings,
      dimensions: f.dimensions,
      companies: f.companies,
      largestBlock: result.largestBlock,
      blocks: result.blocks,
      plantedReposts: truth.reposts.size,
      caught,
      caughtShare: +(caught / Math.max(1, truth.reposts.size)).toFixed(4),
      wrongMerges: wrong,
      wrongShare: +(wrong / f.listings).toFixed(5),
      seedSeconds: +seedS.toFixed(1),
      clusterSeconds: +wallS.toFixed(1),
      clusterCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      microsecondsPerListing: +((wallS * 1e6) / f.listings).toFixed(1),
      peakRssMb: Math.round(peakRss / 2 ** 20),
      rssBeforeMb: Math.round(rssBefore / 2 ** 20),
      loadAverage: loadavg().map((x) => +x.toFixed(2)),
    };
    log(JSON.stringify(figures));
    mkdirSync(f.outDir, { recursive: true });
    writeFileSync(
      join(f.outDir, `dedup-scale-${f.listings}.json`),
      `${JSON.stringify({ date: new Date().toISOString(), ...figures }, null, 2)}\n`,
    );
  } finally {
    await store.close();
    temp.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
