import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { accountRun, invariantFailures } from './chaos/accounting';
import { diagnoseStuckRun, partialSummary } from './chaos/diagnose';
import { followRun, sleep, StallTracker, StuckRunError, type Trigger } from './chaos/follow';
import { renderChaos, type ChaosEvent, type ChaosFacts } from './chaos/report';
import {
  AT,
  CHAOS_CALL_TIMEOUT_MS,
  CHAOS_FEED,
  CHAOS_SIMULATOR,
  LISTING_CONCURRENCY,
  MIN_GAP_MS,
  STUCK_AFTER_MS,
  OUTAGE,
  QUOTA_BURST_MS,
  SERVER_DOWN_MS,
} from './chaos/scenario';
import { SimulatorProcess } from './chaos/sim-process';
import { PROJECT_ROOT } from '../src/dev/temporal-binary';
import { defaultCriteria, writeFeedFile } from '../feedgen/generate';
import { SqliteStore } from '../src/store/sqlite';
import { CANARY_ID_PREFIX } from '../src/store/store';
import { dailyScoringRun } from '../src/workflows';
import {
  freePort,
  killAllChildren,
  startDevServer,
  startWorker,
  type DevServerProcess,
  type WorkerEnv,
  type WorkerProcess,
} from '../test/support/processes';

/**
 * `npm run chaos`: one real run of 1,200 listings (by default) through every fault the
 * simulator has, while its workers are killed with SIGKILL three times and the Temporal
 * server is killed and restarted once; then the books are checked against the provider's
 * ledger. Every piece is its own process: a dev server on a temp SQLite file, the simulator,
 * and two workers. Exits 1 when an invariant fails.
 */

