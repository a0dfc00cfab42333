import type pg from 'pg';
import type { PoolClient } from 'pg';
import { ComposedStore } from './composed-store';
import type { DedupStore } from './dedup-store';
import { advisoryKey, createPool, type PostgresStoreOptions } from './postgres-connection';
import { PostgresBudgets } from './postgres/budgets';
import { PostgresCache } from './postgres/cache';
import { PostgresCalls } from './postgres/calls';
import { inTransaction, now, PgContext } from './postgres/context';
import { PostgresDeadLetters } from './postgres/dead-letters';
import { PostgresDedupStore } from './postgres/dedup';
import { PostgresPlans } from './postgres/plans';
import { PostgresQuality } from './postgres/quality';
import { PostgresRuns } from './postgres/runs';
import { POSTGRES_MIGRATIONS, SCHEMA_MIGRATIONS_TABLE } from './postgres/schema';
import { PostgresScores } from './postgres/scores';

export type { PostgresStoreOptions } from './postgres-connection';

/**
 * The production store: the same contract as `SqliteStore`, on a `pg` connection pool. Every
 * write is one parameterised statement or one transaction, keyed so retries never duplicate;
 * records come back exactly as the SQLite store returns them (numbers, ISO timestamps).
 * Each aggregate's statements live in src/store/postgres/<aggregate>.ts, on this one pool.
 */
export class PostgresStore extends ComposedStore {
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly context: PgContext;
  private closed = false;
  readonly dedup: DedupStore;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    const { pool, schema } = createPool(url, options);
    const context = new PgContext(pool);
    super({
      runs: new PostgresRuns(context),
      plans: new PostgresPlans(context),
      calls: new PostgresCalls(context),
      scores: new PostgresScores(context),
      cache: new PostgresCache(context),
      deadLetters: new PostgresDeadLetters(context),
      budgets: new PostgresBudgets(context),
      quality: new PostgresQuality(context),
    });
    this.pool = pool;
    this.schema = schema;
    this.context = context;
    this.dedup = new PostgresDedupStore(pool);
  }

  /**
   * Applies pending migrations, each in its own transaction. A session advisory lock keyed by
   * the schema serialises migrators (workers starting together), so each migration runs once.
   */
  async migrate(): Promise<void> {
    const lockKey = advisoryKey(`scoreline:migrate:${this.schema}`);
    await this.context.withClient(async (client) => {
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
}
