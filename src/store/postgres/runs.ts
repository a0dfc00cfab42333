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
import type { PgContext } from './context';

/**
 * Read projections, aliased to the record's field names in the record's field order, so a row
 * is the record (and `JSON.stringify` prints it exactly as it prints SQLite's).
 */
export const RUN_COLUMNS = `run_id AS "runId", run_date AS "runDate", feed_path AS "feedPath", criteria, status,
  started_at AS "startedAt", finished_at AS "finishedAt", summary_json AS "summaryJson"`;

const SQL = {
  getRun: `SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = $1`,

  runCounts: `SELECT
      (SELECT COUNT(*) FROM run_items WHERE run_id = $1) AS planned,
      (SELECT COUNT(*) FROM scores WHERE run_id = $1 AND source = 'cache') AS cached,
      (SELECT COUNT(*) FROM rejected_lines WHERE run_id = $1) AS rejected,
      (SELECT COUNT(*) FROM scores WHERE run_id = $1) AS scored,
      (SELECT COUNT(*) FROM dead_letters WHERE run_id = $1) AS "deadLettered",
      (SELECT COUNT(*) FROM llm_calls WHERE run_id = $1) AS calls`,

  // SUM(bigint) is numeric in PostgreSQL; cast back so it parses as a number like the rest.
  runCostsByModel: `SELECT model, COUNT(*) AS calls, SUM(prompt_tokens) AS "promptTokens",
      SUM(completion_tokens) AS "completionTokens", SUM(cost_pico)::bigint AS "costPico"
    FROM llm_calls WHERE run_id = $1 GROUP BY model ORDER BY model`,

  // SUM over integer columns is numeric or bigint in PostgreSQL: cast to bigint so the pool's
  // parser hands back plain numbers, as SQLite does.
  callUsage: `SELECT model, route, status, COUNT(*) AS calls, SUM(prompt_tokens)::bigint AS "promptTokens",
      SUM(cached_tokens)::bigint AS "cachedTokens", SUM(completion_tokens)::bigint AS "completionTokens",
      SUM(cost_pico)::bigint AS "costPico"
    FROM llm_calls WHERE run_id = $1 GROUP BY model, route, status
    ORDER BY model COLLATE "C", route COLLATE "C", status COLLATE "C"`,

  cacheSourceUsage: `SELECT COUNT(*) AS hits, COALESCE(SUM(c.prompt_tokens), 0)::bigint AS "promptTokens",
      COALESCE(SUM(c.cached_tokens), 0)::bigint AS "cachedTokens",
      COALESCE(SUM(c.completion_tokens), 0)::bigint AS "completionTokens"
    FROM scores s JOIN llm_calls c ON c.id = s.call_id WHERE s.run_id = $1 AND s.source = 'cache'`,
} as const;

/** Runs and the reports read from them, on PostgreSQL. */
export class PostgresRuns implements RunStore {
  constructor(private readonly c: PgContext) {}

  async upsertRun(r: RunRecord): Promise<void> {
    await this.c.pool.query(RUN_SQL.upsertRun, [
      r.runId,
      r.runDate,
      r.feedPath,
      r.criteria,
      r.status,
      r.startedAt,
    ]);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return this.c.one<RunRecord>(SQL.getRun, [runId]);
  }

  async finishRun(runId: string, status: RunStatus, summaryJson: string, finishedAt: string): Promise<void> {
    await this.c.pool.query(RUN_SQL.finishRun, [status, summaryJson, finishedAt, runId]);
  }

  async runTotals(runId: string): Promise<RunTotals> {
    const [counts, byModel] = await Promise.all([
      this.c.one<Omit<RunTotals, 'costPico' | 'byModel'>>(SQL.runCounts, [runId]),
      this.c.pool.query<RunTotals['byModel'][number]>(SQL.runCostsByModel, [runId]),
    ]);
    if (!counts) throw new Error('run totals query returned no row');
    return {
      ...counts,
      costPico: byModel.rows.reduce((s, m) => s + m.costPico, 0),
      byModel: byModel.rows,
    };
  }

  async runOutcomes(runId: string): Promise<RunOutcomes> {
    const pairs = async (sql: string) =>
      Object.fromEntries(
        (await this.c.pool.query<{ k: string; n: string }>(sql, [runId])).rows.map((r) => [r.k, Number(r.n)]),
      );
    const [listingsByModel, deadLetterReasons, escalations] = await Promise.all([
      pairs(OUTCOME_SQL.listingsByModel),
      pairs(OUTCOME_SQL.deadLetterReasons),
      this.c.pool.query<{ n: string }>(OUTCOME_SQL.escalations, [runId]),
    ]);
    return { listingsByModel, deadLetterReasons, escalations: Number(escalations.rows[0]?.n ?? 0) };
  }

  async callUsage(runId: string): Promise<CallUsage[]> {
    return (await this.c.pool.query<CallUsage>(SQL.callUsage, [runId])).rows;
  }

  async cacheSourceUsage(runId: string): Promise<CacheSourceUsage> {
    const row = await this.c.one<CacheSourceUsage>(SQL.cacheSourceUsage, [runId]);
    return row ?? { hits: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0 };
  }

  async scoreHistogram(runId: string): Promise<number[]> {
    const result = await this.c.pool.query<{ score: number; n: number }>(RUN_SQL.scoreHistogram, [runId]);
    const histogram = Array.from({ length: 10 }, () => 0);
    for (const r of result.rows) histogram[r.score - 1] = r.n;
    return histogram;
  }
}
