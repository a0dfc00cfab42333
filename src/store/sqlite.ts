import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ComposedStore } from './composed-store';
import type { DedupStore } from './dedup-store';
import { SqliteBudgets } from './sqlite/budgets';
import { SqliteCache } from './sqlite/cache';
import { SqliteCalls } from './sqlite/calls';
import { now, type SqliteContext } from './sqlite/context';
import { SqliteDeadLetters } from './sqlite/dead-letters';
import { SqliteDedupStore } from './sqlite/dedup';
import { SqlitePlans } from './sqlite/plans';
import { SqliteQuality } from './sqlite/quality';
import { SqliteRuns } from './sqlite/runs';
import { SQLITE_MIGRATIONS } from './sqlite/schema';
import { SqliteScores } from './sqlite/scores';

/**
 * The embedded default. better-sqlite3 is synchronous; the async interface is kept so the
 * PostgreSQL store can share every caller. WAL lets the CLI read while a worker writes.
 * Each aggregate's statements live in src/store/sqlite/<aggregate>.ts, on this one connection.
 */
export class SqliteStore extends ComposedStore {
  private readonly db: Database.Database;
  private readonly context: SqliteContext;
  readonly dedup: DedupStore;

  constructor(readonly path: string) {
    const context = openSqlite(path);
    super({
      runs: new SqliteRuns(context),
      plans: new SqlitePlans(context),
      calls: new SqliteCalls(context),
      scores: new SqliteScores(context),
      cache: new SqliteCache(context),
      deadLetters: new SqliteDeadLetters(context),
      budgets: new SqliteBudgets(context),
      quality: new SqliteQuality(context),
    });
    this.context = context;
    this.db = context.db;
    this.dedup = new SqliteDedupStore(this.db, (sql) => context.prepared(sql));
  }

  migrate(): Promise<void> {
    // One IMMEDIATE transaction: two processes starting on a fresh file (a worker and the CLI)
    // take turns instead of both applying migration 1.
    this.db
      .transaction(() => {
        this.db.exec(
          'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
        );
        const rows = this.context.prepared('SELECT id FROM schema_migrations').all() as Array<{ id: number }>;
        const applied = new Set(rows.map((r) => r.id));
        for (const m of SQLITE_MIGRATIONS) {
          if (applied.has(m.id)) continue;
          this.db.exec(m.sql);
          this.context
            .prepared('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)')
            .run(m.id, now());
        }
      })
      .immediate();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

function openSqlite(path: string): SqliteContext {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  /*
   * Compiled statements by SQL text. Compiling one is far dearer than running it (bench: 7% of
   * the worker's CPU went to `prepare` when every call compiled its own), and each method sends
   * the same text every time. Texts built per call (IN lists of varying length) would grow the
   * map without bound, so it is emptied when it passes the cap.
   */
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let stmt = statements.get(sql);
    if (!stmt) {
      if (statements.size >= 500) statements.clear();
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  return { db, prepared };
}
