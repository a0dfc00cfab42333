import type pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import type { Listing } from '../feed/listing';
import { advisoryKey, createPool, type PostgresStoreOptions } from './postgres-connection';
import {
  BUDGET_SQL,
  POSTGRES_MIGRATIONS,
  RUN_COLUMNS,
  SCHEMA_MIGRATIONS_TABLE,
  SQL,
} from './postgres-schema';
import { OUTCOME_SQL } from './outcome-sql';
import type { DedupStore } from './dedup-store';
import { PostgresDedupStore } from './postgres-dedup';
import { QUALITY_SQL, qualityCounts, type QualityRows } from './quality-sql';
import type {
  BudgetRecord,
  CacheSourceUsage,
  CallFilter,
  CallRecord,
  CallUsage,
  CallVerdict,
  DeadLetterRecord,
  NewCallRecord,
  NewDeadLetter,
  PersistOutcome,
  PlanItem,
  PlannedListing,
  RunOutcomes,
  PreviousRunsFilter,
  RejectedLineRecord,
  RunQualityCounts,
  RunRecord,
  RunStatus,
  RunTotals,
  ScoreRecord,
  Store,
} from './store';
import { routeColumns, routeFromColumns, type RouteColumns } from './store';
import type { PlanRoute } from '../scoring/routing';
import {
  observe,
  postgresBucketChange,
  take,
  validateTokens,
  type BucketObservation,
  type TakeResult,
} from './token-bucket';

export type { PostgresStoreOptions } from './postgres-connection';

/**
 * The production store: the same contract as `SqliteStore`, on a `pg` connection pool. Every
 * write is one parameterised statement or one transaction, keyed so retries never duplicate;
 * records come back exactly as the SQLite store returns them (numbers, ISO timestamps).
 */