function options() {
  const { values } = parseArgs({
    options: {
      listings: { type: 'string', default: '1200' },
      seed: { type: 'string', default: '7' },
      workers: { type: 'string', default: '2' },
      out: { type: 'string', default: join(PROJECT_ROOT, 'bench', 'results') },
      /** Keep the temp dir (both databases, logs, every process's output) for a look afterwards. */
      keep: { type: 'boolean', default: false },
    },
  });
  const int = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be an integer ≥ ${min}, got '${raw}'`);
    return n;
  };
  return {
    listings: int('listings', values.listings, 100),
    seed: int('seed', values.seed, 0),
    workers: int('workers', values.workers, 1),
    out: resolve(values.out),
    keep: values.keep,
  };
}

const t0 = Date.now();
const elapsed = () => `+${((Date.now() - t0) / 1000).toFixed(1)}s`.padStart(8);
const say = (msg: string) => console.log(`[chaos ${elapsed()}] ${msg}`);

async function main(): Promise<number> {
  const o = options();
  const dir = mkdtempSync(join(tmpdir(), 'scoreline-chaos-'));
  let server: DevServerProcess | undefined;
  let sim: SimulatorProcess | undefined;
  let connection: Connection | undefined;
  const workers: WorkerProcess[] = [];
  let failed = true;
  try {
    say(`working in ${dir}`);
    server = await startDevServer({ dbFile: join(dir, 'temporal.db'), port: await freePort() });
    say(`temporal dev server at ${server.address} (SQLite ${dir}/temporal.db)`);
    sim = await SimulatorProcess.start({ seed: o.seed, config: CHAOS_SIMULATOR, dir });
    say(`simulator at ${sim.baseURL}`);
    const feedPath = join(dir, 'feed.jsonl');
    const runDate = '2026-11-29';
    const feed = await writeFeedFile(feedPath, {
      date: runDate,
      count: o.listings,
      seed: o.seed,
      ...CHAOS_FEED,
    });
    const env: WorkerEnv = {
      TEMPORAL_ADDRESS: server.address,
      SCORELINE_TASK_QUEUE: `chaos-${randomUUID()}`,
      OPENAI_BASE_URL: sim.baseURL,
      OPENAI_API_KEY: 'sk-chaos-not-a-secret-0123456789',
      SCORELINE_DB: join(dir, 'scoreline.db'),
      SCORELINE_LOG_FILE: join(dir, 'logs', 'scoreline.log'),
      SCORELINE_CALL_TIMEOUT_MS: String(CHAOS_CALL_TIMEOUT_MS),
    };
    const spawnWorker = async (i: number) => {
      const w = await startWorker(env, `worker${i}`);
      workers[i] = w;
      await w.ready();
      return w;
    };
    await Promise.all(Array.from({ length: o.workers }, (_, i) => spawnWorker(i)));
    say(`${o.workers} worker processes up (pids ${workers.map((w) => w.pid).join(', ')})`);

    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const handle = await client.workflow.start(dailyScoringRun, {
      taskQueue: env.SCORELINE_TASK_QUEUE,
      workflowId: `chaos-${runDate}-${randomUUID().slice(0, 8)}`,
      // The synchronous route: every fault above is a chat-completions fault.
      args: [
        {
          runDate,
          feedPath,
          criteria: defaultCriteria,
          route: 'sync',
          listingConcurrency: LISTING_CONCURRENCY,
        },
      ],
    });
    say(`run ${handle.workflowId} started on ${feed.lines} feed lines`);

    const events: ChaosEvent[] = [];
    let kills = 0;
    const live = server;
    const simulator = sim;
    // A replacement starts in the background, so progress (and stalls) are still observed while
    // it bundles its workflows; a later kill of the same slot first waits for it to be up.
    const replacing = new Map<number, Promise<unknown>>();
    const kill = (at: number, i: number): Trigger => ({
      at,
      label: `SIGKILL worker ${i}, start a new one`,
      action: async () => {
        await replacing.get(i);
        say(`killing worker ${i} (pid ${workers[i]?.pid})`);
        await workers[i]?.kill('SIGKILL');
        kills++;
        const next = spawnWorker(i).then((w) => say(`worker ${i} replaced (pid ${w.pid}), polling`));
        replacing.set(i, next);
      },
    });
    const triggers: Trigger[] = [
      kill(AT.killFirst, 0),
      {
        at: AT.quotaBurst,
        label: `insufficient_quota for ${QUOTA_BURST_MS} ms`,
        action: async () => {
          await simulator.configure({ insufficientQuota: true });
          await sleep(QUOTA_BURST_MS);
          await simulator.configure({ insufficientQuota: false });
        },
      },
      kill(AT.killSecond, o.workers - 1),
      {
        at: AT.outage,
        label: `provider outage: ${OUTAGE.mode} for ${OUTAGE.durationMs / 1000} s`,
        action: () => simulator.configure({ outage: OUTAGE }),
      },
      {
        at: AT.serverRestart,
        label: `SIGKILL the Temporal server, restart it on the same db file after ${SERVER_DOWN_MS} ms`,
        action: async () => {
          await live.restart({ signal: 'SIGKILL', downMs: SERVER_DOWN_MS });
          say(`temporal server back (pid ${live.pid})`);
        },
      },
      kill(AT.killThird, 0),
    ];
    let lastPrint = 0;
    const stalls = new StallTracker(t0);
    const store = new SqliteStore(env.SCORELINE_DB);
    let stuck: string[] = [];
    const followed = followRun(handle, {
      triggers,
      timeoutMs: 15 * 60_000,
      stuckAfterMs: STUCK_AFTER_MS,
      pollMs: 1000,
      minGapMs: MIN_GAP_MS,
      onTrigger: (t, p) => {
        const fraction = p.planned ? (p.scored + p.deadLettered) / p.planned : 0;
        events.push({ atMs: Date.now() - t0, fraction, label: t.label });
        say(`>>> ${t.label}`);
      },
      onProgress: (p, fraction) => {
        stalls.observe(p.scored + p.deadLettered);
        if (Date.now() - lastPrint < 5000 && p.phase !== 'done') return;
        lastPrint = Date.now();
        const alive = workers.filter((w) => w.running).length;
        say(
          `${p.phase.padEnd(9)} ${String(p.scored + p.deadLettered).padStart(5)}/${p.planned} ` +
            `(${(fraction * 100).toFixed(0).padStart(3)}%) scored ${p.scored} dead ${p.deadLettered} ` +
            `in flight ${p.inFlight} shards in outage ${p.shardsInOutage} workers ${alive}/${o.workers} $${p.costUsd.toFixed(4)}`,
        );
      },
    }).then(
      () => true,
      async (err: unknown) => {
        if (!(err instanceof StuckRunError)) throw err;
        // A run that waits on nothing never ends: say where it is parked, then account for what it did.
        say(`RUN STUCK: ${err.message}; what it waits on:`);
        stuck = [err.message, ...(await diagnoseStuckRun(client, handle.workflowId))];
        for (const l of stuck.slice(1)) console.log(`    ${l}`);
        return false;
      },
    );
    const finished = await followed;
    await Promise.all(replacing.values());
    const summary = finished
      ? await handle.result()
      : await partialSummary(store, handle.workflowId, runDate, feed.lines);
    const wallMs = Date.now() - t0;
    say(
      `run ${finished ? 'finished' : 'abandoned'}: ${summary.scored} scored, ${summary.deadLettered} dead-lettered; checking the books`,
    );

    const [ledger, simStats] = [await sim.ledger(), await sim.stats()];
    const accounting = await accountRun(store, summary.runId, ledger);
    // The golden canaries join every plan with the default criteria: planned, but no feed line.
    const canaries = (await store.planItems(summary.runId, 0, Number.MAX_SAFE_INTEGER)).filter((i) =>
      i.listingId.startsWith(CANARY_ID_PREFIX),
    ).length;
    await store.close();
    const failures = invariantFailures(accounting, { exactBilling: false });
    if (!finished) failures.unshift(`the run never finished: ${stuck[0] ?? ''}`);
    if (summary.scored !== accounting.scored || summary.deadLettered !== accounting.deadLettered)
      failures.push(`the run summary (${summary.scored}/${summary.deadLettered}) disagrees with the store`);
    if (Math.abs(summary.costUsd * 1e9 - accounting.recorded.nanoUsd) >= 1)
      failures.push(`summary cost ${summary.costUsd} != recorded calls' cost`);
    if (summary.planned - canaries + summary.rejected !== summary.lines)
      failures.push(
        `planned ${summary.planned} - canaries ${canaries} + rejected ${summary.rejected} != lines ${summary.lines}`,
      );
    if (kills !== 3 || live.restarts !== 1)
      failures.push(`scenario incomplete: ${kills} kills, ${live.restarts} server restarts`);
    if (simStats.outage.totalMs === 0) failures.push('scenario incomplete: the outage never happened');

    const facts: ChaosFacts = {
      listings: o.listings,
      feedLines: feed.lines,
      canaries,
      summary,
      accounting,
      sim: simStats,
      events,
      workerKills: kills,
      serverRestarts: live.restarts,
      stalls: stalls.describe(),
      stuck,
      wallMs,
      failures,
    };
    const text = renderChaos(facts);
    console.log(`\n${text}`);
    mkdirSync(o.out, { recursive: true });
    writeFileSync(join(o.out, 'chaos-latest.md'), text);
    const config = {
      simulator: CHAOS_SIMULATOR,
      callTimeoutMs: CHAOS_CALL_TIMEOUT_MS,
      feed: CHAOS_FEED,
      at: AT,
    };
    writeFileSync(
      join(o.out, 'chaos-latest.json'),
      `${JSON.stringify({ ...facts, config, ledger }, null, 2)}\n`,
    );
    say(`wrote ${join(o.out, 'chaos-latest.md')} and chaos-latest.json`);
    failed = failures.length > 0;
    return failed ? 1 : 0;
  } finally {
    await connection?.close().catch(() => undefined);
    for (const w of workers) await w?.kill('SIGTERM').catch(() => undefined);
    await sim?.stop().catch(() => undefined);
    await server?.stop('SIGTERM').catch(() => undefined);
    killAllChildren();
    if (o.keep) say(`kept ${dir} (databases, logs, worker output)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

// Ctrl-C or a kill from CI: take the children down with us (the exit hook only runs on a normal exit).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

main().then(
  // exit() rather than exitCode: a client socket still closing must not hold the script open.
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`chaos failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
