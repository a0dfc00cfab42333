import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Listing } from '../feed/listing';
import { QUALITY_SQL, forSqlite, qualityCounts, type QualityRows } from './quality-sql';
import { SQLITE_MIGRATIONS } from './sqlite-schema';
import { DEDUP_SQL, type DedupStore } from './dedup-store';
import { SqliteDedupStore } from './sqlite-dedup';
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
import { OUTCOME_SQL as SHARED_SQL } from './outcome-sql';
import { UNPUBLISHED_STATUSES, routeColumns, routeFromColumns, type RouteColumns } from './store';
import type { PlanRoute } from '../scoring/routing';
import {
  observe,
  sqliteBucketChange,
  take,
  validateTokens,
  type BucketObservation,
  type TakeResult,
} from './token-bucket';

const UNPUBLISHED = UNPUBLISHED_STATUSES.map((s) => `'${s}'`).join(', ');

type Row = Record<string, unknown>;

/** Thrown inside a reservation transaction to roll back the scopes already reserved. */
class BudgetFull extends Error {
  constructor(readonly scope: string) {
    super(`budget ${scope} is full`);
  }
}

/**
 * The embedded default. better-sqlite3 is synchronous; the async interface is kept so the
 * PostgreSQL store can share every caller. WAL lets the CLI read while a worker writes.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  readonly dedup: DedupStore;
  /**
   * Compiled statements by SQL text. Compiling one is far dearer than running it (bench: 7% of
   * the worker's CPU went to `prepare` when every call compiled its own), and each method sends
   * the same text every time. Texts built per call (IN lists of varying length) would grow the
   * map without bound, so it is emptied when it passes the cap.
   */
  private readonly statements = new Map<string, Database.Statement>();

  private prepared(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size >= 500) this.statements.clear();
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.dedup = new SqliteDedupStore(this.db, (sql) => this.prepared(sql));
  }

  migrate(): Promise<void> {
    // One IMMEDIATE transaction: two processes starting on a fresh file (a worker and the CLI)
    // take turns instead of both applying migration 1.
    this.db
      .transaction(() => {
        this.db.exec(
          'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
        );
        const rows = this.prepared('SELECT id FROM schema_migrations').all() as Array<{ id: number }>;
        const applied = new Set(rows.map((r) => r.id));
        for (const m of SQLITE_MIGRATIONS) {
          if (applied.has(m.id)) continue;
          this.db.exec(m.sql);
          this.prepared('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, now());
        }
      })
      .immediate();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  upsertRun(r: RunRecord): Promise<void> {
    // A retried or reset planning step must not rewind a run that already finished.
    this.prepared(
      `INSERT INTO runs (run_id, run_date, feed_path, criteria, status, started_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET feed_path = excluded.feed_path, criteria = excluded.criteria`,
    ).run(r.runId, r.runDate, r.feedPath, r.criteria, r.status, r.startedAt);
    return Promise.resolve();
  }

  getRun(runId: string): Promise<RunRecord | undefined> {
    const row = this.prepared('SELECT * FROM runs WHERE run_id = ?').get(runId) as Row | undefined;
    return Promise.resolve(row ? toRun(row) : undefined);
  }

  finishRun(runId: string, status: RunStatus, summaryJson: string, finishedAt: string): Promise<void> {
    this.prepared('UPDATE runs SET status = ?, summary_json = ?, finished_at = ? WHERE run_id = ?').run(
      status,
      summaryJson,
      finishedAt,
      runId,
    );
    return Promise.resolve();
  }

  addPlanChunk(runId: string, items: PlannedListing[]): Promise<void> {
    const version = this.prepared(
      `INSERT INTO listing_versions (listing_id, content_hash, data_json, first_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    const item = this.prepared(
      `INSERT INTO run_items (run_id, seq, listing_id, content_hash, route_model, escalation_model, fallbacks_json)
       VALUES (@runId, @seq, @listingId, @contentHash, @routeModel, @escalationModel, @fallbacksJson)
       ON CONFLICT (run_id, seq) DO UPDATE SET listing_id = excluded.listing_id, content_hash = excluded.content_hash,
         route_model = excluded.route_model, escalation_model = excluded.escalation_model,
         fallbacks_json = excluded.fallbacks_json`,
    );
    const seenAt = now();
    this.db.transaction(() => {
      for (const p of items) {
        version.run(p.listing.id, p.contentHash, JSON.stringify(p.listing), seenAt);
        item.run({
          runId,
          seq: p.seq,
          listingId: p.listing.id,
          contentHash: p.contentHash,
          ...routeColumns(p.route),
        });
      }
    })();
    return Promise.resolve();
  }

  addRejectedLines(runId: string, rejected: RejectedLineRecord[]): Promise<void> {
    const stmt = this.prepared(
      `INSERT INTO rejected_lines (run_id, line, listing_id, reason) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.db.transaction(() => {
      for (const r of rejected) stmt.run(runId, r.line, r.listingId ?? null, r.reason);
    })();
    return Promise.resolve();
  }

  planItems(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listingId: string }>> {
    const rows = this.prepared(
      'SELECT seq, listing_id AS listingId FROM run_items WHERE run_id = ? AND seq >= ? AND seq < ? ORDER BY seq',
    ).all(runId, fromSeq, toSeq) as Array<{ seq: number; listingId: string }>;
    return Promise.resolve(rows);
  }

  unfinishedItems(runId: string, fromSeq: number, toSeq: number): Promise<PlanItem[]> {
    const rows = this.prepared(
      `SELECT i.seq, i.listing_id AS listingId, i.route_model AS routeModel, i.escalation_model AS escalationModel,
           i.fallbacks_json AS fallbacksJson FROM run_items i
         WHERE i.run_id = ? AND i.seq >= ? AND i.seq < ?
           AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.run_id = i.run_id AND s.listing_id = i.listing_id)
           AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.run_id = i.run_id AND d.listing_id = i.listing_id)
           AND ${DEDUP_SQL.notNearDuplicate}
         ORDER BY i.seq`,
    ).all(runId, fromSeq, toSeq) as Array<{ seq: number; listingId: string } & RouteColumns>;
    return Promise.resolve(
      rows.map((r) => ({ seq: r.seq, listingId: r.listingId, route: routeFromColumns(r) })),
    );
  }

  setPlanRoutes(runId: string, routes: Array<{ seq: number; route: PlanRoute }>): Promise<void> {
    const stmt = this.prepared(
      `UPDATE run_items SET route_model = @routeModel, escalation_model = @escalationModel,
         fallbacks_json = @fallbacksJson WHERE run_id = @runId AND seq = @seq`,
    );
    this.db.transaction(() => {
      for (const r of routes) stmt.run({ runId, seq: r.seq, ...routeColumns(r.route) });
    })();
    return Promise.resolve();
  }

  unroutedListings(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listing: Listing }>> {
    const rows = this.prepared(
      `SELECT i.seq, v.data_json FROM run_items i
         JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
         WHERE i.run_id = ? AND i.seq >= ? AND i.seq < ? AND i.route_model IS NULL ORDER BY i.seq`,
    ).all(runId, fromSeq, toSeq) as Array<{ seq: number; data_json: string }>;
    return Promise.resolve(rows.map((r) => ({ seq: r.seq, listing: JSON.parse(r.data_json) as Listing })));
  }

  getPlannedListing(
    runId: string,
    listingId: string,
  ): Promise<{ listing: Listing; contentHash: string } | undefined> {
    const row = this.prepared(
      `SELECT v.data_json, v.content_hash FROM run_items i
         JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
         WHERE i.run_id = ? AND i.listing_id = ?`,
    ).get(runId, listingId) as { data_json: string; content_hash: string } | undefined;
    if (!row) return Promise.resolve(undefined);
    return Promise.resolve({ listing: JSON.parse(row.data_json) as Listing, contentHash: row.content_hash });
  }

  recordCall(c: NewCallRecord): Promise<number> {
    const result = this.prepared(
      `INSERT INTO llm_calls (run_id, listing_id, workflow_id, attempt, model, route, prompt_hash, prompt_version,
           schema_version, started_at, duration_ms, prompt_tokens, cached_tokens, completion_tokens, cost_pico, status,
           error_type, error_message, finish_reason, tool_arguments, refusal)
         VALUES (@runId, @listingId, @workflowId, @attempt, @model, @route, @promptHash, @promptVersion, @schemaVersion,
           @startedAt, @durationMs, @promptTokens, @cachedTokens, @completionTokens, @costPico, @status, @errorType,
           @errorMessage, @finishReason, @toolArguments, @refusal)`,
    ).run(c);
    if (c.batchId)
      this.prepared('UPDATE llm_calls SET batch_id = ? WHERE id = ?').run(c.batchId, result.lastInsertRowid);
    return Promise.resolve(Number(result.lastInsertRowid));
  }

  findReusableCall(runId: string, listingId: string, promptHash: string): Promise<CallRecord | undefined> {
    const row = this.prepared(
      `SELECT * FROM llm_calls WHERE run_id = ? AND listing_id = ? AND prompt_hash = ? AND status = 'ok'
         ORDER BY id LIMIT 1`,
    ).get(runId, listingId, promptHash) as Row | undefined;
    return Promise.resolve(row ? toCall(row) : undefined);
  }

  getCall(callId: number): Promise<CallRecord | undefined> {
    const row = this.prepared('SELECT * FROM llm_calls WHERE id = ?').get(callId) as Row | undefined;
    return Promise.resolve(row ? toCall(row) : undefined);
  }

  setCallVerdict(callId: number, v: CallVerdict): Promise<void> {
    if (v.validation === 'valid') {
      this.prepared(
        `UPDATE llm_calls SET validation = 'valid', validation_error = NULL, score = ?, confidence = ?, reasoning = ?
           WHERE id = ?`,
      ).run(v.score, v.confidence, v.reasoning, callId);
    } else {
      this.prepared(`UPDATE llm_calls SET validation = 'invalid', validation_error = ? WHERE id = ?`).run(
        v.error,
        callId,
      );
    }
    return Promise.resolve();
  }

  listCalls(f: CallFilter): Promise<CallRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      args.push(value);
    };
    if (f.runId) add('run_id = ?', f.runId);
    if (f.listingId) add('listing_id = ?', f.listingId);
    if (f.model) add('model = ?', f.model);
    if (f.status) add('status = ?', f.status);
    if (f.promptHash) add('prompt_hash = ?', f.promptHash);
    if (f.batchId) add('batch_id = ?', f.batchId);
    if (f.validation) add('validation = ?', f.validation);
    if (f.since) add('started_at >= ?', f.since);
    if (f.until) add('started_at < ?', f.until);
    if (f.afterId !== undefined) add('id > ?', f.afterId);
    const sql = `SELECT * FROM llm_calls ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
    const rows = this.prepared(sql).all(...args, f.limit ?? 1000) as Row[];
    return Promise.resolve(rows.map(toCall));
  }

  persistValidatedScore(runId: string, listingId: string, callId: number): Promise<PersistOutcome> {
    // The copy is conditional on the validation step's verdict: this is the gate, in SQL.
    const result = this.prepared(
      `INSERT INTO scores (run_id, listing_id, call_id, model, score, confidence, reasoning, content_hash,
           prompt_version, schema_version, scored_at)
         SELECT c.run_id, c.listing_id, c.id, c.model, c.score, c.confidence, c.reasoning, i.content_hash,
           c.prompt_version, c.schema_version, ?
         FROM llm_calls c JOIN run_items i ON i.run_id = c.run_id AND i.listing_id = c.listing_id
         WHERE c.id = ? AND c.run_id = ? AND c.listing_id = ? AND c.validation = 'valid'
         ON CONFLICT (run_id, listing_id) DO UPDATE SET call_id = excluded.call_id, model = excluded.model,
           score = excluded.score, confidence = excluded.confidence, reasoning = excluded.reasoning,
           content_hash = excluded.content_hash, prompt_version = excluded.prompt_version,
           schema_version = excluded.schema_version, scored_at = excluded.scored_at`,
    ).run(now(), callId, runId, listingId);
    return Promise.resolve(result.changes > 0 ? 'written' : 'not-validated');
  }

  findValidCalls(promptHashes: string[], excludeRunId?: string): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    // The answer that was kept for that prompt (the score's call, which is the large model's
    // after an escalation), not merely the first valid one: a cache hit must repeat the score.
    const stmt = this.prepared(
      `SELECT s.call_id AS id FROM llm_calls c
       JOIN scores s ON s.run_id = c.run_id AND s.listing_id = c.listing_id AND s.source = 'llm'
       WHERE c.prompt_hash = ? AND c.validation = 'valid' AND c.status = 'ok' AND c.run_id IS NOT ?
         AND c.run_id NOT IN (SELECT run_id FROM runs WHERE status IN (${UNPUBLISHED}))
       ORDER BY s.scored_at DESC, s.call_id DESC LIMIT 1`,
    );
    for (const hash of new Set(promptHashes)) {
      const row = stmt.get(hash, excludeRunId ?? null) as { id: number } | undefined;
      if (row) found.set(hash, row.id);
    }
    return Promise.resolve(found);
  }

  persistCachedScore(runId: string, listingId: string, sourceCallId: number): Promise<PersistOutcome> {
    const result = this.prepared(
      `INSERT INTO scores (run_id, listing_id, call_id, model, score, confidence, reasoning, content_hash,
           prompt_version, schema_version, scored_at, source)
         SELECT i.run_id, i.listing_id, c.id, c.model, c.score, c.confidence, c.reasoning, i.content_hash,
           c.prompt_version, c.schema_version, ?, 'cache'
         FROM llm_calls c JOIN run_items i ON i.run_id = ? AND i.listing_id = ?
         WHERE c.id = ? AND c.validation = 'valid'
         ON CONFLICT (run_id, listing_id) DO NOTHING`,
    ).run(now(), runId, listingId, sourceCallId);
    if (result.changes > 0) return Promise.resolve('written');
    const exists = this.prepared('SELECT 1 FROM scores WHERE run_id = ? AND listing_id = ?').get(
      runId,
      listingId,
    );
    return Promise.resolve(exists ? 'written' : 'not-validated');
  }

  setBudgetLimit(scope: string, limitPico: number): Promise<void> {
    this.prepared(
      `INSERT INTO budgets (scope, limit_pico) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET limit_pico = excluded.limit_pico`,
    ).run(scope, limitPico);
    return Promise.resolve();
  }

  getBudget(scope: string): Promise<BudgetRecord | undefined> {
    const row = this.prepared(
      `SELECT scope, limit_pico AS limitPico, reserved_pico AS reservedPico, spent_pico AS spentPico
         FROM budgets WHERE scope = ?`,
    ).get(scope) as BudgetRecord | undefined;
    return Promise.resolve(row);
  }

  takeTokens(key: string, tokens: number, perMinute?: number): Promise<TakeResult> {
    try {
      validateTokens(tokens, 'tokens');
      return Promise.resolve(
        sqliteBucketChange(this.db, key, (row, now) => {
          const out = take(row, tokens, perMinute, now);
          return { row: out.row, result: { waitMs: out.waitMs, perMinute: out.row?.capacity } };
        }),
      );
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  observeTokens(key: string, o: BucketObservation): Promise<void> {
    sqliteBucketChange(this.db, key, (row, now) => ({ row: observe(row, o, now), result: undefined }));
    return Promise.resolve();
  }

  reserveBudget(scopes: string[], amountPico: number): Promise<{ ok: true } | { ok: false; scope: string }> {
    // One IMMEDIATE transaction: the check and the reservation cannot interleave with another
    // writer's, in this process or any other.
    const reserve = this.db.transaction((): { ok: true } | { ok: false; scope: string } => {
      const room = this.prepared(
        `UPDATE budgets SET reserved_pico = reserved_pico + ?
         WHERE scope = ? AND spent_pico + reserved_pico + ? <= limit_pico`,
      );
      const exists = this.prepared('SELECT 1 FROM budgets WHERE scope = ?');
      for (const scope of scopes) {
        if (room.run(amountPico, scope, amountPico).changes === 0 && exists.get(scope)) {
          throw new BudgetFull(scope);
        }
      }
      return { ok: true };
    });
    try {
      return Promise.resolve(reserve.immediate());
    } catch (err) {
      if (err instanceof BudgetFull) return Promise.resolve({ ok: false, scope: err.scope });
      throw err;
    }
  }

  settleBudget(scopes: string[], reservedPico: number, actualPico: number): Promise<void> {
    const stmt = this.prepared(
      `UPDATE budgets SET reserved_pico = MAX(0, reserved_pico - ?), spent_pico = spent_pico + ? WHERE scope = ?`,
    );
    this.db.transaction(() => {
      for (const scope of scopes) stmt.run(reservedPico, actualPico, scope);
    })();
    return Promise.resolve();
  }

  listScores(runId: string, limit: number, offset: number): Promise<ScoreRecord[]> {
    const rows = this.prepared(
      `SELECT run_id AS runId, listing_id AS listingId, call_id AS callId, model, score, confidence, reasoning,
           content_hash AS contentHash, scored_at AS scoredAt, source
         FROM scores WHERE run_id = ? ORDER BY score DESC, listing_id LIMIT ? OFFSET ?`,
    ).all(runId, limit, offset) as ScoreRecord[];
    return Promise.resolve(rows);
  }

  deadLetter(d: NewDeadLetter): Promise<void> {
    this.prepared(
      `INSERT INTO dead_letters (run_id, listing_id, reason, error_type, last_error, attempts, model, created_at)
         VALUES (@runId, @listingId, @reason, @errorType, @lastError, @attempts, @model, @createdAt)
         ON CONFLICT (run_id, listing_id) DO UPDATE SET reason = excluded.reason, error_type = excluded.error_type,
           last_error = excluded.last_error, attempts = excluded.attempts, model = excluded.model, status = 'open'`,
    ).run(d);
    return Promise.resolve();
  }

  listDeadLetters(runId?: string): Promise<DeadLetterRecord[]> {
    const rows = this.prepared(
      `SELECT run_id AS runId, listing_id AS listingId, reason, error_type AS errorType, last_error AS lastError,
           attempts, model, created_at AS createdAt, status, note
         FROM dead_letters ${runId ? 'WHERE run_id = ?' : ''} ORDER BY created_at`,
    ).all(...(runId ? [runId] : [])) as DeadLetterRecord[];
    return Promise.resolve(rows);
  }

  getDeadLetter(runId: string, listingId: string): Promise<DeadLetterRecord | undefined> {
    const row = this.prepared(
      `SELECT run_id AS runId, listing_id AS listingId, reason, error_type AS errorType, last_error AS lastError,
           attempts, model, created_at AS createdAt, status, note
         FROM dead_letters WHERE run_id = ? AND listing_id = ?`,
    ).get(runId, listingId) as DeadLetterRecord | undefined;
    return Promise.resolve(row);
  }

  resolveDeadLetter(runId: string, listingId: string, note: string): Promise<boolean> {
    const r = this.prepared(
      `UPDATE dead_letters SET status = 'resolved', note = ? WHERE run_id = ? AND listing_id = ?`,
    ).run(note, runId, listingId);
    return Promise.resolve(r.changes > 0);
  }

  planFromDeadLetters(runId: string, sourceRunId: string, listingIds?: string[]): Promise<number> {
    const plan = this.db.transaction((): number => {
      const existing = (
        this.prepared('SELECT COUNT(*) AS n FROM run_items WHERE run_id = ?').get(runId) as { n: number }
      ).n;
      if (existing > 0) return existing;
      const only = listingIds ? new Set(listingIds) : undefined;
      const letters = (
        this.prepared(
          `SELECT i.listing_id AS listingId, i.content_hash AS contentHash FROM dead_letters d
             JOIN run_items i ON i.run_id = d.run_id AND i.listing_id = d.listing_id
             WHERE d.run_id = ? AND d.status = 'open' ORDER BY i.listing_id`,
        ).all(sourceRunId) as Array<{ listingId: string; contentHash: string }>
      ).filter((l) => !only || only.has(l.listingId));
      const insert = this.prepared(
        'INSERT INTO run_items (run_id, seq, listing_id, content_hash) VALUES (?, ?, ?, ?)',
      );
      const mark = this.prepared(
        `UPDATE dead_letters SET status = 'requeued', note = ? WHERE run_id = ? AND listing_id = ?`,
      );
      letters.forEach((l, seq) => {
        insert.run(runId, seq, l.listingId, l.contentHash);
        mark.run(`requeued to ${runId}`, sourceRunId, l.listingId);
      });
      return letters.length;
    });
    return Promise.resolve(plan.immediate());
  }

  runTotals(runId: string): Promise<RunTotals> {
    const count = (sql: string) => (this.prepared(sql).get(runId) as { n: number }).n;
    const byModel = this.prepared(
      `SELECT model, COUNT(*) AS calls, SUM(prompt_tokens) AS promptTokens,
           SUM(completion_tokens) AS completionTokens, SUM(cost_pico) AS costPico
         FROM llm_calls WHERE run_id = ? GROUP BY model ORDER BY model`,
    ).all(runId) as RunTotals['byModel'];
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
        (this.prepared(sql).all(runId) as Array<{ k: string; n: number }>).map((r) => [r.k, r.n]),
      );
    const escalations = this.prepared(SHARED_SQL.escalations.replaceAll('$1', '?')).get(runId) as {
      n: number;
    };
    return Promise.resolve({
      listingsByModel: pairs(SHARED_SQL.listingsByModel.replaceAll('$1', '?')),
      deadLetterReasons: pairs(SHARED_SQL.deadLetterReasons.replaceAll('$1', '?')),
      escalations: escalations.n,
    });
  }

  // ── Read-only reporting queries (the CLI's `report`) ─────────────────────────────────────

  callUsage(runId: string): Promise<CallUsage[]> {
    const rows = this.prepared(
      `SELECT model, route, status, COUNT(*) AS calls, SUM(prompt_tokens) AS promptTokens,
           SUM(cached_tokens) AS cachedTokens, SUM(completion_tokens) AS completionTokens, SUM(cost_pico) AS costPico
         FROM llm_calls WHERE run_id = ? GROUP BY model, route, status ORDER BY model, route, status`,
    ).all(runId) as CallUsage[];
    return Promise.resolve(rows);
  }

  cacheSourceUsage(runId: string): Promise<CacheSourceUsage> {
    const row = this.prepared(
      `SELECT COUNT(*) AS hits, COALESCE(SUM(c.prompt_tokens), 0) AS promptTokens,
           COALESCE(SUM(c.cached_tokens), 0) AS cachedTokens, COALESCE(SUM(c.completion_tokens), 0) AS completionTokens
         FROM scores s JOIN llm_calls c ON c.id = s.call_id WHERE s.run_id = ? AND s.source = 'cache'`,
    ).get(runId) as CacheSourceUsage;
    return Promise.resolve(row);
  }

  scoreHistogram(runId: string): Promise<number[]> {
    const rows = this.prepared('SELECT score, COUNT(*) AS n FROM scores WHERE run_id = ? GROUP BY score').all(
      runId,
    ) as Array<{ score: number; n: number }>;
    const histogram = Array.from({ length: 10 }, () => 0);
    for (const r of rows) histogram[r.score - 1] = r.n;
    return Promise.resolve(histogram);
  }

  runQualityCounts(runId: string): Promise<RunQualityCounts> {
    const all = <R>(sql: string) => this.prepared(forSqlite(sql)).all(runId) as R[];
    return Promise.resolve(
      qualityCounts({
        histogram: all(QUALITY_SQL.histogram),
        calls: all<QualityRows['calls']>(QUALITY_SQL.calls)[0],
        canaries: all(QUALITY_SQL.canaries),
      }),
    );
  }

  previousRuns(f: PreviousRunsFilter): Promise<RunRecord[]> {
    const rows = this.prepared(forSqlite(`SELECT * FROM runs WHERE ${QUALITY_SQL.previousRunsWhere}`)).all(
      f.criteria,
      f.onOrBefore,
      f.excludeRunId,
      f.limit,
    ) as Row[];
    return Promise.resolve(rows.map(toRun));
  }
}

function now(): string {
  return new Date().toISOString();
}

function toRun(r: Row): RunRecord {
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

function toCall(r: Row): CallRecord {
  return {
    id: r.id as number,
    runId: r.run_id as string,
    listingId: r.listing_id as string,
    workflowId: r.workflow_id as string,
    attempt: r.attempt as number,
    model: r.model as string,
    route: r.route as CallRecord['route'],
    promptHash: r.prompt_hash as string,
    promptVersion: r.prompt_version as string,
    schemaVersion: r.schema_version as string,
    startedAt: r.started_at as string,
    durationMs: r.duration_ms as number,
    promptTokens: r.prompt_tokens as number,
    cachedTokens: r.cached_tokens as number,
    completionTokens: r.completion_tokens as number,
    costPico: r.cost_pico as number,
    status: r.status as CallRecord['status'],
    errorType: r.error_type as string | null,
    errorMessage: r.error_message as string | null,
    finishReason: r.finish_reason as string | null,
    toolArguments: r.tool_arguments as string | null,
    refusal: r.refusal as string | null,
    batchId: (r.batch_id as string | null) ?? null,
    validation: r.validation as CallRecord['validation'],
    validationError: r.validation_error as string | null,
    score: r.score as number | null,
    confidence: r.confidence as number | null,
    reasoning: r.reasoning as string | null,
  };
}