export class PostgresStore implements Store {
  readonly schema: string;
  private readonly pool: pg.Pool;
  private closed = false;
  readonly dedup: DedupStore;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    ({ pool: this.pool, schema: this.schema } = createPool(url, options));
    this.dedup = new PostgresDedupStore(this.pool);
  }

  /**
   * Applies pending migrations, each in its own transaction. A session advisory lock keyed by
   * the schema serialises migrators (workers starting together), so each migration runs once.
   */
  async migrate(): Promise<void> {
    const lockKey = advisoryKey(`scoreline:migrate:${this.schema}`);
    await this.withClient(async (client) => {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [lockKey]);
      await this.applyMigrations(client);
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]);
    });
  }

  private async applyMigrations(client: PoolClient): Promise<void> {
    // Checked before creating: CREATE SCHEMA IF NOT EXISTS still demands the CREATE privilege
    // on the database, which a least-privilege production role may lack for an existing schema.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    await client.query(SCHEMA_MIGRATIONS_TABLE);
    const applied = await client.query<{ id: number }>('SELECT id FROM schema_migrations');
    const done = new Set(applied.rows.map((r) => r.id));
    for (const m of POSTGRES_MIGRATIONS) {
      if (done.has(m.id)) continue;
      await inTransaction(client, async () => {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, now()]);
      });
    }
  }

  async close(): Promise<void> {
    // pg throws if a pool is ended twice; SQLite's close may be called again, so this may too.
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  async upsertRun(r: RunRecord): Promise<void> {
    // A retried or reset planning step must not rewind a run that already finished.
    await this.pool.query(SQL.upsertRun, [r.runId, r.runDate, r.feedPath, r.criteria, r.status, r.startedAt]);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return this.one<RunRecord>(SQL.getRun, [runId]);
  }

  async finishRun(runId: string, status: RunStatus, summaryJson: string, finishedAt: string): Promise<void> {
    await this.pool.query(SQL.finishRun, [status, summaryJson, finishedAt, runId]);
  }

  async addPlanChunk(runId: string, items: PlannedListing[]): Promise<void> {
    if (items.length === 0) return;
    // One statement per table with arrays (UNNEST), not one per row. A statement may not upsert
    // the same key twice, so duplicates collapse the way SQLite's row-by-row loop resolves them:
    // the first version of a listing wins (DO NOTHING), the last row for a seq wins (DO UPDATE).
    // Sorting gives concurrent planners the same lock order, so they queue instead of deadlock.
    const versionKey = (p: PlannedListing) => `${p.listing.id}\0${p.contentHash}`;
    const versions = [...uniqueBy(items, versionKey, 'first')].sort((a, b) =>
      versionKey(a) < versionKey(b) ? -1 : 1,
    );
    const rows = [...uniqueBy(items, (p) => String(p.seq), 'last')].sort((a, b) => a.seq - b.seq);
    await this.withClient((client) =>
      inTransaction(client, async () => {
        await client.query(SQL.insertVersions, [
          versions.map((p) => p.listing.id),
          versions.map((p) => p.contentHash),
          versions.map((p) => JSON.stringify(p.listing)),
          now(),
        ]);
        const routes = rows.map((p) => routeColumns(p.route));
        await client.query(SQL.upsertRunItems, [
          runId,
          rows.map((p) => p.seq),
          rows.map((p) => p.listing.id),
          rows.map((p) => p.contentHash),
          routes.map((r) => r.routeModel),
          routes.map((r) => r.escalationModel),
          routes.map((r) => r.fallbacksJson),
        ]);
      }),
    );
  }

  async addRejectedLines(runId: string, rejected: RejectedLineRecord[]): Promise<void> {
    if (rejected.length === 0) return;
    await this.pool.query(SQL.insertRejected, [
      runId,
      rejected.map((r) => r.line),
      rejected.map((r) => r.listingId ?? null),
      rejected.map((r) => r.reason),
    ]);
  }

  async unfinishedItems(runId: string, fromSeq: number, toSeq: number): Promise<PlanItem[]> {
    const rows = (
      await this.pool.query<{ seq: number; listingId: string } & RouteColumns>(SQL.unfinishedItems, [
        runId,
        fromSeq,
        toSeq,
      ])
    ).rows;
    return rows.map((r) => ({ seq: r.seq, listingId: r.listingId, route: routeFromColumns(r) }));
  }

  async setPlanRoutes(runId: string, routes: Array<{ seq: number; route: PlanRoute }>): Promise<void> {
    if (routes.length === 0) return;
    const cols = routes.map((r) => routeColumns(r.route));
    await this.pool.query(SQL.setPlanRoutes, [
      runId,
      routes.map((r) => r.seq),
      cols.map((c) => c.routeModel),
      cols.map((c) => c.escalationModel),
      cols.map((c) => c.fallbacksJson),
    ]);
  }

  async unroutedListings(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listing: Listing }>> {
    // data_json is `json`, so pg has already parsed it into the listing.
    return (
      await this.pool.query<{ seq: number; listing: Listing }>(SQL.unroutedListings, [runId, fromSeq, toSeq])
    ).rows;
  }

  async planItems(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listingId: string }>> {
    return (await this.pool.query<{ seq: number; listingId: string }>(SQL.planItems, [runId, fromSeq, toSeq]))
      .rows;
  }

  async getPlannedListing(
    runId: string,
    listingId: string,
  ): Promise<{ listing: Listing; contentHash: string } | undefined> {
    // data_json is `json`, so pg has already parsed it into the listing.
    return this.one<{ listing: Listing; contentHash: string }>(SQL.plannedListing, [runId, listingId]);
  }

  async recordCall(c: NewCallRecord): Promise<number> {
    // prettier-ignore
    const row = await this.one<{ id: number }>(SQL.insertCall, [
      c.runId, c.listingId, c.workflowId, c.attempt, c.model, c.route, c.promptHash, c.promptVersion,
      c.schemaVersion, c.startedAt, c.durationMs, c.promptTokens, c.cachedTokens, c.completionTokens,
      c.costPico, c.status, c.errorType, c.errorMessage, c.finishReason, c.toolArguments, c.refusal,
      c.batchId ?? null,
    ]);
    if (!row) throw new Error('INSERT INTO llm_calls returned no id');
    return row.id;
  }

  async findReusableCall(
    runId: string,
    listingId: string,
    promptHash: string,
  ): Promise<CallRecord | undefined> {
    return this.one<CallRecord>(SQL.reusableCall, [runId, listingId, promptHash]);
  }

  async getCall(callId: number): Promise<CallRecord | undefined> {
    return this.one<CallRecord>(SQL.getCall, [callId]);
  }

  async setCallVerdict(callId: number, v: CallVerdict): Promise<void> {
    if (v.validation === 'valid') {
      await this.pool.query(SQL.markValid, [v.score, v.confidence, v.reasoning, callId]);
    } else {
      await this.pool.query(SQL.markInvalid, [v.error, callId]);
    }
  }

  async listCalls(f: CallFilter): Promise<CallRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (column: string, op: string, value: unknown) => {
      args.push(value);
      where.push(`${column} ${op} $${args.length}`);
    };
    // Truthiness, not `!== undefined`, as in SqliteStore: an empty string means "no filter".
    if (f.runId) add('run_id', '=', f.runId);
    if (f.listingId) add('listing_id', '=', f.listingId);
    if (f.model) add('model', '=', f.model);
    if (f.status) add('status', '=', f.status);
    if (f.promptHash) add('prompt_hash', '=', f.promptHash);
    if (f.batchId) add('batch_id', '=', f.batchId);
    if (f.validation) add('validation', '=', f.validation);
    if (f.since) add('started_at', '>=', f.since);
    if (f.until) add('started_at', '<', f.until);
    if (f.afterId !== undefined) add('id', '>', f.afterId);
    args.push(sqlLimit(f.limit ?? 1000));
    const sql = SQL.listCalls(where.length ? `WHERE ${where.join(' AND ')}` : '', args.length);
    return (await this.pool.query<CallRecord>(sql, args)).rows;
  }

  async persistValidatedScore(runId: string, listingId: string, callId: number): Promise<PersistOutcome> {
    // The copy is conditional on the validation step's verdict: this is the gate, in SQL.
    const result = await this.pool.query(SQL.persistScore, [now(), callId, runId, listingId]);
    return (result.rowCount ?? 0) > 0 ? 'written' : 'not-validated';
  }

  async findValidCalls(promptHashes: string[], excludeRunId?: string): Promise<Map<string, number>> {
    const unique = [...new Set(promptHashes)];
    if (unique.length === 0) return new Map();
    const rows = (
      await this.pool.query<{ promptHash: string; id: number }>(SQL.validCalls, [
        unique,
        excludeRunId ?? null,
      ])
    ).rows;
    const byHash = new Map(rows.map((r) => [r.promptHash, r.id]));
    // In the order the hashes were asked for, as SqliteStore answers them one by one.
    const found = new Map<string, number>();
    for (const hash of unique) {
      const id = byHash.get(hash);
      if (id !== undefined) found.set(hash, id);
    }
    return found;
  }

  async persistCachedScore(runId: string, listingId: string, sourceCallId: number): Promise<PersistOutcome> {
    const inserted = await this.pool.query(SQL.persistCached, [now(), runId, listingId, sourceCallId]);
    if ((inserted.rowCount ?? 0) > 0) return 'written';
    // A second statement, so it sees a score a concurrent writer committed after the insert's
    // snapshot was taken (the row ON CONFLICT DO NOTHING just deferred to).
    const exists = await this.pool.query(SQL.scoreExists, [runId, listingId]);
    return (exists.rowCount ?? 0) > 0 ? 'written' : 'not-validated';
  }

  async listScores(runId: string, limit: number, offset: number): Promise<ScoreRecord[]> {
    const result = await this.pool.query<ScoreRecord>(SQL.listScores, [
      runId,
      sqlLimit(limit),
      Math.max(0, offset),
    ]);
    return result.rows;
  }

  async getDeadLetter(runId: string, listingId: string): Promise<DeadLetterRecord | undefined> {
    const rows = await this.pool.query<DeadLetterRecord>(
      SQL.listDeadLetters('WHERE run_id = $1 AND listing_id = $2'),
      [runId, listingId],
    );
    return rows.rows[0];
  }

  async resolveDeadLetter(runId: string, listingId: string, note: string): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE dead_letters SET status = 'resolved', note = $1 WHERE run_id = $2 AND listing_id = $3`,
      [note, runId, listingId],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async planFromDeadLetters(runId: string, sourceRunId: string, listingIds?: string[]): Promise<number> {
    return this.withClient((client) =>
      inTransaction(client, async () => {
        // Serialises concurrent planners of the same run (a retried activity racing itself).
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [runId]);
        const existing = await client.query<{ n: string }>(
          'SELECT COUNT(*) AS n FROM run_items WHERE run_id = $1',
          [runId],
        );
        if (Number(existing.rows[0]?.n ?? 0) > 0) return Number(existing.rows[0]?.n);
        const letters = await client.query<{ listingId: string; contentHash: string }>(
          `SELECT i.listing_id AS "listingId", i.content_hash AS "contentHash" FROM dead_letters d
           JOIN run_items i ON i.run_id = d.run_id AND i.listing_id = d.listing_id
           WHERE d.run_id = $1 AND d.status = 'open' AND ($2::text[] IS NULL OR d.listing_id = ANY($2))
           ORDER BY i.listing_id COLLATE "C"`,
          [sourceRunId, listingIds ?? null],
        );
        const rows = letters.rows;
        if (rows.length === 0) return 0;
        await client.query(
          `INSERT INTO run_items (run_id, seq, listing_id, content_hash)
           SELECT $1, s.seq, s.listing_id, s.content_hash
           FROM UNNEST($2::int[], $3::text[], $4::text[]) AS s(seq, listing_id, content_hash)`,
          [runId, rows.map((_, i) => i), rows.map((r) => r.listingId), rows.map((r) => r.contentHash)],
        );
        await client.query(
          `UPDATE dead_letters SET status = 'requeued', note = $1 WHERE run_id = $2 AND listing_id = ANY($3::text[])`,
          [`requeued to ${runId}`, sourceRunId, rows.map((r) => r.listingId)],
        );
        return rows.length;
      }),
    );
  }

  async deadLetter(d: NewDeadLetter): Promise<void> {
    // prettier-ignore
    await this.pool.query(SQL.upsertDeadLetter, [
      d.runId, d.listingId, d.reason, d.errorType, d.lastError, d.attempts, d.model, d.createdAt,
    ]);
  }

  async listDeadLetters(runId?: string): Promise<DeadLetterRecord[]> {
    const result = await this.pool.query<DeadLetterRecord>(
      SQL.listDeadLetters(runId ? 'WHERE run_id = $1' : ''),
      runId ? [runId] : [],
    );
    return result.rows;
  }

  async runTotals(runId: string): Promise<RunTotals> {
    const [counts, byModel] = await Promise.all([
      this.one<Omit<RunTotals, 'costPico' | 'byModel'>>(SQL.runCounts, [runId]),
      this.pool.query<RunTotals['byModel'][number]>(SQL.runCostsByModel, [runId]),
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
        (await this.pool.query<{ k: string; n: string }>(sql, [runId])).rows.map((r) => [r.k, Number(r.n)]),
      );
    const [listingsByModel, deadLetterReasons, escalations] = await Promise.all([
      pairs(OUTCOME_SQL.listingsByModel),
      pairs(OUTCOME_SQL.deadLetterReasons),
      this.pool.query<{ n: string }>(OUTCOME_SQL.escalations, [runId]),
    ]);
    return { listingsByModel, deadLetterReasons, escalations: Number(escalations.rows[0]?.n ?? 0) };
  }

  async setBudgetLimit(scope: string, limitPico: number): Promise<void> {
    await this.pool.query(BUDGET_SQL.setLimit, [scope, limitPico]);
  }

  async getBudget(scope: string): Promise<BudgetRecord | undefined> {
    return this.one<BudgetRecord>(BUDGET_SQL.get, [scope]);
  }

  /**
   * Locks the scopes' rows, checks them in the caller's order (so the first full scope is the
   * one reported, as in SQLite), and reserves in all or none. A scope listed twice is checked
   * and reserved twice, as SQLite's row-by-row loop does.
   */
  async takeTokens(key: string, tokens: number, perMinute?: number): Promise<TakeResult> {
    validateTokens(tokens, 'tokens');
    return this.withClient((client) =>
      postgresBucketChange(client, key, perMinute, (row, now) => {
        const out = take(row, tokens, perMinute, now);
        return { row: out.row, result: { waitMs: out.waitMs, perMinute: out.row?.capacity } };
      }),
    );
  }

  async observeTokens(key: string, o: BucketObservation): Promise<void> {
    await this.withClient((client) =>
      postgresBucketChange(client, key, o.perMinute, (row, now) => ({
        row: observe(row, o, now),
        result: undefined,
      })),
    );
  }

  async reserveBudget(
    scopes: string[],
    amountPico: number,
  ): Promise<{ ok: true } | { ok: false; scope: string }> {
    return this.withClient((client) =>
      inTransaction(client, async (): Promise<{ ok: true } | { ok: false; scope: string }> => {
        const rows = (await client.query<BudgetRecord>(BUDGET_SQL.lock, [[...new Set(scopes)]])).rows;
        const budgets = new Map(rows.map((b) => [b.scope, b]));
        const adding = new Map<string, number>();
        for (const scope of scopes) {
          const b = budgets.get(scope);
          if (!b) continue; // no row: unlimited
          const added = (adding.get(scope) ?? 0) + amountPico;
          if (b.spentPico + b.reservedPico + added > b.limitPico) return { ok: false, scope };
          adding.set(scope, added);
        }
        if (adding.size > 0)
          await client.query(BUDGET_SQL.reserve, [[...adding.keys()], [...adding.values()]]);
        return { ok: true };
      }),
    );
  }

  async settleBudget(scopes: string[], reservedPico: number, actualPico: number): Promise<void> {
    if (scopes.length === 0) return;
    const times = new Map<string, number>();
    for (const scope of scopes) times.set(scope, (times.get(scope) ?? 0) + 1);
    await this.withClient((client) =>
      inTransaction(client, async () => {
        await client.query(BUDGET_SQL.lock, [[...times.keys()]]);
        await client.query(BUDGET_SQL.settle, [
          reservedPico,
          actualPico,
          [...times.keys()],
          [...times.values()],
        ]);
      }),
    );
  }

  private async one<R extends QueryResultRow>(sql: string, args: unknown[]): Promise<R | undefined> {
    return (await this.pool.query<R>(sql, args)).rows[0];
  }

  /**
   * A dedicated connection for `fn`. If `fn` fails the connection is destroyed, not pooled: it
   * may still hold the migration lock or sit in a transaction a failed ROLLBACK left open, and
   * closing it releases both on the server. Reconnecting is cheap next to a poisoned pool.
   */
  private async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let healthy = false;
    try {
      const result = await fn(client);
      healthy = true;
      return result;
    } finally {
      client.release(!healthy);
    }
  }

  // ── Read-only reporting queries (the CLI's `report`) ─────────────────────────────────────
  // SUM over integer columns is numeric or bigint in PostgreSQL: cast to bigint so the pool's
  // parser hands back plain numbers, as SQLite does.

  async callUsage(runId: string): Promise<CallUsage[]> {
    const result = await this.pool.query<CallUsage>(
      `SELECT model, route, status, COUNT(*) AS calls, SUM(prompt_tokens)::bigint AS "promptTokens",
         SUM(cached_tokens)::bigint AS "cachedTokens", SUM(completion_tokens)::bigint AS "completionTokens",
         SUM(cost_pico)::bigint AS "costPico"
       FROM llm_calls WHERE run_id = $1 GROUP BY model, route, status
       ORDER BY model COLLATE "C", route COLLATE "C", status COLLATE "C"`,
      [runId],
    );
    return result.rows;
  }

  async cacheSourceUsage(runId: string): Promise<CacheSourceUsage> {
    const row = await this.one<CacheSourceUsage>(
      `SELECT COUNT(*) AS hits, COALESCE(SUM(c.prompt_tokens), 0)::bigint AS "promptTokens",
         COALESCE(SUM(c.cached_tokens), 0)::bigint AS "cachedTokens",
         COALESCE(SUM(c.completion_tokens), 0)::bigint AS "completionTokens"
       FROM scores s JOIN llm_calls c ON c.id = s.call_id WHERE s.run_id = $1 AND s.source = 'cache'`,
      [runId],
    );
    return row ?? { hits: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0 };
  }

  async scoreHistogram(runId: string): Promise<number[]> {
    const result = await this.pool.query<{ score: number; n: number }>(
      'SELECT score, COUNT(*) AS n FROM scores WHERE run_id = $1 GROUP BY score',
      [runId],
    );
    const histogram = Array.from({ length: 10 }, () => 0);
    for (const r of result.rows) histogram[r.score - 1] = r.n;
    return histogram;
  }

  async runQualityCounts(runId: string): Promise<RunQualityCounts> {
    const [histogram, calls, canaries] = await Promise.all([
      this.pool.query<QualityRows['histogram'][number]>(QUALITY_SQL.histogram, [runId]),
      this.pool.query<NonNullable<QualityRows['calls']>>(QUALITY_SQL.calls, [runId]),
      this.pool.query<QualityRows['canaries'][number]>(QUALITY_SQL.canaries, [runId]),
    ]);
    return qualityCounts({ histogram: histogram.rows, calls: calls.rows[0], canaries: canaries.rows });
  }

  async previousRuns(f: PreviousRunsFilter): Promise<RunRecord[]> {
    const result = await this.pool.query<RunRecord>(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE ${QUALITY_SQL.previousRunsWhere}`,
      [f.criteria, f.onOrBefore, f.excludeRunId, f.limit],
    );
    return result.rows;
  }
}

async function inTransaction<T>(client: PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // The caller discards this connection anyway (withClient), so a failed ROLLBACK is moot.
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** SQLite reads a negative LIMIT as "no limit"; PostgreSQL rejects it, and LIMIT NULL means none. */
function sqlLimit(limit: number): number | null {
  return limit < 0 ? null : limit;
}

function uniqueBy<T>(items: T[], key: (item: T) => string, keep: 'first' | 'last'): Iterable<T> {
  const byKey = new Map<string, T>();
  for (const item of items) if (keep === 'last' || !byKey.has(key(item))) byKey.set(key(item), item);
  return byKey.values();
}

function now(): string {
  return new Date().toISOString();
}
