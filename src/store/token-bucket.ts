import type Database from 'better-sqlite3';
import type pg from 'pg';

/**
 * A tokens-per-minute budget shared by every worker: one row per key (a provider model) in
 * the store, so three workers draw from one bucket instead of three. The bucket holds up to a
 * minute's allowance and refills continuously, as OpenAI describes its own limiter (and as
 * the simulator implements it), so a bucket that agrees with the provider's is never refused.
 *
 * A reservation may drive the level negative: the caller is told how long to wait, and later
 * callers wait longer, so concurrent calls queue instead of all passing at once.
 *
 * Concurrency: PostgreSQL locks the row with SELECT … FOR UPDATE inside one transaction, so
 * reservations from any number of processes serialise on that row only (an advisory lock
 * would serialise the same way but leave the state outside the lock's protection); times
 * come from the database's clock, so hosts with skewed clocks agree. SQLite has one writer:
 * an IMMEDIATE transaction takes the write lock before reading, so no two processes on the
 * file can read the same level.
 */

export interface BucketRow {
  /** Tokens available now; negative while reservations wait for refill. */
  level: number;
  /** Tokens per minute: the refill rate and the most the bucket holds. */
  capacity: number;
  updatedAtMs: number;
}

export interface TakeResult {
  /** How long the caller must wait before sending; 0 when the tokens are there now. */
  waitMs: number;
  /** The limit in force (configured or learned); undefined while none is known. */
  perMinute: number | undefined;
}

export interface BucketObservation {
  /** Tokens to give back (positive) or take (negative): the settlement of a reservation. */
  deltaTokens?: number;
  /** A limit to hold from now on (configured, or learned from the provider's headers). */
  perMinute?: number;
  /** The provider's remaining tokens: the bucket never holds more than the provider says it has. */
  remaining?: number;
}

/** The level after refilling from `row.updatedAtMs` to `nowMs`, capped at a minute's allowance. */
export function refilled(row: BucketRow, nowMs: number): number {
  const elapsed = Math.max(0, nowMs - row.updatedAtMs);
  return Math.min(row.capacity, row.level + (elapsed * row.capacity) / 60_000);
}

/** Takes `tokens` from the bucket; a missing row starts full at `perMinute`. */
export function take(
  row: BucketRow | undefined,
  tokens: number,
  perMinute: number | undefined,
  nowMs: number,
): { row: BucketRow | undefined; waitMs: number } {
  const capacity = perMinute ?? row?.capacity;
  if (capacity === undefined) return { row, waitMs: 0 };
  const start: BucketRow = row ?? { level: capacity, capacity, updatedAtMs: nowMs };
  // A changed limit keeps the level (capped): tokens already spent stay spent.
  const level = Math.min(capacity, refilled({ ...start, capacity }, nowMs)) - tokens;
  const waitMs = level >= 0 ? 0 : Math.ceil((-level * 60_000) / capacity);
  return { row: { level, capacity, updatedAtMs: nowMs }, waitMs };
}

/** Applies a settlement, a limit and the provider's remaining count to the bucket. */
export function observe(
  row: BucketRow | undefined,
  o: BucketObservation,
  nowMs: number,
): BucketRow | undefined {
  const capacity = o.perMinute ?? row?.capacity;
  if (capacity === undefined) return undefined;
  const start: BucketRow = row ?? { level: o.remaining ?? capacity, capacity, updatedAtMs: nowMs };
  let level = Math.min(capacity, refilled({ ...start, capacity }, nowMs) + (o.deltaTokens ?? 0));
  if (o.remaining !== undefined) level = Math.min(level, o.remaining);
  return { level, capacity, updatedAtMs: nowMs };
}

export function validateTokens(tokens: number, what: string): void {
  if (!Number.isFinite(tokens) || tokens < 0)
    throw new Error(`${what} must be a non-negative number, got ${tokens}`);
}

export const TOKEN_BUCKET_MIGRATION_ID = 6;

