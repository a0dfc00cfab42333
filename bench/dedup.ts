/**
 * `npm run bench:dedup`: a generated day where about 20% of listings are reposts with realistic
 * edits, scored with near-duplicate dedup off and on (each on a fresh stack and database), per
 * route. Reports LLM calls and cost both ways, the share of reposts caught, wrong merges against
 * the generator's truth, and what the embeddings cost against what dedup saved. Writes
 * bench/results/dedup.md and .json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repostTruth, writeFeedFile } from '../feedgen/generate';
import type { DedupOptions } from '../src/shared/dedup';
import { SqliteStore } from '../src/store/sqlite';
import { readScorelineScores, runScoreline, type BenchRoute, type ScoreRow } from './lib/scoreline';
import { CRITERIA, log, tempDir, unlimitedConfig } from './lib/setup';
import { withScorelineStack } from './lib/stack';

const EMBEDDING_MODEL = 'text-embedding-3-small';
const DATE = '2026-11-29';

interface Flags {
  listings: number;
  seed: number;
  routes: BenchRoute[];
  threshold: number | undefined;
  outDir: string;
}

function parseFlags(argv: string[]): Flags {
  const get = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const num = (name: string, fallback: number) => {
    const raw = get(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
    return n;
  };
  const routes = (get('--route') ?? 'sync,batch').split(',') as BenchRoute[];
  for (const r of routes)
    if (!['sync', 'batch', 'auto'].includes(r)) throw new Error(`--route: unknown route "${r}"`);
  const threshold = get('--threshold');
  return {
    listings: num('--listings', 2000),
    seed: num('--seed', 42),
    routes,
    threshold: threshold === undefined ? undefined : num('--threshold', 0.95),
    outDir: get('--out') ?? 'bench/results',
  };
}

interface RunFigures {
  llmCalls: number;
  llmUsd: number;
  embeddingCalls: number;
  embeddingTokens: number;
  embeddingUsd: number;
  totalUsd: number;
  pipelineUsd: number;
  scored: number;
  deadLettered: number;
  wallMs: number;
  scores: Map<string, ScoreRow>;
  nearDuplicates: Array<{ listingId: string; leaderListingId: string; similarity: number }>;
}

async function runOnce(
  flags: Flags,
  dir: string,
  feedPath: string,
  route: BenchRoute,
  dedup: DedupOptions | undefined,
): Promise<RunFigures> {
  mkdirSync(dir, { recursive: true });
  const taskQueue = `bench-dedup-${route}-${dedup ? 'near' : 'off'}`;
  return withScorelineStack(
    { dir, taskQueue, modelRpm: 6_000_000, logLevel: 'warn', seed: flags.seed, sim: unlimitedConfig() },
    async ({ sim, worker, client }) => {
      log(`dedup: ${flags.listings} listings, route ${route}, dedup ${dedup ? 'near' : 'off'}`);
      const run = await runScoreline(client, taskQueue, {
        runDate: DATE,
        feedPath,
        criteria: CRITERIA,
        route,
        batchPollMs: 500,
        ...(dedup ? { dedup } : {}),
      });
      const ledger = sim.ledger();
      const embedding = ledger.models[EMBEDDING_MODEL];
      const store = new SqliteStore(worker.dbPath);
      const nearDuplicates = await store.dedup
        .listNearDuplicates(run.summary.runId, 10_000_000)
        .finally(() => store.close());
      return {
        llmCalls: ledger.total.requests - (embedding?.requests ?? 0),
        llmUsd: ledger.total.usd - (embedding?.usd ?? 0),
        embeddingCalls: embedding?.requests ?? 0,
        embeddingTokens: embedding?.promptTokens ?? 0,
        embeddingUsd: embedding?.usd ?? 0,
        totalUsd: ledger.total.usd,
        pipelineUsd: run.summary.costUsd,
        scored: run.summary.scored,
        deadLettered: run.summary.deadLettered,
        wallMs: run.wallMs,
        scores: await readScorelineScores(worker.dbPath, run.summary.runId),
        nearDuplicates,
      };
    },
  );
}

interface RouteResult {
  route: BenchRoute;
  off: Omit<RunFigures, 'scores' | 'nearDuplicates'>;
  near: Omit<RunFigures, 'scores' | 'nearDuplicates'>;
  reposts: number;
  caught: number;
  caughtShare: number;
  merged: number;
  wrongMerges: number;
  wrongMergeShare: number;
  /** Reused answers equal to the score the listing got on its own in the run without dedup. */
  reusedSameScore: number;
  savedUsd: number;
  embeddingShareOfSavings: number;
}

