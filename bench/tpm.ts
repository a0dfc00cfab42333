import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../src/dev/temporal-binary';
import { writeFeedFile } from '../feedgen/generate';
import { MAX_COMPLETION_TOKENS } from '../src/scoring/prompt';
import { startSimulator } from '../simulator';
import { allPages, callPages } from '../src/store/paging';
import { SqliteStore } from '../src/store/sqlite';
import { dailyScoringRun } from '../src/workflows';
import { feedRun } from '../test/support/harness';
import {
  freePort,
  killAllChildren,
  startDevServer,
  startWorker,
  type WorkerProcess,
} from '../test/support/processes';

/**
 * `npm run bench:tpm`: three worker processes against the simulator with a feed bound by the
 * model's tokens-per-minute limit, once with the limit configured (SCORELINE_MODEL_TPM) and
 * once with nothing configured, where the workers must learn it from x-ratelimit-* headers.
 *
 * Throughput is what the provider charges against the limit (prompt tokens + the output
 * allowance, as OpenAI counts a request at admission), per minute, over the limit; the
 * provider's bucket starts full, so that first minute's allowance is subtracted as a free
 * burst. Goal: ≥ 0.9 of the limit with ≤ 0.5% of requests refused by the limiter (429s the
 * pipeline caused; the simulator's random 429s are off). Writes bench/results/tpm.{md,json}.
 */

const MODEL = 'gpt-4o-mini';
const TPM = Number(process.env.BENCH_TPM ?? 150_000);
const LISTINGS = Number(process.env.BENCH_TPM_LISTINGS ?? 900);
const WORKERS = 3;

interface PhaseResult {
  phase: 'configured' | 'learned';
  listings: number;
  wallSeconds: number;
  requests: number;
  rateLimited: number;
  /** Charged tokens per minute over the whole run, ÷ the limit (start burst and tail included). */
  wholeRunOverTpm: number;
  rateLimitedShare: number;
  chargedTokens: number;
  throughputOverTpm: number;
  meets: boolean;
}