/** Migration 6, both dialects: independent of every other migration, so it applies in any order. */
export const TOKEN_BUCKET_SQLITE = `
CREATE TABLE IF NOT EXISTS token_buckets (
  bucket_key TEXT PRIMARY KEY,
  level REAL NOT NULL,
  capacity REAL NOT NULL,
  updated_at_ms REAL NOT NULL
);
`;
export const TOKEN_BUCKET_POSTGRES = `
CREATE TABLE IF NOT EXISTS token_buckets (
  bucket_key TEXT PRIMARY KEY,
  level DOUBLE PRECISION NOT NULL,
  capacity DOUBLE PRECISION NOT NULL,
  updated_at_ms DOUBLE PRECISION NOT NULL
);
`;

const SELECT_SQLITE =
  'SELECT level, capacity, updated_at_ms AS updatedAtMs FROM token_buckets WHERE bucket_key = ?';
const UPSERT_SQLITE = `INSERT INTO token_buckets (bucket_key, level, capacity, updated_at_ms) VALUES (?, ?, ?, ?)
  ON CONFLICT (bucket_key) DO UPDATE SET level = excluded.level, capacity = excluded.capacity,
    updated_at_ms = excluded.updated_at_ms`;

/** One IMMEDIATE transaction per change: read, compute and write under SQLite's write lock. */
export function sqliteBucketChange<T>(
  db: Database.Database,
  key: string,
  change: (row: BucketRow | undefined, nowMs: number) => { row: BucketRow | undefined; result: T },
): T {
  const run = db.transaction((): T => {
    const row = db.prepare(SELECT_SQLITE).get(key) as BucketRow | undefined;
    const out = change(row, Date.now());
    if (out.row) db.prepare(UPSERT_SQLITE).run(key, out.row.level, out.row.capacity, out.row.updatedAtMs);
    return out.result;
  });
  return run.immediate();
}

const PG_NOW = '(extract(epoch from clock_timestamp()) * 1000)::float8';
const PG_ENSURE = `INSERT INTO token_buckets (bucket_key, level, capacity, updated_at_ms)
  VALUES ($1, $2, $2, ${PG_NOW}) ON CONFLICT (bucket_key) DO NOTHING`;
const PG_LOCK = `SELECT level, capacity, updated_at_ms AS "updatedAtMs", ${PG_NOW} AS "nowMs"
  FROM token_buckets WHERE bucket_key = $1 FOR UPDATE`;
const PG_NOW_ONLY = `SELECT ${PG_NOW} AS "nowMs"`;
const PG_WRITE =
  'UPDATE token_buckets SET level = $2, capacity = $3, updated_at_ms = $4 WHERE bucket_key = $1';

/**
 * One transaction per change: the row is created when a limit is first known, then locked
 * FOR UPDATE, so concurrent reservations from every worker take turns on it.
 */
export async function postgresBucketChange<T>(
  client: pg.PoolClient,
  key: string,
  initialCapacity: number | undefined,
  change: (row: BucketRow | undefined, nowMs: number) => { row: BucketRow | undefined; result: T },
): Promise<T> {
  await client.query('BEGIN');
  try {
    if (initialCapacity !== undefined) await client.query(PG_ENSURE, [key, initialCapacity]);
    const locked = await client.query<BucketRow & { nowMs: number }>(PG_LOCK, [key]);
    const found = locked.rows[0];
    const nowMs =
      found?.nowMs ?? (await client.query<{ nowMs: number }>(PG_NOW_ONLY)).rows[0]?.nowMs ?? Date.now();
    const row = found
      ? { level: found.level, capacity: found.capacity, updatedAtMs: found.updatedAtMs }
      : undefined;
    const out = change(row, nowMs);
    // A row only comes back where a capacity is known, and then PG_ENSURE created it above.
    if (out.row) await client.query(PG_WRITE, [key, out.row.level, out.row.capacity, out.row.updatedAtMs]);
    await client.query('COMMIT');
    return out.result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
