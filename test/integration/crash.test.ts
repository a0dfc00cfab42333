import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accountRun, invariantFailures, type Accounting } from '../../scripts/chaos/accounting';
import { followRun, StallTracker, type Trigger } from '../../scripts/chaos/follow';
import { generateFeed } from '../../feedgen/generate';
import type { RunSummary } from '../../src/shared/messages';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { SqliteStore } from '../../src/store/sqlite';
import { dailyScoringRun } from '../../src/workflows';
import {
  freePort,
  killAllChildren,
  startDevServer,
  startWorker,
  type DevServerProcess,
  type WorkerEnv,
  type WorkerProcess,
} from '../support/processes';
import { feedRun } from '../support/harness';

/**
 * Crashes with real processes: a worker process killed with SIGKILL (no shutdown hook, its
 * in-flight activities simply vanish) and a Temporal dev server restarted on its SQLite file.
 * The server is this file's own (not the shared in-memory one), so restarting it hurts no
 * other test. Afterwards every listing must be accounted exactly once, and every call the
 * provider billed must be recorded, unless a killed worker provably lost it mid-attempt.
 */

const LISTINGS = 300;
const dir = mkdtempSync(join(tmpdir(), 'scoreline-crash-'));
let server: DevServerProcess;
let connection: Connection | undefined;
let client: Client;
let sim: RunningSimulator | undefined;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  server = await startDevServer({ dbFile: join(dir, 'temporal.db'), port: await freePort() });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
}, 90_000);

afterEach(async () => {
  for (const w of workers.splice(0)) await w.kill('SIGKILL');
  await sim?.close();
  sim = undefined;
});

afterAll(async () => {
  try {
    await connection?.close();
    await server?.stop('SIGKILL');
  } finally {
    killAllChildren();
    rmSync(dir, { recursive: true, force: true });
  }
});

interface Stack {
  env: WorkerEnv;
  store: SqliteStore;
  feedPath: string;
}

async function stack(label: string): Promise<Stack> {
  // latencyScale 0.3: the run lasts long enough that kills land mid-run, not between runs.
  sim = await startSimulator({ port: 0, seed: 7, config: { latencyScale: 0.3 } });
  const base = join(dir, `${label}-${randomUUID().slice(0, 8)}`);
  const feedPath = `${base}-feed.jsonl`;
  writeFileSync(feedPath, `${generateFeed({ date: '2026-11-29', seed: 11, count: LISTINGS }).join('\n')}\n`);
  const env: WorkerEnv = {
    TEMPORAL_ADDRESS: server.address,
    SCORELINE_TASK_QUEUE: `crash-${randomUUID()}`,
    OPENAI_BASE_URL: sim.baseURL,
    OPENAI_API_KEY: 'sk-test-secret-key-0123456789',
    SCORELINE_DB: `${base}.db`,
    SCORELINE_LOG_FILE: `${base}.log`,
  };
  return { env, store: new SqliteStore(env.SCORELINE_DB), feedPath };
}

async function newWorker(env: WorkerEnv): Promise<WorkerProcess> {
  const w = await startWorker(env);
  workers.push(w);
  await w.ready();
  return w;
}

async function runWith(
  s: Stack,
  label: string,
  triggers: Trigger[],
  stalls: StallTracker,
): Promise<RunSummary> {
  const handle = await client.workflow.start(dailyScoringRun, {
    taskQueue: s.env.SCORELINE_TASK_QUEUE,
    workflowId: `${label}-${randomUUID()}`,
    // The synchronous route: the chat-completions path whose in-flight calls a kill interrupts.
    // Shards of 50, two at a time: progress arrives as shards end (or every few seconds), and
    // the later triggers need a report between 55% and the end (a faster worker sends fewer).
    args: [feedRun(s.feedPath, { route: 'sync', shardSize: 50, maxConcurrentShards: 2 })],
  });
  await followRun(handle, {
    triggers,
    timeoutMs: 270_000,
    onProgress: (p) => stalls.observe(p.scored + p.deadLettered),
  });
  return handle.result();
}

function describeAccounting(a: Accounting): string {
  const { recordedByModel: _r, billedByModel: _b, ...headline } = a;
  return JSON.stringify(headline);
}

describe('crashes of real processes', () => {
  it('completes with the same accounting after the worker is killed with SIGKILL three times mid-run', async () => {
    const s = await stack('kill');
    let worker = await newWorker(s.env);
    const kills: Array<{ at: number; simInFlight: number }> = [];
    const kill = (at: number): Trigger => ({
      at,
      label: `kill at ${at}`,
      action: async () => {
        kills.push({ at, simInFlight: sim?.stats().inFlight ?? 0 });
        await worker.kill('SIGKILL');
        worker = await newWorker(s.env);
      },
    });
    const stalls = new StallTracker(Date.now());
    const summary = await runWith(s, 'crash-kill', [kill(0.15), kill(0.35), kill(0.55)], stalls);
    const a = await accountRun(s.store, summary.runId, (sim as RunningSimulator).ledger());
    console.info(
      `[crash:kill] kills ${JSON.stringify(kills)} stalls ${stalls.describe()} accounting ${describeAccounting(a)}`,
    );
    await s.store.close();

    expect(kills).toHaveLength(3);
    expect(summary).toMatchObject({ planned: LISTINGS, scored: a.scored, deadLettered: a.deadLettered });
    expect(invariantFailures(a, { exactBilling: false })).toEqual([]);
    expect(a.scored + a.deadLettered).toBe(LISTINGS);
    // Nothing here fails on its own: without faults every listing gets a score.
    expect(a.scored).toBe(LISTINGS);
    // The kills hit work in flight (else this test proves nothing). Attempts killed mid-call were
    // retried; any the provider had already answered were paid again, since the answer died with
    // the process: invariantFailures allows exactly that gap and no more. The summary bills what
    // was recorded.
    expect(a.lostAttempts + kills.reduce((n, k) => n + k.simInFlight, 0)).toBeGreaterThan(0);
    expect(summary.costUsd * 1e9).toBeCloseTo(a.recorded.nanoUsd, 0);
  }, 300_000);

  it('completes with the same accounting after the Temporal server restarts mid-run', async () => {
    const s = await stack('restart');
    await newWorker(s.env);
    let downMs = 0;
    const restart: Trigger = {
      at: 0.4,
      label: 'server restart',
      action: async () => {
        const t0 = Date.now();
        // SIGKILL: a crash, not a clean shutdown; WAL keeps every committed transaction.
        await server.restart({ signal: 'SIGKILL', downMs: 2000 });
        downMs = Date.now() - t0;
      },
    };
    const stalls = new StallTracker(Date.now());
    const summary = await runWith(s, 'crash-restart', [restart], stalls);
    const a = await accountRun(s.store, summary.runId, (sim as RunningSimulator).ledger());
    console.info(
      `[crash:restart] down ${downMs} ms stalls ${stalls.describe()} accounting ${describeAccounting(a)}`,
    );
    await s.store.close();

    expect(server.restarts).toBe(1);
    // The same worker process carried on: it reconnected by itself.
    expect(workers.filter((w) => w.running)).toHaveLength(1);
    expect(summary).toMatchObject({ planned: LISTINGS, scored: LISTINGS, deadLettered: 0 });
    // No worker died, so nothing may be lost: the provider's bill and ours agree exactly.
    expect(invariantFailures(a, { exactBilling: true })).toEqual([]);
    expect(summary.costUsd * 1e9).toBeCloseTo(a.billed.nanoUsd, 0);
  }, 240_000);
});
