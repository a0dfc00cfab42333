import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { RunInput, RunSummary } from '../../src/shared/messages';
import { scorePages } from '../../src/store/paging';
import { SqliteStore } from '../../src/store/sqlite';
import type { ScoreRecord } from '../../src/store/store';
import { dailyScoringRun } from '../../src/workflows';

/** The routes a run can take ('auto': the Batch API when the provider has one, then sync). */
export type BenchRoute = 'auto' | 'batch' | 'sync';

/**
 * RunInput with `route` spelled out, so the bench compiles against a RunInput with or
 * without it. A workflow that does not read `route` ignores it; the simulator ledger's batch
 * section (reported by the cost phase) shows whether any call really went through the Batch API.
 */
export type BenchRunInput = RunInput & { route?: BenchRoute };

export interface ScorelineRun {
  workflowId: string;
  summary: RunSummary;
  wallMs: number;
}

export async function connectClient(
  address: string,
): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/** Starts one daily run and waits for its summary. No queries while it runs: they would cost worker CPU. */
export async function runScoreline(
  client: Client,
  taskQueue: string,
  input: BenchRunInput,
): Promise<ScorelineRun> {
  const workflowId = `bench-${input.runDate ?? 'run'}-${Date.now().toString(36)}`;
  const started = Date.now();
  const handle = await client.workflow.start(dailyScoringRun, {
    taskQueue,
    workflowId,
    args: [input],
    staticSummary: `benchmark run (${input.runDate ?? ''})`,
  });
  const summary = await handle.result();
  return { workflowId, summary, wallMs: Date.now() - started };
}

export interface HistoryStats {
  /** Event counts of the parent's executions, in continue-as-new order. */
  parentEvents: number[];
  shardEvents: number[];
  totalEvents: number;
  maxEvents: number;
  /** Which execution holds `maxEvents`. */
  maxWhere: string;
  maxBytes: number;
}

/**
 * Event counts of every execution of a run: the parent's continue-as-new chain (followed
 * through each history's last event) and every shard child (its length from describe, which
 * spares fetching 1,000 full histories at 100,000 listings).
 */
export async function historyStats(client: Client, workflowId: string): Promise<HistoryStats> {
  const parentEvents: number[] = [];
  let maxBytes = 0;
  let runId: string | undefined =
    (await client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.firstRunId ??
    undefined;
  const seen = new Set<string>();
  while (runId && !seen.has(runId)) {
    seen.add(runId);
    const handle = client.workflow.getHandle(workflowId, runId);
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    parentEvents.push(events.length);
    const d = await handle.describe();
    maxBytes = Math.max(maxBytes, d.historySize ?? 0);
    const last = events[events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }

  const shardEvents: number[] = [];
  const ids: string[] = [];
  // Shards are numbered from 0; the first missing one ends the list.
  for (let i = 0; ; i += 32) {
    const batch = Array.from({ length: 32 }, (_, k) => `${workflowId}/shard-${i + k}`);
    const found = await Promise.all(
      batch.map(async (id) => {
        try {
          const d = await client.workflow.getHandle(id).describe();
          maxBytes = Math.max(maxBytes, d.historySize ?? 0);
          return { id, length: d.historyLength };
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) return undefined;
          throw err;
        }
      }),
    );
    for (const f of found) {
      if (!f) continue;
      ids.push(f.id);
      shardEvents.push(f.length);
    }
    if (found.some((f) => f === undefined)) break;
  }
  const all = [
    ...parentEvents.map((n, i) => ({ n, where: `parent execution ${i + 1}` })),
    ...shardEvents.map((n, i) => ({ n, where: ids[i] ?? 'shard' })),
  ];
  const max = all.reduce((m, e) => (e.n > m.n ? e : m), { n: 0, where: '' });
  return {
    parentEvents,
    shardEvents,
    totalEvents: all.reduce((s, e) => s + e.n, 0),
    maxEvents: max.n,
    maxWhere: max.where.replace(`${workflowId}/`, ''),
    maxBytes,
  };
}

export interface ScoreRow {
  score: number;
  source: ScoreRecord['source'];
  model: string;
}

/** The run's persisted scores by listing id, read straight from the worker's SQLite file. */
export async function readScorelineScores(dbPath: string, runId: string): Promise<Map<string, ScoreRow>> {
  const store = new SqliteStore(dbPath);
  try {
    const out = new Map<string, ScoreRow>();
    for await (const page of scorePages(store, runId))
      for (const s of page) out.set(s.listingId, { score: s.score, source: s.source, model: s.model });
    return out;
  } finally {
    await store.close();
  }
}

export function scoresOnly(rows: ReadonlyMap<string, ScoreRow>): Map<string, number> {
  return new Map([...rows].map(([id, r]) => [id, r.score]));
}