function compare(
  route: BenchRoute,
  listings: number,
  truth: Map<string, string>,
  off: RunFigures,
  near: RunFigures,
): RouteResult {
  const root = (id: string): string => {
    const source = truth.get(id);
    return source === undefined ? id : root(source);
  };
  // Caught: the repost and what it copies ended in one cluster, whichever of them leads it.
  const leader = new Map(near.nearDuplicates.map((n) => [n.listingId, n.leaderListingId]));
  const clusterOf = (id: string) => leader.get(id) ?? id;
  const caught = [...truth].filter(([id, source]) => clusterOf(id) === clusterOf(source)).length;
  const wrong = near.nearDuplicates.filter((n) => root(n.listingId) !== root(n.leaderListingId)).length;
  const same = near.nearDuplicates.filter(
    (n) => off.scores.get(n.listingId)?.score === near.scores.get(n.listingId)?.score,
  ).length;
  const strip = ({ scores: _s, nearDuplicates: _n, ...rest }: RunFigures) => rest;
  const savedUsd = off.totalUsd - near.llmUsd;
  return {
    route,
    off: strip(off),
    near: strip(near),
    reposts: truth.size,
    caught,
    caughtShare: caught / truth.size,
    merged: near.nearDuplicates.length,
    wrongMerges: wrong,
    wrongMergeShare: wrong / listings,
    reusedSameScore: near.nearDuplicates.length === 0 ? 0 : same / near.nearDuplicates.length,
    savedUsd,
    embeddingShareOfSavings: savedUsd > 0 ? near.embeddingUsd / savedUsd : Number.POSITIVE_INFINITY,
  };
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const usd = (x: number) => `$${x.toFixed(4)}`;

function markdown(flags: Flags, results: RouteResult[], threshold: number): string {
  const rows = results.map(
    (r) =>
      `| ${r.route} | ${r.off.llmCalls.toLocaleString('en-US')} → ${r.near.llmCalls.toLocaleString('en-US')} | ` +
      `${usd(r.off.totalUsd)} → ${usd(r.near.totalUsd)} | ${usd(r.savedUsd)} | ${usd(r.near.embeddingUsd)} (${r.near.embeddingCalls} calls, ${r.near.embeddingTokens.toLocaleString('en-US')} tokens) | ` +
      `${pct(r.embeddingShareOfSavings)} | ${r.caught}/${r.reposts} = ${pct(r.caughtShare)} | ${r.wrongMerges} (${pct(r.wrongMergeShare, 2)}) | ${pct(r.reusedSameScore)} |`,
  );
  const met = (ok: boolean) => (ok ? 'yes' : 'NO');
  const goals = results.map(
    (r) =>
      `- ${r.route}: reposts caught ≥ 90%: ${met(r.caughtShare >= 0.9)}; wrong merges ≤ 0.5%: ${met(r.wrongMergeShare <= 0.005)}; ` +
      `embedding cost < 5% of savings: ${met(r.embeddingShareOfSavings < 0.05)}`,
  );
  return [
    '# Near-duplicates: dedup off vs on',
    '',
    `\`npm run bench:dedup -- --listings ${flags.listings} --seed ${flags.seed} --route ${flags.routes.join(',')}\`, ${new Date().toISOString().slice(0, 10)}.`,
    `One generated day (${DATE}) of ${flags.listings.toLocaleString('en-US')} listings with \`repostRate\` 0.2 (a new id, and at least two of: a date line, other line breaks,`,
    `reordered requirements, another board's URL); 12 canaries on top. Each run on a fresh dev server, simulator (zero latency) and database;`,
    `costs are the simulator's ledger. Dedup: \`--dedup near\`, ${EMBEDDING_MODEL} at 1024 dimensions (description capped at 2,000 characters), threshold ${threshold}.`,
    '',
    '| route | LLM calls off → on | cost off → on | saved (LLM) | embeddings | embeddings ÷ saved | reposts caught | wrong merges (of listings) | reused answer = own answer |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '"Reused answer = own answer": of the listings that reused a representative\'s answer, how many got',
    'the same score in the run without dedup, where they were scored on their own.',
    '',
    ...goals,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const tmp = tempDir('dedup');
  try {
    const feedOpts = {
      date: DATE,
      count: flags.listings,
      seed: flags.seed,
      repostRate: 0.2,
      nearDuplicateRate: 0,
    };
    const feedPath = join(tmp.dir, 'feed.jsonl');
    await writeFeedFile(feedPath, feedOpts);
    const truth = repostTruth(feedOpts);
    const dedup: DedupOptions = {
      mode: 'near',
      ...(flags.threshold === undefined ? {} : { threshold: flags.threshold }),
    };
    const results: RouteResult[] = [];
    for (const route of flags.routes) {
      const off = await runOnce(flags, join(tmp.dir, `${route}-off`), feedPath, route, undefined);
      const near = await runOnce(flags, join(tmp.dir, `${route}-near`), feedPath, route, dedup);
      results.push(compare(route, flags.listings, truth, off, near));
    }
    mkdirSync(flags.outDir, { recursive: true });
    const threshold = flags.threshold ?? 0.95;
    writeFileSync(
      join(flags.outDir, 'dedup.json'),
      `${JSON.stringify({ flags, threshold, results }, null, 2)}\n`,
    );
    const md = markdown(flags, results, threshold);
    writeFileSync(join(flags.outDir, 'dedup.md'), md);
    process.stdout.write(md);
  } finally {
    tmp.remove();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:dedup failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
