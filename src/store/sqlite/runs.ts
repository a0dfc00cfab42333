import { allForSqlite, forSqlite } from '../sql/placeholders';
import { OUTCOME_SQL, RUN_SQL } from '../sql/runs';
import type {
  CacheSourceUsage,
  CallUsage,
  RunOutcomes,
  RunRecord,
  RunStatus,
  RunStore,
  RunTotals,
} from '../store';
import type { Row, SqliteContext } from './context';

const SQL = allForSqlite(RUN_SQL);

/** Runs and the reports read from them, on SQLite. */
export class SqliteRuns implements RunStore {
  constructor(private readonly c: SqliteContext) {}

  upsertRun(r: RunRecord): Promise<void> {
    this.c.prepared(SQL.upsertRun).run(r.runId, r.runDate, r.feedPath, r.criteria, r.status, r.startedAt);
    return Promise.resolve();
  }

  getRun(runId: string): Promise<RunRecord | undefined> {
    const row = this.c.prepared('SELECT * FROM runs WHERE run_id = ?').get(runId) as Row | undefined;
    return Promise.resolve(row ? toRun(row) : undefined);
  }

  finishRun(runId: string, status: RunStatus, summaryJson: string, finishedAt: string): Promise<void> {
    this.c.prepared(SQL.finishRun).run(status, summaryJson, finishedAt, runId);
    return Promise.resolve();
  }

  runTotals(runId: string): Promise<RunTotals> {
    const count = (sql: string) => (this.c.prepared(sql).get(runId) as { n: number }).n;
    const byModel = this.c
      .prepared(
        `SELECT model, COUNT(*) AS calls, SUM(prompt_tokens) AS promptTokens,
           SUM(completion_tokens) AS completionTokens, SUM(cost_pico) AS costPico
         FROM llm_calls WHERE run_id = ? GROUP BY model ORDER BY model`,
      )
      .all(runId) as RunTotals['byModel'];
    return Promise.resolve({
      planned: count('SELECT COUNT(*) AS n FROM run_items WHERE run_id = ?'),
      cached: count(`SELECT COUNT(*) AS n FROM scores WHERE run_id = ? AND source = 'cache'`),
      rejected: count('SELECT COUNT(*) AS n FROM rejected_lines WHERE run_id = ?'),
      scored: count('SELECT COUNT(*) AS n FROM scores WHERE run_id = ?'),
      deadLettered: count('SELECT COUNT(*) AS n FROM dead_letters WHERE run_id = ?'),
      calls: count('SELECT COUNT(*) AS n FROM llm_calls WHERE run_id = ?'),
      costPico: byModel.reduce((s, m) => s + m.costPico, 0),
      byModel,
    });
  }

  runOutcomes(runId: string): Promise<RunOutcomes> {
    const pairs = (sql: string) =>
      Object.fromEntries(
        (this.c.prepared(forSqlite(sql)).all(runId) as Array<{ k: string; n: number }>).map((r) => [
          r.k,
          r.n,
        ]),
      );
    const escalations = this.c.prepared(forSqlite(OUTCOME_SQL.escalations)).get(runId) as { n: number };
    return Promise.resolve({
      listingsByModel: pairs(OUTCOME_SQL.listingsByModel),
      deadLetterReasons: pairs(OUTCOME_SQL.deadLetterReasons),
      escalations: escalations.n,
    });
  }

  callUsage(runId: string): Promise<CallUsage[]> {
    const rows = this.c
      .prepared(
        `SELECT model, route, status, COUNT(*) AS calls, SUM(prompt_tokens) AS promptTokens,
           SUM(cached_tokens) AS cachedTokens, SUM(completion_tokens) AS completionTokens, SUM(cost_pico) AS costPico
         FROM llm_calls WHERE run_id = ? GROUP BY model, route, status ORDER BY model, route, status`,
      )
      .all(runId) as CallUsage[];
    return Promise.resolve(rows);
  }

  cacheSourceUsage(runId: string): Promise<CacheSourceUsage> {
    const row = this.c
      .prepared(
        `SELECT COUNT(*) AS hits, COALESCE(SUM(c.prompt_tokens), 0) AS promptTokens,
           COALESCE(SUM(c.cached_tokens), 0) AS cachedTokens, COALESCE(SUM(c.completion_tokens), 0) AS completionTokens
         FROM scores s JOIN llm_calls c ON c.id = s.call_id WHERE s.run_id = ? AND s.source = 'cache'`,
      )
      .get(runId) as CacheSourceUsage;
    return Promise.resolve(row);
  }

  scoreHistogram(runId: string): Promise<number[]> {
    const rows = this.c.prepared(SQL.scoreHistogram).all(runId) as Array<{ score: number; n: number }>;
    const histogram = Array.from({ length: 10 }, () => 0);
    for (const r of rows) histogram[r.score - 1] = r.n;
    return Promise.resolve(histogram);
  }
}

export function toRun(r: Row): RunRecord {
  return {
    runId: r.run_id as string,
    runDate: r.run_date as string,
    feedPath: r.feed_path as string,
    criteria: r.criteria as string,
    status: r.status as RunStatus,
    startedAt: r.started_at as string,
    finishedAt: r.finished_at as string | null,
    summaryJson: r.summary_json as string | null,
  };
}
