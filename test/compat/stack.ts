import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { generateFeed } from '../../feedgen/generate';
import type { RunInput, RunSummary } from '../../src/shared/messages';
import { SqliteStore } from '../../src/store/sqlite';
import type { CallRecord, DeadLetterRecord, ScoreRecord } from '../../src/store/store';
import { dailyScoringRun } from '../../src/workflows';
import { feedRun } from '../support/harness';
import { startWorker, type WorkerProcess } from '../support/processes';
import { startRecordingProxy, type Exchange, type Usage } from './recording-proxy';

export interface CompatRunOptions {
  address: string;
  /** The server under test, e.g. http://127.0.0.1:PORT (no /v1). */
  upstream: string;
  model: string;
  listings: number;
  outputMode: 'tools' | 'json_schema' | 'auto';
  /** Anything else a user of that server would set too (timeouts, concurrency). */
  env?: Record<string, string>;
  /** Run options beyond the feed (e.g. a batch poll interval that suits a local server). */
  run?: Partial<RunInput>;
  label: string;
}

export interface CompatRun {
  summary: RunSummary;
  planned: string[];
  scores: ScoreRecord[];
  deadLetters: DeadLetterRecord[];
  calls: CallRecord[];
  exchanges: Exchange[];
  workerLog: string;
  durationMs: number;
}

/**
 * One feed through the pipeline as a user would run it against their own server: a real
 * worker process configured only by environment (base URL, model names, their prices, output
 * mode), the shared real Temporal dev server, and a recording proxy in front of the server.
 */
export async function runCompatFeed(o: CompatRunOptions): Promise<CompatRun> {
  const dir = mkdtempSync(join(tmpdir(), `scoreline-compat-${o.label}-`));
  const proxy = await startRecordingProxy(o.upstream);
  const taskQueue = `compat-${o.label}-${randomUUID()}`;
  const db = join(dir, 'scoreline.db');
  const feedPath = join(dir, 'feed.jsonl');
  writeFileSync(feedPath, `${generateFeed({ date: '2026-11-29', seed: 5, count: o.listings }).join('\n')}\n`);
  let worker: WorkerProcess | undefined;
  const connection = await Connection.connect({ address: o.address });
  const started = Date.now();
  try {
    worker = await startWorker({
      TEMPORAL_ADDRESS: o.address,
      SCORELINE_TASK_QUEUE: taskQueue,
      OPENAI_BASE_URL: `${proxy.url}/v1`,
      OPENAI_API_KEY: 'sk-compat-local',
      SCORELINE_DB: db,
      SCORELINE_LOG_FILE: join(dir, 'scoreline.log'),
      SCORELINE_SMALL_MODEL: o.model,
      SCORELINE_LARGE_MODEL: o.model,
      // A local model costs nothing per token, but the pipeline refuses an unpriced model.
      SCORELINE_PRICES: JSON.stringify({ [o.model]: { input: 0.01, cachedInput: 0.005, output: 0.02 } }),
      SCORELINE_OUTPUT_MODE: o.outputMode,
      ...o.env,
    });
    await worker.ready();
    const client = new Client({ connection });
    const summary = await client.workflow.execute(dailyScoringRun, {
      taskQueue,
      workflowId: `compat-${o.label}-${randomUUID()}`,
      args: [feedRun(feedPath, { route: 'auto', ...o.run })],
    });
    const durationMs = Date.now() - started;
    const store = new SqliteStore(db);
    try {
      const totals = await store.runTotals(summary.runId);
      const scores = await store.listScores(summary.runId, 10_000, 0);
      const deadLetters = await store.listDeadLetters(summary.runId);
      const calls = await store.listCalls({ runId: summary.runId, limit: 100_000 });
      const planned = [
        ...new Set([...scores.map((s) => s.listingId), ...deadLetters.map((d) => d.listingId)]),
      ];
      if (totals.planned !== summary.planned) throw new Error('store and summary disagree on the plan');
      return {
        summary,
        planned,
        scores,
        deadLetters,
        calls,
        exchanges: [...proxy.exchanges],
        workerLog: worker.output(),
        durationMs,
      };
    } finally {
      await store.close();
    }
  } finally {
    await worker?.stop('SIGTERM');
    await proxy.close();
    await connection.close();
    // SCORELINE_COMPAT_KEEP=1 keeps the database, logs and feed for a look afterwards.
    if (process.env.SCORELINE_COMPAT_KEEP) console.log(`compat run kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Token triples, sorted, so the pipeline's rows and the wire's answers compare as multisets. */
export function tokenTriples(
  rows: Array<{ promptTokens: number; cachedTokens: number; completionTokens: number }>,
) {
  return rows.map((r) => `${r.promptTokens}/${r.cachedTokens}/${r.completionTokens}`).sort();
}

/** The figures the coordinator reports, printed once per server. */
export function printFigures(server: string, run: CompatRun): void {
  const reasons: Record<string, number> = {};
  for (const d of run.deadLetters) {
    const key = `${d.reason}: ${d.lastError.slice(0, 90)}`;
    reasons[key] = (reasons[key] ?? 0) + 1;
  }
  const chat = run.exchanges.filter((e) => e.path.endsWith('/chat/completions'));
  console.log(
    [
      `compat figures — ${server}`,
      `  listings ${run.summary.planned}: ${run.scores.length} persisted valid (${pct(run.scores.length, run.summary.planned)}), ${run.deadLetters.length} dead-lettered`,
      `  calls ${run.calls.length} (chat requests on the wire ${chat.length}: ${count(chat, 'tools')} forced tools, ${count(chat, 'json_schema')} json_schema)`,
      `  tokens ${run.summary.promptTokens} prompt / ${run.summary.completionTokens} completion; run ${(run.durationMs / 1000).toFixed(1)} s`,
      `  dead-letter reasons: ${Object.keys(reasons).length ? JSON.stringify(reasons, null, 1) : 'none'}`,
    ].join('\n'),
  );
}

const pct = (n: number, d: number) => `${d ? ((100 * n) / d).toFixed(0) : 0}%`;
const count = (xs: Exchange[], mode: Exchange['mode']) => xs.filter((e) => e.mode === mode).length;

/**
 * The usage of every batch line the server answered, from the output files as downloaded.
 * A file downloaded twice (a retried collection) counts once: the last whole copy.
 */
export function batchLineUsages(exchanges: Exchange[]): Usage[] {
  const byFile = new Map<string, Usage[]>();
  for (const e of exchanges) if (e.status === 200 && e.lineUsages) byFile.set(e.path, e.lineUsages);
  return [...byFile.values()].flat();
}
