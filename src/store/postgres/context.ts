import type pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';

/** What every PostgreSQL aggregate shares: the store's pool, and how it runs a transaction. */
export class PgContext {
  constructor(readonly pool: pg.Pool) {}

  async one<R extends QueryResultRow>(sql: string, args: unknown[]): Promise<R | undefined> {
    return (await this.pool.query<R>(sql, args)).rows[0];
  }

  /**
   * A dedicated connection for `fn`. If `fn` fails the connection is destroyed, not pooled: it
   * may still hold the migration lock or sit in a transaction a failed ROLLBACK left open, and
   * closing it releases both on the server. Reconnecting is cheap next to a poisoned pool.
   */
  async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
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

  /** `fn` in one transaction on a dedicated connection. */
  transaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.withClient((client) => inTransaction(client, () => fn(client)));
  }
}

export async function inTransaction<T>(client: PoolClient, fn: () => Promise<T>): Promise<T> {
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
export function sqlLimit(limit: number): number | null {
  return limit < 0 ? null : limit;
}

export function now(): string {
  return new Date().toISOString();
}