const log = (line: string) =>
  process.stdout.write(`[bench:tpm ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function phase(kind: PhaseResult['phase'], dir: string, address: string): Promise<PhaseResult> {
  const sim = await startSimulator({
    port: 0,
    seed: 5,
    // Requests are not the bottleneck: only the token limit binds.
    config: { latencyScale: 0.3, rateLimits: { [MODEL]: { rpm: 100_000, tpm: TPM } } },
  });
  const workers: WorkerProcess[] = [];
  const connection = await Connection.connect({ address });
  try {
    const feedPath = join(dir, `${kind}-feed.jsonl`);
    await writeFeedFile(feedPath, {
      date: '2026-11-29',
      count: LISTINGS,
      seed: kind === 'configured' ? 31 : 32,
    });
    const taskQueue = `bench-tpm-${kind}-${Date.now()}`;
    for (let i = 0; i < WORKERS; i++) {
      workers.push(
        await startWorker(
          {
            TEMPORAL_ADDRESS: address,
            SCORELINE_TASK_QUEUE: taskQueue,
            OPENAI_BASE_URL: sim.baseURL,
            OPENAI_API_KEY: 'sk-bench-tpm-key',
            SCORELINE_DB: join(dir, `${kind}.db`),
            SCORELINE_LOG_FILE: join(dir, `${kind}-worker-${i}.log`),
            ...(kind === 'configured' ? { SCORELINE_MODEL_TPM: String(TPM) } : {}),
          },
          `${kind}-worker-${i}`,
        ),
      );
    }
    await Promise.all(workers.map((w) => w.ready()));
    log(`${kind}: ${WORKERS} workers up; ${LISTINGS} listings at ${TPM} TPM`);
    const client = new Client({ connection });
    const t0 = Date.now();
    const summary = await client.workflow.execute(dailyScoringRun, {
      taskQueue,
      workflowId: `bench-tpm-${kind}-${Date.now()}`,
      args: [feedRun(feedPath, { route: 'sync', escalateBelow: 0 })],
    });
    const wallSeconds = (Date.now() - t0) / 1000;
    const stats = sim.stats();
    const billed = sim.ledger().models[MODEL];
    const chargedTokens = (billed?.promptTokens ?? 0) + (billed?.requests ?? 0) * MAX_COMPLETION_TOKENS;
    const rateLimited = stats.rateLimited.requests + stats.rateLimited.tokens;
    // Steady state: calls that started from a minute after the first one to the last one, so
    // neither the provider's full bucket at the start nor the run's tail counts.
    const store = new SqliteStore(join(dir, `${kind}.db`));
    const calls = (await allPages(callPages(store, { runId: summary.runId, model: MODEL })))
      .filter((c) => c.status === 'ok')
      .map((c) => ({ at: Date.parse(c.startedAt), tokens: c.promptTokens + MAX_COMPLETION_TOKENS }));
    await store.close();
    const first = Math.min(...calls.map((c) => c.at));
    const last = Math.max(...calls.map((c) => c.at));
    const steady = calls.filter((c) => c.at >= first + 60_000);
    const steadyTokens = steady.reduce((n, c) => n + c.tokens, 0);
    const throughputOverTpm = steadyTokens / (((last - first - 60_000) / 60_000) * TPM);
    const rateLimitedShare = rateLimited / Math.max(1, stats.totalRequests);
    const r: PhaseResult = {
      phase: kind,
      listings: summary.planned,
      wallSeconds: Math.round(wallSeconds),
      requests: stats.totalRequests,
      rateLimited,
      wholeRunOverTpm: chargedTokens / ((wallSeconds / 60) * TPM),
      rateLimitedShare,
      chargedTokens,
      throughputOverTpm,
      meets: throughputOverTpm >= 0.9 && rateLimitedShare <= 0.005,
    };
    log(`${kind}: ${JSON.stringify(r)}`);
    return r;
  } finally {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await connection.close();
    await sim.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scoreline-bench-tpm-'));
  const load = loadavg()[0] ?? 0;
  const server = await startDevServer({ dbFile: join(dir, 'temporal.db'), port: await freePort() });
  const results: PhaseResult[] = [];
  try {
    for (const kind of ['configured', 'learned'] as const)
      results.push(await phase(kind, dir, server.address));
  } finally {
    await server.stop('SIGTERM');
    killAllChildren();
    rmSync(dir, { recursive: true, force: true });
  }
  const out = resolve(PROJECT_ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  const meta = {
    tpm: TPM,
    listingsPerPhase: LISTINGS,
    workers: WORKERS,
    loadAtStart: load,
    at: new Date().toISOString(),
  };
  writeFileSync(join(out, 'tpm.json'), `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
  const rows = results.map(
    (r) =>
      `| ${r.phase} | ${r.listings} | ${r.wallSeconds} | ${r.throughputOverTpm.toFixed(3)} | ${r.rateLimited} / ${r.requests} (${(100 * r.rateLimitedShare).toFixed(2)}%) | ${r.meets ? 'yes' : 'no'} |`,
  );
  const md = [
    '# TPM benchmark (`npm run bench:tpm`)',
    '',
    `${WORKERS} worker processes, one Temporal dev server, the simulator limiting ${MODEL} to ${TPM} tokens/min`,
    `(requests unbound). Measured ${meta.at}, load average ${load.toFixed(1)} at start on 2 shared cores.`,
    'Throughput = tokens charged against the limit (prompt + output allowance, as the provider counts',
    'at admission) per minute from one minute after the first call to the last call start, ÷ the limit.',
    'Goal: ≥ 0.9 with ≤ 0.5% of requests refused (429).',
    '',
    '| limits | listings | wall s | throughput ÷ TPM | 429s / requests | goal met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(join(out, 'tpm.md'), md);
  process.stdout.write(`\n${md}`);
}

main().catch((err: unknown) => {
  console.error(`bench:tpm failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  killAllChildren();
  process.exitCode = 1;
});
